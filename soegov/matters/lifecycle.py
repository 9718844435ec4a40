"""Writes from submission to implementation: submit, review, return, the supervisor's committee, forwarding,
the decision and the city's answer, implementation.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside. Every
transition locks the matter row (select_for_update) and checks the version the actor saw, so two reviewers
acting at once never lose an update: the second is refused with a message instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, snapshot
from soegov.core.errors import InputError, SoegovError, TransitionRefused
from soegov.matters import verdicts
from soegov.matters.facts import latest_verdict
from soegov.matters.models import Matter, Route, Status, Submission
from soegov.matters.numbers import issue_answer_number, issue_request_number
from soegov.matters.sealing import seal_answer
from soegov.matters.selectors import attachment_label
from soegov.matters.transitions import (
    AUDIT_FIELDS,
    enterprise_users,
    matter_lock,
    notify,
    records_check,
    reviewers,
    transition_check,
    transition_save,
)
from soegov.notices import events as notice_events
from soegov.user_input import clean_datetime, clean_text


def missing_attachments(matter: Matter) -> list[str]:
    """Codes of the required attachment kinds not yet uploaded."""
    # .all(): a list page's prefetch serves every row; a withdrawn upload does not count
    have = {a.kind for a in matter.attachments.all() if a.withdrawn_at is None}
    return [c for c in matter.required_attachments if c not in have]


def _submission_snapshot(m: Matter) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for a in m.attachments.filter(withdrawn_at__isnull=True).order_by("kind", "-version"):
        latest.setdefault(a.kind, {"id": a.pk, "version": a.version, "name": a.original_name, "sha256": a.sha256})
    return {
        "title": m.title, "amount": str(m.amount) if m.amount is not None else None, "attributes": m.attributes,
        "occurred_on": m.occurred_on.isoformat(), "description": m.description, "route": m.route,
        "decision_body": m.decision_body, "decided_at": m.decided_at.isoformat() if m.decided_at else None,
        "attachments": latest,
    }


FIELD_LABELS = {"title": "事项名称", "amount": "金额", "attributes": "事实", "occurred_on": "日期",
                "description": "事项说明", "route": "报送方式", "decision_body": "决策机构", "decided_at": "决策时间"}


def snapshot_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """What changed between two submissions, field by field and attachment by attachment."""
    if old is None:
        return []
    out = [f"{label}：{old.get(k)} → {new.get(k)}" for k, label in FIELD_LABELS.items() if old.get(k) != new.get(k)]
    oa, na = old.get("attachments") or {}, new.get("attachments") or {}
    for kind, a in na.items():
        if kind not in oa:
            out.append(f"新增材料：{attachment_label(kind)}（{a['name']}）")
        elif oa[kind]["sha256"] != a["sha256"]:
            out.append(f"更新材料：{attachment_label(kind)} 第{oa[kind]['version']}版 → 第{a['version']}版（{a['name']}）")
    return out


@transaction.atomic
def matter_submit(*, actor: Any, matter: Matter, version: int | None) -> Matter:
    """Send the matter to the supervisor: materials complete, decision recorded where required."""
    m = matter_lock(matter, version)
    transition_check("submit", m, actor)
    if m.route == Route.INTERNAL:
        raise TransitionRefused("nothing_to_submit", "依据适用制度，该事项由企业自行决策，无须向国资监管机构报送", "route",
                                "the matter needs no report to the supervisor")
    if m.needs_collective_decision and m.decided_at is None:
        raise TransitionRefused("decision_missing", "该事项须先经企业集体决策（伊宁办法第十八条第六项），请先记录决策", "decided_at",
                                "record the collective decision first")
    missing = missing_attachments(m)
    if missing:
        names = "；".join(f"{i}. {attachment_label(c)}" for i, c in enumerate(missing, 1))
        lead = "严控事项须附有权机关的批准文件方可报送（伊宁办法第十六条）。" if m.route == Route.PROHIBITED else ""
        raise SoegovError("missing_attachments", f"{lead}缺少以下材料，不能报送：{names}", "attachments",
                          f"missing attachments: {', '.join(missing)}")
    before = snapshot(m, AUDIT_FIELDS)
    resubmission = m.status == Status.RETURNED
    last = m.submissions.first()
    snap = _submission_snapshot(m)
    Submission.objects.create(matter=m, number=(last.number + 1) if last else 1, snapshot=snap,
                              changes=snapshot_changes(last.snapshot if last else None, snap),
                              by=acting_user(actor))
    now = timezone.now()
    issue_request_number(m)
    m.submitted_at = now
    m.status = Status.SUBMITTED
    # A filing's clock runs from complete materials (art. 22), so it restarts on resubmission; an approval's
    # starts when the supervisor's party committee has passed it (art. 21), recorded by matter_record_committee.
    spec = verdicts.review_deadline(latest_verdict(m).result)
    m.review_due_at = None if m.route == Route.APPROVAL else verdicts.due_from(now, spec)[0]
    m.answered_at = None
    m.committee_passed_at = None  # a committee pass belongs to the submission it studied
    action = "resubmit" if resubmission else "submit"
    transition_save(m, before, actor=actor, action=action)
    text = f"{m.enterprise.name}报送了“{m.title}”（{m.get_route_display()}），请审核"
    notify(reviewers(m), m, text)
    notice_events.matter_to_review(reviewers(m), m, text)
    return m


@transaction.atomic
def matter_start_review(*, actor: Any, matter: Matter, version: int | None) -> Matter:
    """The reviewer takes the matter up."""
    m = matter_lock(matter, version)
    transition_check("start_review", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.UNDER_REVIEW
    return transition_save(m, before, actor=actor, action="start_review")


@transaction.atomic
def matter_return(*, actor: Any, matter: Matter, version: int | None, missing: list[str], comment: str = "") -> Matter:
    """Send the matter back for supplement with the list of what is missing."""
    m = matter_lock(matter, version)
    transition_check("return", m, actor)
    items = [str(x).strip() for x in (missing or []) if str(x).strip()]
    if not items:
        raise InputError("required", "退回补正须列出所缺材料或需补充的内容", "missing", "list what is missing")
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.RETURNED
    m.review_due_at = None
    transition_save(m, before, actor=actor, action="return", comment=clean_text(comment, "comment", "意见", 2000, required=False),
          missing=items)
    notify(enterprise_users(m), m, f"“{m.title}”被退回补正：{'；'.join(items)}")
    return m


@transaction.atomic
def matter_record_committee(*, actor: Any, matter: Matter, version: int | None, passed_at: Any = None,
                            comment: str = "") -> Matter:
    """Record that the supervisor's party committee passed an approval; the 5-working-day reply clock starts (art. 21)."""
    m = matter_lock(matter, version)
    transition_check("record_committee", m, actor)
    if m.route != Route.APPROVAL:
        raise TransitionRefused("not_approval", "只有审核批准事项须经国资监管机构党委会议研究（伊宁办法第二十一条）", "status",
                                "only approval requests go to the supervisor's party committee")
    when = clean_datetime(passed_at, "passed_at", not_future=True) if passed_at else timezone.now()
    before = snapshot(m, AUDIT_FIELDS)
    m.committee_passed_at = when
    if m.authority != "city_government":
        m.review_due_at = verdicts.due_from(when, verdicts.review_deadline(latest_verdict(m).result))[0]
    text = f"党委会议于 {timezone.localtime(when):%Y-%m-%d %H:%M} 研究通过"
    return transition_save(m, before, actor=actor, action="record_committee", comment=f"{text}。{comment}".rstrip("。") if comment else text)


@transaction.atomic
def matter_forward(*, actor: Any, matter: Matter, version: int | None, comment: str = "") -> Matter:
    """Forward a city-government item after the supervisor's review (yining art. 11)."""
    m = matter_lock(matter, version)
    transition_check("forward", m, actor)
    if m.authority != "city_government" or m.route != Route.APPROVAL:
        raise TransitionRefused("not_city_item", "只有须报市政府审核或批准的事项才能转报市政府（伊宁办法第十一条、第十二条）",
                                "status", "only city-government items are forwarded")
    records_check("forward", m)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.FORWARDED
    m.forwarded_at = timezone.now()
    m.review_due_at = None
    return transition_save(m, before, actor=actor, action="forward", comment=clean_text(comment, "comment", "意见", 2000, required=False))


OUTCOMES = {"approve": Status.APPROVED, "reject": Status.REJECTED, "file": Status.FILED}


@transaction.atomic
def matter_decide(*, actor: Any, matter: Matter, version: int | None, outcome: str, comment: str = "",
                  answer_number: str = "") -> Matter:
    """The supervisor's answer: approve or reject an approval request, accept (file) or refuse a filing."""
    m = matter_lock(matter, version)
    transition_check("decide", m, actor)
    if outcome not in OUTCOMES:
        raise InputError("invalid_outcome", "答复结果应为 approve（批准）、reject（不予批准/不予备案）或 file（予以备案）",
                         "outcome", "outcome must be approve, reject or file")
    if m.route == Route.APPROVAL and m.authority == "city_government" and outcome == "approve":
        raise TransitionRefused("city_government_item", "该事项须由市政府批准：请审核后转报市政府，并登记市政府的批复（伊宁办法第十一条）",
                                "outcome", "a city-government item is forwarded, not approved by the supervisor")
    if m.route == Route.APPROVAL and outcome == "file":
        raise TransitionRefused("approval_not_filing", "审核批准事项应作出批准或不予批准的答复，不能备案", "outcome",
                                "an approval request is approved or rejected")
    if m.route != Route.APPROVAL and outcome == "approve":
        raise TransitionRefused("filing_not_approval", f"{m.get_route_display()}事项应作出予以备案或不予备案的决定", "outcome",
                                "a filing is filed or refused")
    records_check(f"decide:{outcome}", m)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = OUTCOMES[outcome]
    m.answered_at = timezone.now()
    m.answer_comment = clean_text(comment, "comment", "意见", 2000, required=outcome == "reject")
    # A number the reviewer typed (issued outside the system) is kept; otherwise the next of the year is given.
    m.answer_number = clean_text(answer_number, "answer_number", "批复文号", 60, required=False) or issue_answer_number(m)
    transition_save(m, before, actor=actor, action="decide", comment=m.answer_comment)
    seal_answer(actor=actor, matter=m)
    notify(enterprise_users(m), m, f"“{m.title}”：{m.get_status_display()}")
    return m


@transaction.atomic
def matter_record_city_answer(*, actor: Any, matter: Matter, version: int | None, approved: bool,
                              comment: str = "", answer_number: str = "") -> Matter:
    """Record the city government's answer to a forwarded item."""
    m = matter_lock(matter, version)
    transition_check("record_city_answer", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.APPROVED if approved else Status.REJECTED
    m.answered_at = timezone.now()
    m.answer_comment = clean_text(comment, "comment", "意见", 2000, required=False)
    # The city's answer is only evidence with its document number; the enterprise cites it when implementing.
    m.answer_number = clean_text(answer_number, "answer_number", "市政府批复文号", 60)
    m.reply_number = m.reply_number or issue_answer_number(m)
    # The history names the city's document, the answer's evidence; a note follows only when one was given.
    said = f"市政府{'批准' if approved else '不予批准'}（{m.answer_number}）"
    transition_save(m, before, actor=actor, action="record_city_answer",
                    comment=f"{said}：{m.answer_comment}" if m.answer_comment else said)
    seal_answer(actor=actor, matter=m)
    notify(enterprise_users(m), m, f"“{m.title}”：市政府{'批准' if approved else '不予批准'}")
    return m


@transaction.atomic
def matter_implement(*, actor: Any, matter: Matter, version: int | None, implemented_on: Any = None) -> Matter:
    """Record that the matter was carried out; refused before approval (yining art. 19)."""
    m = matter_lock(matter, version)
    transition_check("implement", m, actor)
    if m.route == Route.INTERNAL and m.needs_collective_decision and m.decided_at is None:
        raise TransitionRefused("decision_missing", "该事项须先经企业集体决策，请先记录决策", "decided_at",
                                "record the collective decision first")
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.IMPLEMENTED
    m.implemented_at = timezone.now()
    return transition_save(m, before, actor=actor, action="implement")
