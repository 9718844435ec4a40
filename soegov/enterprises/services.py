"""Writes to the registry: each one checks the actor, runs in one transaction and is audited inside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import BODY_EDITORS, REGISTRY_EDITORS, Role
from soegov.audit.services import audit_record, snapshot
from soegov.core.errors import InputError
from soegov.core.gates import Gate
from soegov.enterprises.models import (
    BodyKind,
    BodyMember,
    DecisionBody,
    Enterprise,
    EnterpriseChange,
    EnterpriseStatus,
    Jurisdiction,
    MemberRole,
    Ownership,
)
from soegov.enterprises.permissions import within_scope
from soegov.enterprises.uscc import validate_uscc
from soegov.user_input import clean_text

BODY_NAME = {"party_committee": "党委", "party_branch": "党支部", "board": "董事会", "gm_office": "总经理办公会"}
ENTERPRISE_FIELDS = ["name", "uscc", "ownership", "status", "parent", "jurisdiction", "level"]


# Who may change the registry: the roles, and (for an enterprise given) that it is within the actor's scope.
ADMIN_GATE = Gate({Role.SYSTEM_ADMIN}, "您的角色无权进行此操作")
REGISTRY_GATE = Gate(REGISTRY_EDITORS, "您的角色无权进行此操作", within_scope, "该企业不在您的管辖范围内")
BODY_GATE = Gate(BODY_EDITORS, "您的角色无权进行此操作", within_scope, "该企业不在您的管辖范围内")


def _choice(value: Any, choices: type[Any], path: str, label: str) -> str:
    if value in choices.values:
        return str(value)
    # Accept the Chinese label too, as people type it in spreadsheets.
    for v, lab in choices.choices:
        if value == lab:
            return str(v)
    allowed = "、".join(str(lab) for _, lab in choices.choices)
    raise InputError("invalid_choice", f"{label}“{value}”无效，应为：{allowed}", path, f"invalid {path}: {value!r}")


def known_policy_ids() -> set[str]:
    """The ids of the policy packs the rules engine holds."""
    from soegov.policy.loader import get_registry

    return {p.id for p in get_registry().packs}


@ADMIN_GATE.on()
def jurisdiction_create(
    *, actor: Any, code: str, name: str, supervisor: str, policy_packs: list[str]
) -> Jurisdiction:
    """Create a jurisdiction applying the given policy packs."""
    code = clean_text(code, "code", "代码", 50)
    if not policy_packs:
        raise InputError("required", "至少选择一项适用制度", "policy_packs", "choose at least one policy pack")
    unknown = sorted(set(policy_packs) - known_policy_ids())
    if unknown:
        raise InputError("unknown_policy", f"未知的制度：{'、'.join(unknown)}", "policy_packs", f"unknown policy {unknown}")
    if Jurisdiction.objects.filter(code=code).exists():
        raise InputError("duplicate", f"代码 {code} 已存在", "code", f"code {code} exists")
    with transaction.atomic():
        j = Jurisdiction.objects.create(
            code=code, name=clean_text(name, "name", "名称", 100), supervisor=clean_text(supervisor, "supervisor", "监管机构", 100),
            policy_packs=list(policy_packs),
        )
        audit_record(actor=actor, action="jurisdiction.create", obj=j, after=snapshot(j))
    return j


def _clean_enterprise(
    *, jurisdiction: Jurisdiction, parent: Enterprise | None, name: Any, uscc: Any, ownership: Any, status: Any,
    instance: Enterprise | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": clean_text(name, "name", "企业名称", 200),
        "uscc": validate_uscc(str(uscc or ""), "uscc"),
        "ownership": _choice(ownership, Ownership, "ownership", "持股类型"),
        "status": _choice(status or EnterpriseStatus.ACTIVE, EnterpriseStatus, "status", "状态"),
    }
    dup = Enterprise.objects.filter(uscc=data["uscc"])
    if instance is not None:
        dup = dup.exclude(pk=instance.pk)
    if dup.exists():
        raise InputError("duplicate_uscc", f"统一社会信用代码 {data['uscc']} 已登记", "uscc", "code already registered")
    if parent is not None:
        if parent.jurisdiction_id != jurisdiction.pk:
            raise InputError("parent_other_jurisdiction", "上级企业属于其他监管辖区", "parent", "parent in another jurisdiction")
        if instance is not None and instance.pk is not None and parent.path.startswith(instance.path):
            raise InputError("parent_cycle", "上级企业不能是本企业或其下级企业", "parent", "parent inside own subtree")
    return data


def _place(enterprise: Enterprise) -> None:
    """Set path and level from the parent (the enterprise must have a pk)."""
    parent_path = enterprise.parent.path if enterprise.parent_id and enterprise.parent else "/"
    enterprise.path = f"{parent_path}{enterprise.pk}/"
    enterprise.level = enterprise.path.count("/") - 1


def _record_change(enterprise: Enterprise, actor: Any, action: str, before: Any, after: Any) -> None:
    EnterpriseChange.objects.create(
        enterprise=enterprise, actor=actor if actor is not None else None, action=action, before=before, after=after
    )
    audit_record(actor=actor, action=f"enterprise.{action}", obj=enterprise, before=before, after=after)


@REGISTRY_GATE.on("parent")
def enterprise_create(
    *, actor: Any, jurisdiction: Jurisdiction, parent: Enterprise | None, name: Any, uscc: Any, ownership: Any,
    status: Any = EnterpriseStatus.ACTIVE,
) -> Enterprise:
    """Register an enterprise under a parent (or directly under the supervisor when parent is None)."""
    if actor is not None and actor.role == Role.SUPERVISOR_REVIEWER and actor.jurisdiction_id != jurisdiction.pk:
        raise PermissionDenied("该监管辖区不在您的管辖范围内")
    data = _clean_enterprise(
        jurisdiction=jurisdiction, parent=parent, name=name, uscc=uscc, ownership=ownership, status=status
    )
    with transaction.atomic():
        e = Enterprise.objects.create(jurisdiction=jurisdiction, parent=parent, **data)
        _place(e)
        e.save(update_fields=["path", "level"])
        _record_change(e, actor, "create", None, snapshot(e, ENTERPRISE_FIELDS))
    return e


@REGISTRY_GATE.on("enterprise")
def enterprise_update(
    *, actor: Any, enterprise: Enterprise, name: Any, uscc: Any, ownership: Any, status: Any,
    parent: Enterprise | None,
) -> Enterprise:
    """Change an enterprise's registry entry; moving it re-levels its whole subtree."""
    if parent is not None:
        REGISTRY_GATE.check(actor, parent)
    data = _clean_enterprise(
        jurisdiction=enterprise.jurisdiction, parent=parent, name=name, uscc=uscc, ownership=ownership,
        status=status, instance=enterprise,
    )
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = snapshot(locked, ENTERPRISE_FIELDS)
        old_path = locked.path
        for k, v in data.items():
            setattr(locked, k, v)
        locked.parent = parent
        _place(locked)
        locked.updated_at = timezone.now()
        locked.save()
        if locked.path != old_path:
            for child in Enterprise.objects.filter(path__startswith=old_path).exclude(pk=locked.pk).order_by("path"):
                child.path = locked.path + child.path[len(old_path):]
                child.level = child.path.count("/") - 1
                child.save(update_fields=["path", "level"])
        after = snapshot(locked, ENTERPRISE_FIELDS)
        if before != after:
            _record_change(locked, actor, "update", before, after)
    return locked


@BODY_GATE.on("enterprise")
def body_create(*, actor: Any, enterprise: Enterprise, kind: Any, name: Any = "") -> DecisionBody:
    """Add a decision body (one of each kind per enterprise)."""
    kind = _choice(kind, BodyKind, "kind", "决策机构类型")
    if DecisionBody.objects.filter(enterprise=enterprise, kind=kind).exists():
        raise InputError("duplicate", f"该企业已有{BodyKind(kind).label}", "kind", "body of this kind exists")
    label = str(name or "").strip() or f"{enterprise.name}{BODY_NAME[kind]}"
    with transaction.atomic():
        body = DecisionBody.objects.create(enterprise=enterprise, kind=kind, name=clean_text(label, "name", "名称", 200))
        audit_record(actor=actor, action="body.create", obj=body, after=snapshot(body))
    return body


def _date(value: Any, path: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError("invalid_date", f"{label}“{value}”不是有效日期（应为 YYYY-MM-DD）", path, f"{path}: not a date") from None


def _clean_member(
    *, body: DecisionBody, name: Any, role: Any, is_principal: Any, voting: Any, term_start: Any, term_end: Any,
    instance: BodyMember | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": clean_text(name, "name", "姓名", 50),
        "role": _choice(role or MemberRole.MEMBER, MemberRole, "role", "职务"),
        "is_principal": bool(is_principal),
        "voting": bool(voting),
        "term_start": _date(term_start, "term_start", "任期开始"),
        "term_end": _date(term_end, "term_end", "任期结束"),
    }
    if data["term_start"] and data["term_end"] and data["term_end"] < data["term_start"]:
        raise InputError("term_order", "任期结束不能早于任期开始", "term_end", "term ends before it starts")
    if data["role"] == MemberRole.ATTENDEE and data["voting"]:
        raise InputError("attendee_votes", "列席人员没有表决权", "voting", "a non-voting attendee cannot vote")
    if data["is_principal"]:
        if not data["voting"]:
            raise InputError("principal_nonvoting", "主要负责人必须是有表决权的成员", "is_principal", "principal must vote")
        # Only principals still in office count: a predecessor whose term has ended stays on record as principal.
        since = data["term_start"] or timezone.localdate()
        others = body.members.filter(is_principal=True).exclude(term_end__lt=since)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            raise InputError("two_principals", "该决策机构已有主要负责人", "is_principal", "body already has a principal")
    return data


@BODY_GATE.on("body.enterprise")
def member_add(
    *, actor: Any, body: DecisionBody, name: Any, role: Any = MemberRole.MEMBER, is_principal: Any = False,
    voting: Any = True, term_start: Any = None, term_end: Any = None,
) -> BodyMember:
    """Add a member (or a non-voting attendee) to a decision body."""
    data = _clean_member(body=body, name=name, role=role, is_principal=is_principal, voting=voting,
                         term_start=term_start, term_end=term_end)
    with transaction.atomic():
        m = BodyMember.objects.create(body=body, **data)
        audit_record(actor=actor, action="member.add", obj=m, after=snapshot(m))
    return m


@BODY_GATE.on("member.body.enterprise")
def member_update(
    *, actor: Any, member: BodyMember, name: Any, role: Any, is_principal: Any, voting: Any, term_start: Any,
    term_end: Any,
) -> BodyMember:
    """Change a member's role, vote or term."""
    data = _clean_member(body=member.body, name=name, role=role, is_principal=is_principal, voting=voting,
                         term_start=term_start, term_end=term_end, instance=member)
    with transaction.atomic():
        before = snapshot(member)
        for k, v in data.items():
            setattr(member, k, v)
        member.save()
        audit_record(actor=actor, action="member.update", obj=member, before=before, after=snapshot(member))
    return member


@BODY_GATE.on("member.body.enterprise")
def member_remove(*, actor: Any, member: BodyMember) -> None:
    """Take a member off a decision body."""
    with transaction.atomic():
        before = snapshot(member)
        audit_record(actor=actor, action="member.remove", obj=member, before=before)
        member.delete()
