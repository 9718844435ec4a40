"""Writes before submission: creating and editing a matter (its facts classified again) and recording its
collective decision.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside. Every
transition locks the matter row (select_for_update) and checks the version the actor saw, so two reviewers
acting at once never lose an update: the second is refused with a message instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.enterprises.models import Enterprise
from soegov.matters import workflow
from soegov.matters.facts import (
    date_check,
    due_recompute,
    latest_verdict,
    matter_classify,
    occurred_date,
    verdict_apply,
)
from soegov.matters.models import Event, Matter, Status, Verdict
from soegov.matters.transitions import (
    AUDIT_FIELDS,
    WRITER_GATE,
    matter_lock,
    transition_check,
    transition_save,
)
from soegov.user_input import clean_datetime, clean_money, clean_text


@WRITER_GATE.on("enterprise")
@transaction.atomic
def matter_create(*, actor: Any, enterprise: Enterprise, matter_type: str, title: str, occurred_on: Any,
                  amount: Any = None, attributes: dict[str, Any] | None = None, description: str = "",
                  policy: str | None = None, date_confirmed: bool = False) -> Matter:
    """Open a matter in draft and store the engine's verdict on its facts."""
    policy = policy or enterprise.jurisdiction.default_policy
    if policy not in enterprise.jurisdiction.policy_packs:
        raise InputError("invalid_policy", f"制度 {policy} 不适用于{enterprise.jurisdiction.supervisor}", "policy",
                         "the policy does not apply to this jurisdiction")
    if not isinstance(matter_type, str):
        raise InputError("one_matter_per_request", "一事一报：一份请示只能包含一个事项（伊宁办法第十九条）", "type",
                         "one matter per request (art. 19)")
    if attributes is not None and not isinstance(attributes, dict):
        raise InputError("invalid_attributes", "事实（attributes）应为键值对象", "attributes", "attributes must be an object")
    matter = Matter(
        enterprise=enterprise, policy=policy, matter_type=(matter_type or "").strip(),
        title=clean_text(title, "title", "事项名称", 200), amount=clean_money(amount, "amount", "金额", required=False), attributes=attributes or {},
        occurred_on=occurred_date(occurred_on), description=clean_text(description, "description", "事项说明", 5000, required=False),
        created_by=acting_user(actor),
    )
    doc, result = matter_classify(matter)
    date_check(result, matter.occurred_on, date_confirmed=date_confirmed)
    matter.save()
    verdict_apply(matter, doc, result)
    Event.objects.create(matter=matter, action="create", to_status=matter.status,
                         actor=acting_user(actor))
    audit_record(actor=actor, action="matter.create", obj=matter, after=snapshot(matter, AUDIT_FIELDS))
    return matter


@WRITER_GATE.on("matter.enterprise")
@transaction.atomic
def matter_update(*, actor: Any, matter: Matter, version: int | None, title: Any = None, amount: Any = ...,
                  attributes: dict[str, Any] | None = None, occurred_on: Any = None,
                  description: Any = None, date_confirmed: bool = False) -> tuple[Matter, Verdict]:
    """Change the facts while the matter is with the enterprise; the engine runs again and the change is kept."""
    m = matter_lock(matter, version)
    if m.status not in workflow.EDITABLE:
        raise TransitionRefused("not_editable", f"事项当前状态为“{m.get_status_display()}”，不能修改", "status",
                                "the matter cannot be changed in this state")
    before = snapshot(m, AUDIT_FIELDS)
    old_day = m.occurred_on
    if title is not None:
        m.title = clean_text(title, "title", "事项名称", 200)
    if amount is not ...:
        m.amount = clean_money(amount, "amount", "金额", required=False)
    if attributes is not None:
        if not isinstance(attributes, dict):
            raise InputError("invalid_attributes", "事实（attributes）应为键值对象", "attributes", "attributes must be an object")
        m.attributes = attributes
    if occurred_on is not None:
        m.occurred_on = occurred_date(occurred_on)
    if description is not None:
        m.description = clean_text(description, "description", "事项说明", 5000, required=False)
    doc, result = matter_classify(m)
    # A date kept as it was was confirmed when it was typed; only a new date is asked about again.
    date_check(result, m.occurred_on, date_confirmed=date_confirmed or m.occurred_on == old_day)
    verdict = verdict_apply(m, doc, result)
    comment = "；".join(verdict.changes) if verdict.changes else "判定结果未变"
    transition_save(m, before, actor=actor, action="update", comment=comment)
    return m, verdict


@transaction.atomic
def matter_record_decision(*, actor: Any, matter: Matter, version: int | None, body: str, decided_at: Any,
                           summary: str = "") -> Matter:
    """Record the enterprise's collective decision (or the event's time); the filing clock starts from it."""
    m = matter_lock(matter, version)
    transition_check("record_decision", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    decided_at = clean_datetime(decided_at, "decided_at", not_future=True)
    m.decision_body = clean_text(body, "body", "决策机构", 100)
    m.decided_at = decided_at
    # The record of a collective decision without what was decided proves nothing (yining art. 18 item 6).
    m.decision_summary = clean_text(summary, "summary", "决议内容", 2000)
    m.status = Status.DECIDED
    due_recompute(m, latest_verdict(m).result)
    comment = f"{m.decision_body}：{m.decision_summary}" if m.decision_summary else m.decision_body
    return transition_save(m, before, actor=actor, action="record_decision", comment=comment)
