"""Jurisdictions, the enterprise registry tree, decision bodies and their members."""
