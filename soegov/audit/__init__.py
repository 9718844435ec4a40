"""The append-only, SM3 hash-chained audit trail."""
