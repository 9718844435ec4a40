"""Audit action names: each app declares the actions it records once, with a Chinese label for the audit pages.

    class MeetingAction(AuditAction):
        CREATE = "meeting.create", "安排会议"

    audit_record(actor=actor, action=MeetingAction.CREATE, obj=meeting, ...)

A member is a `str` equal to the stored action string, so the chain stores (and hashes) exactly the text it
did before the enumerations existed, and entries already written keep verifying. Never change a value: an
action string is part of the record; relabel freely. tests/core/test_audit_actions.py walks every
enumeration in the tree (a label for each, no action string declared by two apps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models

if TYPE_CHECKING:  # Django ships no types: mypy is shown the same enumeration as a str Enum with a label
    from enum import StrEnum

    class AuditAction(StrEnum):
        """Base of every app's enumeration of audit actions: value = the stored action string, label = 中文."""

        label: str
        values: ClassVar[list[str]]

        def __new__(cls, value: str, label: str = "") -> AuditAction: ...
else:
    class AuditAction(models.TextChoices):
        """Base of every app's enumeration of audit actions: value = the stored action string, label = 中文."""


class CoreAction(AuditAction):
    """What the core reports for every app (soegov.core.signals; the audit app records it)."""

    ACCESS_DENIED = "access.denied", "越权访问被拒绝"
    FILE_CORRUPT = "file.corrupt", "存储文件校验值不符，拒绝读取"


def action_enumerations() -> list[type[AuditAction]]:
    """Every enumeration of audit actions defined so far (those of the apps whose modules are imported)."""
    found: list[type[AuditAction]] = []
    todo = list(AuditAction.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def action_label(action: str) -> str:
    """The Chinese label of a stored action string, or "" when no enumeration declares it."""
    for cls in action_enumerations():
        if action in cls.values:
            return str(cls(action).label)
    return ""
