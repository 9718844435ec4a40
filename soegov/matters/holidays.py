"""The holiday schedule's import by the system administrator (checked by the calendar, audited here)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

from soegov.accounts.roles import Role
from soegov.audit.services import audit_record
from soegov.core.errors import InputError


def calendar_import(*, actor: Any, name: str, data: bytes) -> Any:
    """Import a year's holiday schedule through the calendar's own validation, and audit who did it."""
    from soegov.calendar import import_year

    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理节假日日历")
    suffix = Path(name or "").suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise InputError("invalid_file", "只接受 .yaml、.yml 或 .json 文件", "file", "a .yaml, .yml or .json file is required")
    if len(data) > 1024 * 1024:
        raise InputError("too_large", "节假日安排文件不能超过 1 MB", "file", "the file is too large")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"import{suffix}"
        path.write_bytes(data)
        schedule = import_year(path)
    audit_record(actor=actor, action="calendar.import", object_type="calendar.year", object_id=str(schedule.year),
                 object_repr=str(schedule.document)[:255])
    return schedule
