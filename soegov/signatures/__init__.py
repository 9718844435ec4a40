"""SM2 signing keys, certificates and signed documents (issue 21)."""
