"""Writes of execution tracking and emergency decisions: one transaction each, the actor checked, audited.

Readings of the measure (docs/exchange.md, part 督办与追认):
- art. 11 (三) 1: a passed decision is carried out by named departments and people within set time
  limits; each action item has an owner and a due date, either a date or N working days from the meeting.
- art. 20: when circumstances change so the decision's goals cannot be met, it is reported and nothing is
  adjusted or stopped until approved: the action is frozen; progress may still be reported (execution goes
  on), but its due date, owner or scope cannot change, nor can it be stopped, until the body decides
  again at a meeting (a new passed agenda item linked as the re-decision).
- art. 13: an emergency decision by one or a few people is ratified "事后及时": at the body's next meeting,
  and at the latest within RATIFY_WORKING_DAYS working days; later is flagged late. Circulation
  (传阅会签), huddles (碰头会) and canvassing (个别征求意见) are refused as a basis.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.files import file_scope, file_store
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.models import DecisionBody, Enterprise
from soegov.enterprises.permissions import within_scope
from soegov.followup.models import (
    ActionItem,
    ActionStatus,
    ChangeCause,
    ChangeReport,
    DecisionForm,
    EmergencyDecision,
    ProgressReport,
    RatificationStatus,
)
from soegov.meetings.models import AgendaItem, MeetingForm
from soegov.user_input import clean_date, clean_text

WRITERS = ENTERPRISE_ROLES
WRITER_GATE = Gate(WRITERS, "只有企业用户可以办理督办事项", within_scope)
RATIFY_WORKING_DAYS = 10
ART13 = "（《寻甸县“三重一大”决策制度实施办法》第十三条：不得以传阅会签、碰头会、个别征求意见等方式做出决策）"
ART20 = "（第二十条：在未批准之前不得擅自调整或者中止决策的执行）"
REFUSED_FORMS = {DecisionForm.CIRCULATION, DecisionForm.HUDDLE, DecisionForm.INDIVIDUAL_CANVASS}
ACTION_FIELDS = ["status", "version", "title", "department", "owner", "owner_name", "due_date", "due_working_days",
                 "completed_at", "evidence_sha256"]


class Frozen(SoegovError):
    """An action whose circumstances changed may not be adjusted or stopped before the body decides again."""




def _working_days_after(moment: dt.datetime, n: int) -> dt.date:
    from soegov.calendar import add_working_days

    due: dt.date = add_working_days(moment, n).due.date()
    return due


def _basis(item: AgendaItem, what: str) -> None:
    """Only a passed item of a real meeting is a basis (art. 13 refuses the other forms)."""
    form = item.meeting.form
    if form != MeetingForm.MEETING:
        raise InputError("invalid_basis", f"“{item.topic.title}”以“{item.meeting.get_form_display()}”方式作出，不能作为{what}的依据"
                         f"{ART13}", "agenda_item")
    if item.passed is not True:
        raise InputError("not_passed", f"议题“{item.topic.title}”{'未通过' if item.passed is False else '尚无表决结果'}，"
                         f"不能作为{what}的依据", "agenda_item")


def _lock(action: ActionItem, version: Any) -> ActionItem:
    locked: ActionItem = lock_current(ActionItem.objects.select_related("enterprise"), action.pk, version,
                                      "督办事项", "action item")
    return locked


def _save(action: ActionItem, before: dict[str, Any], *, actor: Any, what: str, extra: Any = None) -> ActionItem:
    action.version += 1
    action.save()
    after = snapshot(action, ACTION_FIELDS)
    audit_record(actor=actor, action=f"followup.{what}", obj=action, before=before,
                 after={**after, **({"detail": extra} if extra else {})})
    return action


# --- action items (arts. 11, 20) ---------------------------------------------------------------------


def action_create(*, actor: Any, agenda_item: AgendaItem, title: str, owner_name: str = "", owner: Any = None,
                  department: str = "", due_date: Any = None, due_working_days: Any = None) -> ActionItem:
    """An action implementing a passed agenda item, due on a date or N working days after the meeting."""
    item = AgendaItem.objects.select_related("meeting", "meeting__enterprise", "topic").get(pk=agenda_item.pk)
    enterprise = item.meeting.enterprise
    WRITER_GATE.check(actor, enterprise)
    _basis(item, "督办")
    title = clean_text(title, "title", "落实事项", 200)
    if owner is not None and not Enterprise.objects.filter(pk=enterprise.pk, path__startswith=getattr(
            owner.enterprise, "path", "\0")).exists():
        raise InputError("invalid_owner", "责任人账号应为本企业（或其上级企业）的用户", "owner")
    if owner is not None and not owner_name:
        owner_name = owner.get_full_name() or owner.get_username()
    owner_name = clean_text(owner_name, "owner_name", "责任人", 50)
    days: int | None = None
    if due_working_days not in (None, ""):
        try:
            days = int(str(due_working_days))
        except ValueError:
            raise InputError("invalid_days", "工作日数应为 1–365 的整数", "due_working_days") from None
        if not 1 <= days <= 365:
            raise InputError("invalid_days", "工作日数应为 1–365 的整数", "due_working_days")
        due = _working_days_after(item.meeting.held_at, days)
    elif due_date not in (None, ""):
        due = clean_date(due_date, "due_date", "完成时限")
        if due < timezone.localtime(item.meeting.held_at).date():
            raise InputError("invalid_date", "完成时限不能早于会议日期", "due_date")
    else:
        raise InputError("required", "请填写完成时限（日期，或会后多少个工作日）", "due_date")
    with transaction.atomic():
        action = ActionItem.objects.create(
            enterprise=enterprise, agenda_item=item, title=title, department=clean_text(department, "department", "落实部门",
                                                                                   100, False),
            owner=owner, owner_name=owner_name, due_date=due, due_working_days=days,
            created_by=acting_user(actor))
        audit_record(actor=actor, action="followup.create", obj=action, after=snapshot(action, ACTION_FIELDS))
    return action


@WRITER_GATE.on("action.enterprise")
def action_report(*, actor: Any, action: ActionItem, text: str, percent: Any = 0) -> ProgressReport:
    """A progress report; allowed while frozen too (execution continues until the body decides, art. 20)."""
    text = clean_text(text, "text", "进展情况", 2000)
    try:
        pct = int(str(percent or 0))
    except ValueError:
        raise InputError("invalid_percent", "完成比例应为 0–100 的整数", "percent") from None
    if not 0 <= pct <= 100:
        raise InputError("invalid_percent", "完成比例应为 0–100 的整数", "percent")
    with transaction.atomic():
        a = _lock(action, None)
        if a.status in (ActionStatus.DONE, ActionStatus.STOPPED):
            raise SoegovError("closed", f"该事项已{a.get_status_display()}，不能再报告进展", "status")
        report = ProgressReport.objects.create(action=a, text=text, percent=pct,
                                               by=acting_user(actor))
        audit_record(actor=actor, action="followup.report", obj=a, after={"text": text, "percent": pct})
    return report


def _refuse_if_frozen(a: ActionItem, what: str) -> None:
    if a.status == ActionStatus.FROZEN:
        raise Frozen("frozen", f"该事项已报告情况变化，正等待决策机构重新决策，不能{what}{ART20}", "status")


@WRITER_GATE.on("action.enterprise")
def action_adjust(*, actor: Any, action: ActionItem, version: Any = None, due_date: Any = None,
                  owner_name: str | None = None, title: str | None = None) -> ActionItem:
    """Change the due date, owner or scope of an open action (refused while frozen)."""
    with transaction.atomic():
        a = _lock(action, version)
        _refuse_if_frozen(a, "调整")
        if a.status != ActionStatus.OPEN:
            raise SoegovError("closed", f"该事项已{a.get_status_display()}，不能调整", "status")
        before = snapshot(a, ACTION_FIELDS)
        if due_date not in (None, ""):
            a.due_date = clean_date(due_date, "due_date", "完成时限")
            a.due_working_days = None
        if owner_name:
            a.owner_name = clean_text(owner_name, "owner_name", "责任人", 50)
        if title:
            a.title = clean_text(title, "title", "落实事项", 200)
        return _save(a, before, actor=actor, what="adjust")


@WRITER_GATE.on("action.enterprise")
def action_stop(*, actor: Any, action: ActionItem, version: Any = None) -> ActionItem:
    """Stopping is only ever the body's re-decision (art. 20; art. 11 (三) 2): refused here, always."""
    with transaction.atomic():
        a = _lock(action, version)
        _refuse_if_frozen(a, "中止")
        raise SoegovError("needs_decision", "个人不得擅自中止已作出的决策：请报告情况变化，由决策机构重新决策"
                          "（第十一条（三）2：在没有作出新的集体决策之前，不得擅自变更或者拒绝执行已作出的决策）", "status")


@WRITER_GATE.on("action.enterprise")
def action_complete(*, actor: Any, action: ActionItem, note: str, evidence_name: str, evidence: bytes,
                    version: Any = None) -> ActionItem:
    """Mark done with evidence, typed by its content as matters attachments are."""
    note = clean_text(note, "note", "完成情况", 2000)
    if not evidence:
        raise InputError("required", "请上传完成佐证材料（如验收报告、合同、付款凭证）", "evidence")
    with file_scope(), transaction.atomic():
        stored = file_store(evidence, field="evidence", label="佐证材料")
        a = _lock(action, version)
        if a.status not in (ActionStatus.OPEN, ActionStatus.FROZEN):
            raise SoegovError("closed", f"该事项已{a.get_status_display()}", "status")
        before = snapshot(a, ACTION_FIELDS)
        a.status = ActionStatus.DONE
        a.completed_at = timezone.now()
        a.completion_note = note
        a.evidence_name = f"{(evidence_name or '佐证材料').rsplit('.', 1)[0][:200]}.{stored.extension}"
        a.evidence_type = stored.content_type
        a.evidence_sha256 = stored.sha256
        return _save(a, before, actor=actor, what="complete")


@WRITER_GATE.on("action.enterprise")
def report_change(*, actor: Any, action: ActionItem, cause: str, description: str, version: Any = None) -> ChangeReport:
    """Art. 20: report the change; the action is frozen until the body decides again."""
    if cause not in ChangeCause.values:
        raise InputError("invalid_cause", "请选择原因：不可抗力、决策依据或客观条件发生重大变化", "cause")
    description = clean_text(description, "description", "变化情况", 2000)
    with transaction.atomic():
        a = _lock(action, version)
        if a.status != ActionStatus.OPEN:
            raise SoegovError("not_open", f"该事项当前为“{a.get_status_display()}”，不能报告情况变化", "status")
        before = snapshot(a, ACTION_FIELDS)
        change = ChangeReport.objects.create(action=a, cause=cause, description=description,
                                             reported_by=acting_user(actor))
        a.status = ActionStatus.FROZEN
        _save(a, before, actor=actor, what="change_reported", extra={"cause": cause, "description": description})
    return change


@WRITER_GATE.on("action.enterprise")
def redecide(*, actor: Any, action: ActionItem, agenda_item: AgendaItem, outcome: str, due_date: Any = None,
             version: Any = None) -> ActionItem:
    """Record the body's new decision on a frozen action: continue (optionally with a new due date) or stop."""
    item = AgendaItem.objects.select_related("meeting", "topic").get(pk=agenda_item.pk)
    _basis(item, "重新决策")
    if outcome not in ("continue", "stop"):
        raise InputError("invalid_outcome", "请选择重新决策结果：继续执行（可调整时限）或中止执行", "outcome")
    with transaction.atomic():
        a = _lock(action, version)
        if a.status != ActionStatus.FROZEN:
            raise SoegovError("not_frozen", "只有已报告情况变化的事项才需要重新决策", "status")
        change = a.changes.filter(resolved_at__isnull=True).first()
        if item.pk == a.agenda_item_id or item.meeting.enterprise_id != a.enterprise_id or (
                change and item.meeting.held_at < change.reported_at):
            raise InputError("invalid_redecision", "重新决策应为本企业在报告情况变化之后召开的会议上通过的另一议题", "agenda_item")
        before = snapshot(a, ACTION_FIELDS)
        if outcome == "stop":
            a.status = ActionStatus.STOPPED
        else:
            a.status = ActionStatus.OPEN
            if due_date not in (None, ""):
                a.due_date = clean_date(due_date, "due_date", "完成时限")
                a.due_working_days = None
        if change:
            change.redecision = item
            change.outcome = outcome
            change.resolved_at = timezone.now()
            change.save()
        return _save(a, before, actor=actor, what="redecided", extra={"agenda_item": item.pk, "outcome": outcome})


# --- emergency decisions (art. 13) ------------------------------------------------------------------


@WRITER_GATE.on("body.enterprise")
def emergency_record(*, actor: Any, body: DecisionBody, title: str, content: str, reason: str, form: str,
                     decided_by: str, decided_at: Any) -> EmergencyDecision:
    """Record a decision taken by one or a few people in an emergency, due for ratification by the body."""
    enterprise = body.enterprise
    if form in REFUSED_FORMS:
        raise InputError("refused_form", f"“{DecisionForm(form).label}”不能作为“三重一大”事项的决策方式{ART13}", "form")
    if form not in (DecisionForm.INDIVIDUAL, DecisionForm.FEW):
        raise InputError("invalid_form", "请选择决定方式：个人临时决定或少数人临时决定", "form")
    title = clean_text(title, "title", "决定事项", 200)
    content = clean_text(content, "content", "决定内容", 4000)
    reason = clean_text(reason, "reason", "紧急情况（为何不能等到会议决策）", 2000)
    decided_by = clean_text(decided_by, "decided_by", "决定人", 200)
    if isinstance(decided_at, dt.datetime):
        when = decided_at
    else:
        try:
            when = dt.datetime.fromisoformat(str(decided_at or "").strip())
        except ValueError:
            raise InputError("invalid_datetime", "决定时间应为 yyyy-mm-dd hh:mm", "decided_at") from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now():
        raise InputError("invalid_datetime", "决定时间不能晚于现在", "decided_at")
    with transaction.atomic():
        ed = EmergencyDecision.objects.create(
            enterprise=enterprise, body=body, title=title, content=content, reason=reason, form=form,
            decided_by=decided_by, decided_at=when, ratify_due=_working_days_after(when, RATIFY_WORKING_DAYS),
            created_by=acting_user(actor))
        audit_record(actor=actor, action="followup.emergency_record", obj=ed, after=snapshot(ed))
    return ed


def next_meeting_after(ed: EmergencyDecision) -> Any:
    """The body's first meeting held after the emergency decision (where it should have been ratified)."""
    from soegov.meetings.models import Meeting, MeetingStatus

    # Only a meeting that has taken place by the clock counts: one closed ahead of its date is not yet "held".
    return (Meeting.objects.filter(body_id=ed.body_id, held_at__gt=ed.decided_at, held_at__lte=timezone.now(), form=MeetingForm.MEETING,
                                   status__in=[MeetingStatus.CLOSED, MeetingStatus.ARCHIVED])
            .order_by("held_at", "id").first())


@WRITER_GATE.on("decision.enterprise")
def ratify(*, actor: Any, decision: EmergencyDecision, agenda_item: AgendaItem, version: Any = None) -> EmergencyDecision:
    """Link the agenda item that ratified (or refused to ratify) the decision; flag it late when it was."""
    item = AgendaItem.objects.select_related("meeting", "topic").get(pk=agenda_item.pk)
    if item.meeting.form != MeetingForm.MEETING:
        raise InputError("invalid_basis", f"追认须由决策机构会议作出{ART13}", "agenda_item")
    if item.passed is None:
        raise InputError("not_decided", f"议题“{item.topic.title}”尚无表决结果", "agenda_item")
    with transaction.atomic():
        ed = EmergencyDecision.objects.select_for_update().get(pk=decision.pk)
        if version not in (None, "") and int(version) != ed.version:
            raise SoegovError("stale_version", "该紧急决策已被他人更新，请刷新后重试", "version")
        if ed.status != RatificationStatus.AWAITING:
            raise SoegovError("done", f"该紧急决策已{ed.get_status_display()}", "status")
        if item.meeting.body_id != ed.body_id or item.meeting.held_at <= ed.decided_at:
            raise InputError("invalid_ratification", f"追认应由“{ed.body.name}”在决定之后召开的会议作出", "agenda_item")
        before = snapshot(ed)
        held = timezone.localtime(item.meeting.held_at)
        first = next_meeting_after(ed)
        reasons = []
        if held.date() > ed.ratify_due:
            reasons.append(f"晚于追认期限 {ed.ratify_due:%Y-%m-%d}")
        if first is not None and first.pk != item.meeting_id and first.held_at < item.meeting.held_at:
            reasons.append(f"未在决定后的第一次会议（{first.title}）上追认")
        ed.status = RatificationStatus.RATIFIED if item.passed else RatificationStatus.REJECTED
        ed.ratified_by = item
        ed.ratified_at = item.meeting.held_at
        ed.ratified_late = bool(reasons)
        ed.late_reason = "；".join(reasons)[:200]
        ed.version += 1
        ed.save()
        audit_record(actor=actor, action="followup.ratify", obj=ed, before=before, after=snapshot(ed))
    return ed
