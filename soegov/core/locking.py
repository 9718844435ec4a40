"""Optimistic locking shared by every app: re-read a row under a lock and refuse a stale version.

Each record people edit carries a `version` the page or API body sends back; a write locks the row
(select_for_update) and compares, so of two people acting at once the second is told to reload
instead of silently overwriting the first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from soegov.core.error_codes import CoreError


def check_version(current: int, seen: Any, what: str, what_en: str, state: str = "") -> None:
    """Refuse when the version the actor saw (None or "": not sent, not checked) is not the current one."""
    if seen is None or str(seen) == "":
        return
    if not str(seen).strip().isdigit():
        raise CoreError.INVALID_VERSION.error(path="version", seen=seen)
    if int(seen) == current:
        return
    raise CoreError.STALE_VERSION.error(path="version", what=what, what_en=what_en, current=current, seen=seen,
                                        shown=f"，状态：{state}" if state else "", shown_en=f", state: {state}" if state else "")


def lock_current(queryset: QuerySet[Any], pk: Any, seen: Any, what: str, what_en: str, *, with_status: bool = False) -> Any:
    """The row re-read under a lock on itself only (joined rows stay free); refused when the actor saw an older version."""
    row = queryset.select_for_update(of=("self",)).get(pk=pk)
    check_version(row.version, seen, what, what_en,
                  row.get_status_display() if with_status else "")
    return row


def posted_version(request: HttpRequest) -> int | None:
    """The version a form sent back (its hidden `version` field); None when absent or not a number, so not checked."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None
