"""The matter advisor and the regulations browser, on top of the rules engine."""
