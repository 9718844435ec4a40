"""Signals the core layer sends so the audit app can record them without core importing it (core stays a leaf)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with user=, object_type= (app_label.model), object_id= when someone asks for a record that exists
# outside their scope: the page says "not found", the audit trail says who tried.
access_denied = Signal()

# Sent with user=, sha256=, found=, what= when a stored file's bytes no longer match their recorded hash
# (soegov.core.files): the read is refused and the audit trail says who met the damage.
file_corrupt = Signal()
