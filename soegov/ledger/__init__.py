"""Ledger analytics: a payment ledger checked against the rules and the decisions on record (DuckDB)."""
