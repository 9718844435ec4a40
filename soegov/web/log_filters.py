"""Logging filters of the site."""

from __future__ import annotations

import logging


class DenialsOnOneLine(logging.Filter):
    """An intended 403 is logged as one line: the denial is already in the audit trail, a traceback only hides real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the traceback of a 403 record; keep the record."""
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
