"""Who may see a leader's pay and assessment, and how the figures look to everyone else.

Entitled: the person concerned (the Leader's linked account), and supervisor staff of the leader's
jurisdiction holding the permission `leaders.view_personal_data`, which the system admin grants per user.
Every read by them is audited; every refusal too. Others never see the figures: audit entries carry a
digest instead, and a pay ledger exported by them shows masked amounts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from soegov.accounts.roles import SUPERVISOR_ROLES
from soegov.audit.services import audit_record, snapshot

PERMISSION = "leaders.view_personal_data"
MASK = "***"


def is_self(user: Any, leader: Any) -> bool:
    """Whether the user is the leader concerned."""
    return bool(getattr(user, "pk", None)) and leader.user_id == user.pk


def is_entitled_staff(user: Any, leader: Any) -> bool:
    """Whether the user is supervisor staff of the leader's jurisdiction with the personal-data permission."""
    return (getattr(user, "is_authenticated", False) and user.role in SUPERVISOR_ROLES
            and user.jurisdiction_id == leader.enterprise.jurisdiction_id and user.has_perm(PERMISSION))


def can_view(user: Any, leader: Any) -> bool:
    """Whether the user may see the leader's pay and assessment figures."""
    return is_self(user, leader) or is_entitled_staff(user, leader)


def read(user: Any, leader: Any, what: str) -> None:
    """Audit a read of the leader's personal data, or audit the refusal and raise PermissionDenied."""
    if can_view(user, leader):
        audit_record(actor=user, action=f"leaders.personal_read.{what}", obj=leader)
        return
    audit_record(actor=user, action="access.denied", obj=leader, after={"what": what, "reason": "leaders.personal_data"})
    raise PermissionDenied("企业领导人员的薪酬与考核信息属于个人信息，仅限本人和经授权的国资监管工作人员查看")


def require_entitled(actor: Any, leader: Any, what: str) -> None:
    """Writers of pay and assessment must be entitled staff (they see the figures they write); refusals audited."""
    if actor is None or is_entitled_staff(actor, leader):
        return
    audit_record(actor=actor, action="access.denied", obj=leader, after={"what": what, "reason": "leaders.personal_data"})
    raise PermissionDenied("办理薪酬与考核须具有“查看企业领导人员薪酬与考核个人信息”权限（由系统管理员授予）")


def digest(value: Any) -> str:
    """A SHA-256 of the figures, so the audit proves what was written without showing it."""
    return "sha256:" + hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def masked_snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """A snapshot whose money figures are replaced by a digest of them."""
    data = snapshot(instance, fields)
    money = {k: data.pop(k) for k in list(data) if k in ("base_pay", "performance_pay", "tenure_incentive")}
    if money:
        data["figures"] = digest(money)
    return data
