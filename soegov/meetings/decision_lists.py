"""An enterprise's decision list (事项清单, xundian-2020 art. 23): generated from the pack, edited within the
engine's limits (a threshold only lower, the pack's bodies kept in their order), filed with the supervisor."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.enterprises.models import BodyKind, Enterprise
from soegov.meetings.gates import ORGANISER_GATE
from soegov.meetings.models import DecisionList, ListStatus
from soegov.user_input import clean_money

FIELDS = ["status", "version", "policy", "pack_version", "entries", "filed_at"]
DEFAULT_ROUTE = ["party_committee", "board"]


def list_policy(enterprise: Enterprise) -> str | None:
    """The first pack of the jurisdiction that has meeting rules (and so a collective-decision list)."""
    from soegov.policy.loader import get_registry

    registry = get_registry()
    for pack_id in enterprise.jurisdiction.policy_packs or []:
        try:
            if registry.get(pack_id).meeting is not None:
                return str(pack_id)
        except Exception:  # an unknown pack id in the registry data is skipped, not fatal
            continue
    return None


def pack_entries(policy: str) -> tuple[str, list[dict[str, Any]]]:
    """The pack's collective-decision entries, each with the enterprise's own threshold and bodies to edit."""
    from soegov.policy.decision_list import decision_list

    doc = decision_list(policy, lang="zh")
    entries = []
    for e in doc["entries"]:
        if e["decision"] != "collective_decision":
            continue
        entries.append(e | {"threshold": e["limits"]["amount_floor"], "enterprise_bodies": list(e["bodies"])})
    return str(doc.get("version") or ""), entries


def current_list(enterprise: Enterprise) -> DecisionList | None:
    """The enterprise's filed list if any, else its latest draft."""
    lists = DecisionList.objects.filter(enterprise=enterprise)
    return lists.filter(status=ListStatus.FILED).order_by("-filed_at", "-id").first() or lists.first()


def route_for(enterprise: Enterprise, category: str, amount: Any = None, matter_type: str | None = None) -> list[str]:
    """The ordered bodies that must take a matter of this category (and type/amount), from the enterprise's list."""
    dlist = current_list(enterprise)
    entries = list(dlist.entries) if dlist else []
    if not entries:
        policy = list_policy(enterprise)
        entries = pack_entries(policy)[1] if policy else []
    hits = [e for e in entries if e.get("category") == category]
    if matter_type:
        typed = [e for e in hits if any(t.get("code") == matter_type for t in e.get("types", []))]
        hits = typed or hits
    if amount not in (None, ""):
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            value = None
        if value is not None:
            hits = [e for e in hits if e.get("threshold") in (None, "") or value > Decimal(str(e["threshold"]))] or hits
    route: list[str] = []
    for e in hits:
        for body in e.get("enterprise_bodies") or e.get("bodies") or []:
            if body not in route:
                route.append(body)
    return route or list(DEFAULT_ROUTE)


@ORGANISER_GATE.on("enterprise")
@transaction.atomic
def decision_list_create(*, actor: Any, enterprise: Enterprise) -> DecisionList:
    """A new draft list for the enterprise, generated from its jurisdiction's pack."""
    policy = list_policy(enterprise)
    if policy is None:
        raise InputError("no_meeting_rules", "本辖区适用的制度没有“三重一大”集体决策规则，无需编制事项清单", "policy",
                         "no pack of the jurisdiction has collective-decision rules")
    version, entries = pack_entries(policy)
    dlist = DecisionList.objects.create(enterprise=enterprise, policy=policy, pack_version=version, entries=entries)
    audit_record(actor=actor, action="decision_list.create", obj=dlist, after=snapshot(dlist, FIELDS))
    return dlist


def _bodies(value: Any, floor: list[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    bodies = [str(b).strip() for b in items if str(b).strip()]
    known = set(BodyKind.values)
    for b in bodies:
        if b not in known:
            raise InputError("unknown_body", f"未知的决策机构：{b!r}", "bodies", f"unknown body {b!r}")
    if len(set(bodies)) != len(bodies):
        raise InputError("duplicate_body", "决策机构有重复", "bodies", "a body appears twice")
    kept = [b for b in bodies if b in floor]
    if kept != list(floor):
        labels = " → ".join(BodyKind(b).label for b in floor)
        raise InputError("bodies_below_limit", f"决策机构及顺序不得少于制度要求：{labels}（可以增加，不能删减或调换）",
                         "bodies", "the pack's bodies must all stay, in their order")
    return bodies


@ORGANISER_GATE.on("dlist.enterprise")
@transaction.atomic
def decision_list_entry_edit(*, actor: Any, dlist: DecisionList, rule: str, threshold: Any = None, bodies: Any = None,
               version: Any = None) -> DecisionList:
    """Change one entry's threshold (only lower) or bodies (only more); a filed list becomes a new draft."""
    from soegov.policy.decision_list import amount_floor_allowed

    locked = DecisionList.objects.select_for_update().get(pk=dlist.pk)
    if version not in (None, "") and int(version) != locked.version:
        raise SoegovError("stale_version", "事项清单已被他人更新，请刷新页面后重试", "version", "stale version")
    if locked.status == ListStatus.FILED:
        raise SoegovError("filed", "该清单已备案，不能修改；请新建一版清单再修改后重新备案", "status", "the list is filed")
    before = snapshot(locked, FIELDS)
    entries = [dict(e) for e in locked.entries]
    entry = next((e for e in entries if e.get("rule") == rule), None)
    if entry is None:
        raise InputError("unknown_entry", f"清单中没有条目 {rule}", "rule", f"no entry {rule}")
    floor = entry["limits"].get("amount_floor")
    if threshold not in (None, ""):
        value = clean_money(threshold, "threshold", "限额")
        if floor is None:
            raise InputError("no_threshold", "该条目不按金额划分，不能设置限额", "threshold", "this entry has no amount")
        if not amount_floor_allowed(floor, value):
            raise InputError("threshold_above_limit", f"限额只能比制度更严（不高于 {Decimal(floor):,.0f} 元）",
                             "threshold", f"the threshold may not exceed {floor}")
        entry["threshold"] = str(value)
    if bodies is not None:
        entry["enterprise_bodies"] = _bodies(bodies, list(entry["limits"].get("bodies_at_least") or []))
    locked.entries = entries
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    audit_record(actor=actor, action="decision_list.edit", obj=locked, before=before, after=snapshot(locked, FIELDS))
    return locked


@ORGANISER_GATE.on("dlist.enterprise")
@transaction.atomic
def decision_list_file(*, actor: Any, dlist: DecisionList, version: Any = None) -> DecisionList:
    """File the list with the supervisor (art. 23); the supervisor's reviewers are told."""
    from soegov.accounts.models import User
    from soegov.accounts.roles import Role
    from soegov.matters.models import Notification

    locked = DecisionList.objects.select_for_update().select_related("enterprise").get(pk=dlist.pk)
    if version not in (None, "") and int(version) != locked.version:
        raise SoegovError("stale_version", "事项清单已被他人更新，请刷新页面后重试", "version", "stale version")
    if locked.status == ListStatus.FILED:
        raise SoegovError("already_filed", "该清单已备案", "status", "already filed")
    before = snapshot(locked, FIELDS)
    locked.status, locked.filed_at = ListStatus.FILED, timezone.now()
    locked.filed_by = acting_user(actor)
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action="decision_list.file", obj=locked, before=before, after=snapshot(locked, FIELDS))
    ids = list(User.objects.filter(is_active=True, role=Role.SUPERVISOR_REVIEWER,
                                   jurisdiction_id=locked.enterprise.jurisdiction_id).values_list("pk", flat=True))
    text = f"{locked.enterprise.name}报送了“三重一大”事项清单备案"
    transaction.on_commit(lambda: Notification.objects.bulk_create([Notification(user_id=i, text=text) for i in ids]))
    return locked


@ORGANISER_GATE.on("dlist.enterprise")
@transaction.atomic
def decision_list_version_create(*, actor: Any, dlist: DecisionList) -> DecisionList:
    """A new draft copied from a filed list, to amend and file again."""
    copy = DecisionList.objects.create(enterprise=dlist.enterprise, policy=dlist.policy, pack_version=dlist.pack_version,
                                       entries=dlist.entries)
    audit_record(actor=actor, action="decision_list.create", obj=copy, after=snapshot(copy, FIELDS) | {"from": dlist.pk})
    return copy
