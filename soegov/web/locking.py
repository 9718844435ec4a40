"""Optimistic locking shared by every app: re-read a row under a lock and refuse a stale version.

Each record people edit carries a `version` the page or API body sends back; a write locks the row
(select_for_update) and compares, so of two people acting at once the second is told to reload
instead of silently overwriting the first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from soegov.errors import InputError, SoegovError


def check_version(current: int, seen: Any, what: str, what_en: str, state: str = "") -> None:
    """Refuse when the version the actor saw (None or "": not sent, not checked) is not the current one."""
    if seen is None or str(seen) == "":
        return
    if not str(seen).strip().isdigit():
        raise InputError("invalid_version", f"版本号应为数字，收到“{seen}”；请刷新页面后重试", "version",
                         "version must be a number")
    if int(seen) == current:
        return
    shown = f"，状态：{state}" if state else ""
    raise SoegovError("stale_version",
                      f"该{what}已被他人更新（当前为第 {current} 版，您看到的是第 {seen} 版{shown}），请刷新页面后重试",
                      "version", f"the {what_en} was changed by someone else; reload and try again")


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
