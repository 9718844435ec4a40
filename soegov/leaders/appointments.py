"""Writes on appointments (the art. 7 route, step by step) and recruitments.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.leaders import bridges
from soegov.leaders.checks import SUPERVISOR_GATE, locked, post_value, term_check
from soegov.leaders.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentStep,
    Document,
    Leader,
    Post,
    Recruitment,
    RecruitmentStatus,
)
from soegov.leaders.records import LEADER_FIELDS, is_listed
from soegov.user_input import clean_date, clean_text

ENTERPRISE_WRITERS = frozenset({Role.ENTERPRISE_FILER, Role.ENTERPRISE_LEADER, Role.SECRETARY})
# Steps an enterprise user of the parent group may record; the supervisor's staff may record every step.
ENTERPRISE_ACTORS = frozenset({"parent_party_organization", "enterprise"})


def _require_step_actor(actor: Any, enterprise: Enterprise, step: dict[str, Any]) -> None:
    if actor is None:
        return
    if actor.role == Role.SUPERVISOR_REVIEWER and actor.jurisdiction_id == enterprise.jurisdiction_id:
        return
    if (step["actor"] in ENTERPRISE_ACTORS and actor.role in ENTERPRISE_WRITERS and enterprise.parent_id
            and Enterprise.objects.filter(enterprise_scope_q(actor), pk=enterprise.parent_id).exists()):
        return
    raise PermissionDenied(f"“{step['label']}”须由国资监管审核人或上级集团的用户登记")


def route_for(enterprise: Enterprise, on: dt.date | None = None, post: str | None = None,
              listed: bool | None = None) -> dict[str, Any]:
    """The art. 7 route of the enterprise's level, listing and ownership (and the post, where one has its own
    route: the discipline secretary), from the engine; a state minority stake's is a recommendation only.
    `listed`: whether it is a listed group, when already read (selectors.with_listing)."""
    from soegov.policy.appointments import appointment_route

    return appointment_route(policy=enterprise.jurisdiction.default_policy, level=enterprise.level,
                             listed=is_listed(enterprise) if listed is None else listed, on=on or timezone.localdate(),
                             ownership=enterprise.ownership or None, post=post or None)


APPOINTMENT_FIELDS = ["kind", "person_name", "post", "term_start", "term_end", "leader", "route_id", "status", "version"]


@SUPERVISOR_GATE.on("enterprise")
def appointment_start(*, actor: Any, enterprise: Enterprise, kind: str = "appoint", person_name: str = "",
                      post: str = "", term_start: Any = None, term_end: Any = None, leader: Leader | None = None,
                      recruitment: Recruitment | None = None) -> Appointment:
    """Open an appointment (or removal) on the route the engine gives for the enterprise's level."""
    if kind not in AppointmentKind.values:
        raise InputError("invalid_kind", "请选择任职或免职", "kind", "kind must be appoint or remove")
    if kind == AppointmentKind.REMOVE:
        if leader is None or leader.enterprise_id != enterprise.pk or not leader.active:
            raise InputError("leader_required", "免职须选择本企业在任的领导人员", "leader", "choose a serving leader to remove")
        person_name, post = leader.name, leader.post
    start = clean_date(term_start, "term_start", "任期开始日期", required=False)
    end = clean_date(term_end, "term_end", "任期结束日期", required=False)
    term_check(start, end)
    post = post_value(post)
    route = route_for(enterprise, post=post)
    appt = Appointment(enterprise=enterprise, kind=kind, person_name=clean_text(person_name, "person_name", "人选姓名", 50),
                       post=post, term_start=start, term_end=end, leader=leader, recruitment=recruitment,
                       route=route, route_id=route["id"], created_by=acting_user(actor))
    with transaction.atomic():
        appt.save()
        audit_record(actor=actor, action="leaders.appointment_start", obj=appt, after=snapshot(appt, APPOINTMENT_FIELDS))
    return appt


def next_step(appointment: Appointment) -> dict[str, Any] | None:
    """The route's next step not yet taken, or None when all are."""
    done = appointment.done_steps.count()
    steps = appointment.steps
    return steps[done] if done < len(steps) and appointment.status == AppointmentStatus.IN_PROGRESS else None


def appointment_step(*, actor: Any, appointment: Appointment, document: Document, decided_on: Any,
                     comment: str = "", agenda_item: int | None = None, version: int | None = None) -> Appointment:
    """Record the next step of the route with its document; the last step completes the appointment."""
    day = clean_date(decided_on, "decided_on", "日期")
    assert day is not None
    if day > timezone.localdate():
        raise InputError("future_date", "日期不能晚于今天", "decided_on", "the date is in the future")
    with transaction.atomic():
        appt = locked(Appointment, appointment, version)
        step = next_step(appt)
        if step is None:
            raise SoegovError("not_in_progress", f"该任免事项{appt.get_status_display()}，没有待办步骤", "status",
                              "the appointment has no pending step")
        _require_step_actor(actor, appt.enterprise, step)
        if document.enterprise_id != appt.enterprise_id:
            raise InputError("invalid_document", "所附文件不属于该企业", "document", "the document belongs to another enterprise")
        last = appt.done_steps.order_by("-number").first()
        if last is not None and day < last.decided_on:
            raise InputError("date_order", f"日期不能早于上一步“{last.label}”的日期 {last.decided_on}", "decided_on",
                             "a step cannot be dated before the previous one")
        item_id = None
        if step["basis"] == "meeting_item":
            if not agenda_item:
                raise InputError("agenda_item_required",
                                 f"“{step['label']}”须以企业会议的人事任免议题为依据，请选择会议议题（{step['citation']['short']}）",
                                 "agenda_item", "this step rests on an enterprise meeting item")
            item_id = _personnel_basis(int(agenda_item), appt)
        before = snapshot(appt, APPOINTMENT_FIELDS)
        AppointmentStep.objects.create(appointment=appt, number=step["number"], code=step["code"], label=step["label"],
                                       document=document, agenda_item_id=item_id, decided_on=day,
                                       comment=clean_text(comment, "comment", "说明", 2000, required=False), actor=acting_user(actor))
        appt.version += 1
        if step["number"] == len(appt.steps):
            _complete(appt, day, actor)
        appt.save()
        audit_record(actor=actor, action="leaders.appointment_step", obj=appt, before=before,
                     after=snapshot(appt, APPOINTMENT_FIELDS) | {"step": step["code"], "document": document.pk,
                                                                  "agenda_item": item_id})
    return appt


def _personnel_basis(item_id: int, appt: Appointment) -> int:
    """The agenda item a decision step rests on: personnel, passed (engine-computed or declared by the meeting where
    no meeting rules apply — the meetings app labels that), voted by ballot; else the bridge's refusal."""
    citation = appt.route.get("ballot_citation")
    try:
        return int(bridges.check_personnel_item(item_id, appt.enterprise, citation).pk)
    except InputError as exc:
        policy = appt.route.get("policy")
        if exc.code != "personnel_not_ballot" or not citation or citation.get("document") in (None, policy):
            raise
        # The enterprise's own pack has no ballot rule: the Xundian measure is cited for reference, not as binding.
        raise InputError("personnel_not_ballot",
                         "按“三重一大”决策制度，重要人事任免事项须采取投票表决；该人事任免议题未采取投票表决（无记名投票），"
                         f"不能作为任免决定的依据（本企业适用的 {policy} 对表决方式未作规定，参照{citation['short']}："
                         f"{citation['text']}）", "agenda_item",
                         "personnel matters are decided by ballot (the enterprise's own pack has no rule; the cited "
                         "article is for reference)") from None


def _complete(appt: Appointment, day: dt.date, actor: Any) -> None:
    """Carry the decision onto the leader record: a new post and term, or the end of one."""
    appt.status = AppointmentStatus.COMPLETED
    appt.completed_at = timezone.now()
    if appt.kind == AppointmentKind.REMOVE:
        leader = Leader.objects.select_for_update().get(pk=appt.leader_id)
        before = snapshot(leader, LEADER_FIELDS)
        leader.active, leader.term_end = False, day
    else:
        leader = Leader(enterprise=appt.enterprise, name=appt.person_name, post=appt.post,
                        term_start=appt.term_start or day, term_end=appt.term_end)
        before = {}
    leader.version += 1
    leader.updated_at = timezone.now()
    leader.save()
    appt.leader = leader
    audit_record(actor=actor, action="leaders.leader_" + ("remove" if appt.kind == AppointmentKind.REMOVE else "appoint"),
                 obj=leader, before=before, after=snapshot(leader, LEADER_FIELDS) | {"appointment": appt.pk})


@SUPERVISOR_GATE.on("appointment.enterprise")
def appointment_cancel(*, actor: Any, appointment: Appointment, comment: str, version: int | None = None) -> Appointment:
    """Stop an appointment in progress (e.g. the candidate was not approved), with the reason."""
    reason = clean_text(comment, "comment", "终止原因", 2000)
    with transaction.atomic():
        appt = locked(Appointment, appointment, version)
        if appt.status != AppointmentStatus.IN_PROGRESS:
            raise SoegovError("not_in_progress", f"该任免事项{appt.get_status_display()}，不能终止", "status", "not in progress")
        before = snapshot(appt, APPOINTMENT_FIELDS)
        appt.status = AppointmentStatus.CANCELLED
        appt.version += 1
        appt.save()
        audit_record(actor=actor, action="leaders.appointment_cancel", obj=appt, before=before,
                     after=snapshot(appt, APPOINTMENT_FIELDS) | {"comment": reason})
    return appt


@SUPERVISOR_GATE.on("enterprise")
def recruitment_open(*, actor: Any, enterprise: Enterprise, post: str, decision: Document, decided_on: Any,
                     announcement: str = "") -> Recruitment:
    """Open a recruitment of a senior manager on the supervisor's decision (yining art. 8)."""
    if post not in {Post.GENERAL_MANAGER, Post.DEPUTY_GM, Post.CHIEF_ACCOUNTANT}:
        raise InputError("invalid_post", "公开选聘限于经理层岗位（总经理、副总经理、总会计师）（伊宁办法第八条：高级经营管理人员）",
                         "post", "open recruitment is for senior managers only")
    if decision.enterprise_id != enterprise.pk:
        raise InputError("invalid_document", "批准选聘的决定不属于该企业", "decision", "the decision belongs to another enterprise")
    rec = Recruitment(enterprise=enterprise, post=post, decision=decision,
                      decided_on=clean_date(decided_on, "decided_on", "决定日期"),
                      announcement=clean_text(announcement, "announcement", "选聘公告要点", 4000, required=False),
                      created_by=acting_user(actor))
    with transaction.atomic():
        rec.save()
        audit_record(actor=actor, action="leaders.recruitment_open", obj=rec,
                     after=snapshot(rec, ["post", "decision", "decided_on", "status"]))
    return rec


@SUPERVISOR_GATE.on("recruitment.enterprise")
def recruitment_close(*, actor: Any, recruitment: Recruitment, hired: bool, result: str, hired_name: str = "",
                      version: int | None = None) -> Recruitment:
    """Record the result: who was hired (then appointed through the route) or that nobody was."""
    result = clean_text(result, "result", "选聘结果", 4000)
    name = clean_text(hired_name, "hired_name", "聘任人选", 50, required=hired)
    with transaction.atomic():
        rec = locked(Recruitment, recruitment, version)
        if rec.status != RecruitmentStatus.OPEN:
            raise SoegovError("closed", "该选聘已结束", "status", "the recruitment is closed")
        before = snapshot(rec, ["status", "result", "hired_name"])
        rec.status = RecruitmentStatus.HIRED if hired else RecruitmentStatus.FAILED
        rec.result, rec.hired_name, rec.closed_at = result, name if hired else "", timezone.now()
        rec.version += 1
        rec.save()
        audit_record(actor=actor, action="leaders.recruitment_close", obj=rec, before=before,
                     after=snapshot(rec, ["status", "result", "hired_name"]))
    return rec
