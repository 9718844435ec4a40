"""Packages reported to the supervisor's collector over HTTPS: the supervisor's endpoint and the enterprise's outbox."""
