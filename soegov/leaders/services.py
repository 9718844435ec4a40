"""Writes on leaders: keyword-only, one transaction each, the acting user checked and an audit entry inside.

Pay and assessment figures are personal information: they never go into audit entries in clear (the entry
says which fields changed and carries a digest), and only entitled supervisor staff may write or read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.files import file_scope, file_store
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.models import Enterprise
from soegov.enterprises.permissions import within_jurisdiction
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.leaders import bridges, grading, privacy
from soegov.leaders.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentStep,
    ContractKind,
    ContractStatus,
    Document,
    GroupListing,
    Leader,
    PayDeduction,
    PayRecord,
    PerformanceContract,
    Post,
    Recruitment,
    RecruitmentStatus,
)
from soegov.policy.inputs import THOUSANDS
from soegov.user_input import clean_date, clean_money, clean_text, clean_year

ENTERPRISE_WRITERS = frozenset({Role.ENTERPRISE_FILER, Role.ENTERPRISE_LEADER, Role.SECRETARY})
# Steps an enterprise user of the parent group may record; the supervisor's staff may record every step.
ENTERPRISE_ACTORS = frozenset({"parent_party_organization", "enterprise"})
MONEY_MAX = Decimal("1e10")
# Only the supervisor's reviewers of the enterprise's jurisdiction act on its leaders.
SUPERVISOR_GATE = Gate({Role.SUPERVISOR_REVIEWER}, "只有本辖区的国资监管审核人可以办理企业领导人员事项", within_jurisdiction,
                       "只有本辖区的国资监管审核人可以办理企业领导人员事项")


# --- checks and parsing ---------------------------------------------------------------------------


def _require_step_actor(actor: Any, enterprise: Enterprise, step: dict[str, Any]) -> None:
    if actor is None:
        return
    if actor.role == Role.SUPERVISOR_REVIEWER and actor.jurisdiction_id == enterprise.jurisdiction_id:
        return
    if (step["actor"] in ENTERPRISE_ACTORS and actor.role in ENTERPRISE_WRITERS and enterprise.parent_id
            and Enterprise.objects.filter(enterprise_scope_q(actor), pk=enterprise.parent_id).exists()):
        return
    raise PermissionDenied(f"“{step['label']}”须由国资监管审核人或上级集团的用户登记")






def _post(value: Any) -> str:
    if value not in Post.values:
        raise InputError("invalid_post", "请选择职务", "post", "choose a post")
    return str(value)


def _locked(model: Any, obj: Any, version: int | None) -> Any:
    return lock_current(model.objects.all(), obj.pk, version, "记录", "record")



# --- group listing and leader records -------------------------------------------------------------


@SUPERVISOR_GATE.on("enterprise")
def listing_set(*, actor: Any, enterprise: Enterprise, listed: bool, basis: str = "") -> GroupListing:
    """Mark a level-2 group as listed (or not) among those whose leaders the city party committee decides."""
    if listed and enterprise.level != 2:
        raise InputError("not_level2", "只有二级企业集团可以列入市委研究决定的名单（伊宁办法第七条第一项第2目）", "listed",
                         "only level-2 groups can be listed")
    basis = clean_text(basis, "basis", "依据文件", 200, required=False)
    with transaction.atomic():
        listing, _ = GroupListing.objects.select_for_update().get_or_create(enterprise=enterprise)
        before = snapshot(listing, ["listed", "basis"])
        listing.listed, listing.basis = listed, basis
        listing.updated_by, listing.updated_at = acting_user(actor), timezone.now()
        listing.save()
        audit_record(actor=actor, action="leaders.listing_set", obj=listing, before=before,
                     after=snapshot(listing, ["listed", "basis"]))
    return listing


def is_listed(enterprise: Enterprise) -> bool:
    """Whether the enterprise is a listed level-2 group."""
    return GroupListing.objects.filter(enterprise=enterprise, listed=True).exists()


LEADER_FIELDS = ["name", "post", "term_start", "term_end", "active", "user", "body_member"]


@SUPERVISOR_GATE.on("enterprise")
def leader_create(*, actor: Any, enterprise: Enterprise, name: str, post: str, term_start: Any = None,
                  term_end: Any = None, user: Any = None) -> Leader:
    """Record a serving leader (for teams in post before the system; new ones come through an appointment)."""
    leader = Leader(enterprise=enterprise, name=clean_text(name, "name", "姓名", 50), post=_post(post),
                    term_start=clean_date(term_start, "term_start", "任期开始日期", required=False),
                    term_end=clean_date(term_end, "term_end", "任期结束日期", required=False), user=user)
    _check_term(leader.term_start, leader.term_end)
    with transaction.atomic():
        leader.save()
        audit_record(actor=actor, action="leaders.leader_create", obj=leader, after=snapshot(leader, LEADER_FIELDS))
    return leader


@SUPERVISOR_GATE.on("leader.enterprise")
def leader_update(*, actor: Any, leader: Leader, name: str, term_start: Any, term_end: Any, active: bool) -> Leader:
    """Change a leader record's name, term or serving flag (the group's HR sync keeps them in step)."""
    name = clean_text(name, "name", "姓名", 50)
    start = clean_date(term_start, "term_start", "任期开始日期", required=False)
    end = clean_date(term_end, "term_end", "任期结束日期", required=False)
    _check_term(start, end)
    with transaction.atomic():
        locked = Leader.objects.select_for_update().get(pk=leader.pk)
        before = snapshot(locked, LEADER_FIELDS)
        locked.name, locked.term_start, locked.term_end, locked.active = name, start, end, bool(active)
        after = snapshot(locked, LEADER_FIELDS)
        if after != before:
            locked.version += 1
            locked.updated_at = timezone.now()
            locked.save()
            audit_record(actor=actor, action="leaders.leader_update", obj=locked, before=before, after=after)
    return locked


def _check_term(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise InputError("invalid_term", "任期结束日期不能早于开始日期", "term_end", "term_end is before term_start")


# --- documents ------------------------------------------------------------------------------------


@contextmanager
def upload_scope() -> Iterator[None]:
    """Upload a document and record what rests on it as one: a refusal leaves neither the record nor the file."""
    with file_scope(), transaction.atomic():
        yield


def document_upload(*, actor: Any, enterprise: Enterprise, title: str, name: str, data: bytes,
                    doc_number: str = "") -> Document:
    """Store an uploaded document by its hash, typed by its content (the core file store)."""
    title = clean_text(title, "title", "文件名称", 200)
    doc_number = clean_text(doc_number, "doc_number", "文号", 60, required=False)
    with file_scope(), transaction.atomic():
        stored = file_store(data, label=title or "文件")
        doc = Document.objects.create(
            enterprise=enterprise, title=title, doc_number=doc_number,
            original_name=f"{Path(str(name or '')).stem[:200] or title}.{stored.extension}",
            content_type=stored.content_type, extension=stored.extension, size=stored.size, sha256=stored.sha256,
            uploaded_by=acting_user(actor))
        audit_record(actor=actor, action="leaders.document_upload", obj=doc,
                     after={"title": title, "doc_number": doc_number, "sha256": stored.sha256, "size": stored.size})
    return doc


# --- appointments ---------------------------------------------------------------------------------


def route_for(enterprise: Enterprise, on: dt.date | None = None, post: str | None = None) -> dict[str, Any]:
    """The art. 7 route of the enterprise's level, listing and ownership (and the post, where one has its own
    route: the discipline secretary), from the engine; a state minority stake's is a recommendation only."""
    from soegov.policy.appointments import appointment_route

    return appointment_route(policy=enterprise.jurisdiction.default_policy, level=enterprise.level,
                             listed=is_listed(enterprise), on=on or timezone.localdate(),
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
    _check_term(start, end)
    post = _post(post)
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
        appt = _locked(Appointment, appointment, version)
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
        appt = _locked(Appointment, appointment, version)
        if appt.status != AppointmentStatus.IN_PROGRESS:
            raise SoegovError("not_in_progress", f"该任免事项{appt.get_status_display()}，不能终止", "status", "not in progress")
        before = snapshot(appt, APPOINTMENT_FIELDS)
        appt.status = AppointmentStatus.CANCELLED
        appt.version += 1
        appt.save()
        audit_record(actor=actor, action="leaders.appointment_cancel", obj=appt, before=before,
                     after=snapshot(appt, APPOINTMENT_FIELDS) | {"comment": reason})
    return appt


# --- open recruitment (art. 8) --------------------------------------------------------------------


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
        rec = _locked(Recruitment, recruitment, version)
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


# --- performance contracts (art. 9) ---------------------------------------------------------------


def _targets(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise InputError("targets_required", "请至少填写一项考核指标", "targets", "at least one target is required")
    out = []
    for n, t in enumerate(raw, start=1):
        if not isinstance(t, dict):
            raise InputError("invalid_target", f"第 {n} 项考核指标格式不正确", "targets", "a target must be an object")
        name = clean_text(t.get("name"), "targets", f"第 {n} 项指标名称", 100)
        try:
            weight = Decimal(str(t.get("weight", "")).strip())
            target = Decimal(str(t.get("target", "")).strip())
        except InvalidOperation:
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的权重和目标值应为数字", "targets",
                             "weight and target must be numbers") from None
        if not weight.is_finite() or weight <= 0 or not target.is_finite():
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的权重应大于 0", "targets",
                             "weight must be positive")
        direction = str(t.get("direction") or "higher")
        if direction not in ("higher", "lower"):
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的方向应为越高越好或越低越好", "targets",
                             "direction must be higher or lower")
        out.append({"name": name, "unit": str(t.get("unit") or "")[:20], "weight": str(weight), "target": str(target),
                    "direction": direction})
    grading.check_weights(out)
    return out


def _not_future(day: dt.date, path: str, label: str) -> dt.date:
    if day > timezone.localdate():
        raise InputError("future_date", f"{label} {day} 晚于今天：只能登记已经发生的事", path, f"{path} is in the future")
    return day


def _check_signed_on(day: dt.date, first_year: int, last_year: int) -> dt.date:
    """A contract is signed before its period ends, at most a year ahead of it, and not in the future (13.10)."""
    _not_future(day, "signed_on", "签订日期")
    if day > dt.date(last_year, 12, 31):
        raise InputError("signed_after_period", f"签订日期 {day} 晚于考核期结束（{last_year}-12-31）：责任书应在考核期内签订",
                         "signed_on", "the contract is dated after its period ended")
    if day < dt.date(first_year - 1, 1, 1):
        raise InputError("signed_too_early", f"签订日期 {day} 早于考核期开始前一年（{first_year - 1}-01-01），请核对年度",
                         "signed_on", "the contract is dated more than a year before its period")
    return day


def _check_scored_on(day: dt.date, contract: PerformanceContract) -> dt.date:
    """A year-end score is dated from the 1 December of the period's last year, not in the future, not before
    the signature: the results of a year that has not come to its end are not known (13.10)."""
    last = contract.end_year or contract.year
    earliest = dt.date(last, 12, 1)
    _not_future(day, "scored_on", "考核日期")
    if day < earliest:
        raise InputError("scored_before_period_end",
                         f"考核日期 {day} 早于考核期最后一个月：{contract.get_kind_display()}（{contract.year}"
                         f"{'—' + str(contract.end_year) if contract.end_year else ''}年度）最早于 {earliest} 起年终考核",
                         "scored_on", f"the period's results are not known before {earliest}")
    if day < contract.signed_on:
        raise InputError("scored_before_signed", f"考核日期 {day} 早于责任书签订日期 {contract.signed_on}", "scored_on",
                         "the score is dated before the contract was signed")
    return day


CONTRACT_FIELDS = ["kind", "year", "end_year", "status", "signed_on", "version"]


@SUPERVISOR_GATE.on("leader.enterprise")
def contract_sign(*, actor: Any, leader: Leader, kind: str, year: Any, targets: Any, signed_on: Any,
                  end_year: Any = None, document: Document | None = None) -> PerformanceContract:
    """Record an annual or tenure contract the supervisor signed with the leader (yining art. 9)."""
    privacy.require_entitled(actor, leader, "contract_sign")
    if kind not in ContractKind.values:
        raise InputError("invalid_kind", "请选择年度或任期责任书", "kind", "kind must be annual or tenure")
    y = clean_year(year)
    end = clean_year(end_year, "end_year") if kind == ContractKind.TENURE else None
    if end is not None and end < y:
        raise InputError("invalid_year", "任期结束年度不能早于起始年度", "end_year", "end_year is before year")
    parsed = _targets(targets)
    signed = _check_signed_on(clean_date(signed_on, "signed_on", "签订日期"), y, end or y)
    if PerformanceContract.objects.filter(leader=leader, kind=kind, year=y).exists():
        raise InputError("duplicate", f"{leader.name} {y} 年度的{ContractKind(kind).label}已经签订", "year", "already signed")
    contract = PerformanceContract(leader=leader, kind=kind, year=y, end_year=end, targets=parsed,
                                   signed_on=signed, signed_document=document,
                                   created_by=acting_user(actor))
    with transaction.atomic():
        contract.save()
        audit_record(actor=actor, action="leaders.contract_sign", obj=contract,
                     after=snapshot(contract, CONTRACT_FIELDS) | {"targets": privacy.digest(parsed)})
    return contract


@SUPERVISOR_GATE.on("contract.leader.enterprise")
def contract_score(*, actor: Any, contract: PerformanceContract, results: Any, scored_on: Any, reward: str = "",
                   appointment_consequence: str = "", version: int | None = None) -> PerformanceContract:
    """Enter the year-end results, score and grade them, keep the compliance findings beside, record consequences."""
    privacy.require_entitled(actor, contract.leader, "contract_score")
    if not isinstance(results, list | tuple) or len(results) != len(contract.targets):
        raise InputError("results_required", f"请填写全部 {len(contract.targets)} 项指标的完成值", "results",
                         "one result per target is required")
    filled = []
    for t, r in zip(contract.targets, results, strict=True):
        text = str(r).strip().replace("，", ",")
        if "," in text and not THOUSANDS.fullmatch(text):
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值“{r}”中的逗号只能作千位分隔符", "results",
                             "commas are allowed only as thousands separators")
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值“{r}”不是数字", "results", "a result is not a number") from None
        if not value.is_finite():
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值不是有限数", "results", "a result is not finite")
        filled.append({**t, "result": str(value)})
    day = _check_scored_on(clean_date(scored_on, "scored_on", "考核日期"), contract)
    scored, total = grading.score(filled)
    grade, label = grading.grade_of(total)
    with transaction.atomic():
        c = _locked(PerformanceContract, contract, version)
        before = snapshot(c, CONTRACT_FIELDS)
        c.targets, c.score, c.grade, c.grade_label, c.scored_on = scored, total, grade, label, day
        c.status = ContractStatus.SCORED
        c.reward = clean_text(reward, "reward", "奖惩决定", 4000, required=False)
        c.appointment_consequence = clean_text(appointment_consequence, "appointment_consequence", "任免意见", 4000, required=False)
        c.compliance = bridges.compliance_for(c.leader.enterprise, c.year, c.leader.name)
        c.version += 1
        c.save()
        audit_record(actor=actor, action="leaders.contract_score", obj=c, before=before,
                     after=snapshot(c, CONTRACT_FIELDS) | {"result": privacy.digest([scored, str(total), grade])})
    return c


# --- pay (art. 10) and sanctions (xundian art. 32) ------------------------------------------------

PAY_FIELDS = ["year", "base_pay", "performance_pay", "tenure_incentive", "decision_number", "decision", "version"]


def pay_check(*, year: Any, base_pay: Any, performance_pay: Any, tenure_incentive: Any,
              decision_number: str) -> tuple[int, dict[str, Any], str]:
    """The typed year, figures and decision number of a pay decision, parsed (errors name the field)."""
    y = clean_year(year)
    values = {"base_pay": clean_money(base_pay, "base_pay", "基本年薪"),
              "performance_pay": clean_money(performance_pay, "performance_pay", "绩效年薪"),
              "tenure_incentive": clean_money(tenure_incentive or 0, "tenure_incentive", "任期激励收入")}
    return y, values, clean_text(decision_number, "decision_number", "薪酬决定文号", 60)


@SUPERVISOR_GATE.on("leader.enterprise")
def pay_set(*, actor: Any, leader: Leader, year: Any, base_pay: Any, performance_pay: Any, tenure_incentive: Any,
            decision_number: str, decision: Document, version: int | None = None) -> PayRecord:
    """Set a leader's pay for a year as the supervisor's decision fixed it (a later decision replaces it)."""
    privacy.require_entitled(actor, leader, "pay_set")
    y, values, number = pay_check(year=year, base_pay=base_pay, performance_pay=performance_pay,
                                  tenure_incentive=tenure_incentive, decision_number=decision_number)
    if decision.enterprise_id != leader.enterprise_id:
        raise InputError("invalid_document", "薪酬决定文件不属于该企业", "decision", "the decision belongs to another enterprise")
    stopped = bridges.pay_stopped(leader.enterprise, leader.name, y)
    if stopped is not None:
        sanction, tier = stopped
        raise InputError("pay_stopped", f"{leader.name}已于{sanction.year}年受“{tier.zh}”处理（{sanction.case_party.case}）："
                         f"{tier.consequences_text()}，不能再登记{y}年度原职务薪酬", "year",
                         "removed or dismissed for a breach: no further pay in the post (yining art. 30)")
    with transaction.atomic():
        record = PayRecord.objects.select_for_update().filter(leader=leader, year=y).first()
        if record is not None:
            if version is not None and int(version) != record.version:
                raise SoegovError("stale_version", "该薪酬记录已被他人更新，请刷新页面后重试", "version", "stale version")
            if record.deductions.exists():
                raise SoegovError("has_deductions", "该年度薪酬已登记问责扣减，不能再修改薪酬基数", "year",
                                  "pay with deductions cannot be changed")
            if bridges.sanctions_on(record):
                raise SoegovError("has_sanctions", "问责案件已按该年度薪酬记录计算扣减，不能再修改薪酬基数（案件与薪酬须一致）",
                                  "year", "a case computed its deduction from this pay record")
            before = privacy.masked_snapshot(record, PAY_FIELDS)
            record.version += 1
        else:
            record = PayRecord(leader=leader, year=y, created_by=acting_user(actor))
            before = {}
        for k, v in values.items():
            setattr(record, k, v)
        record.decision_number, record.decision, record.updated_at = number, decision, timezone.now()
        record.save()
        audit_record(actor=actor, action="leaders.pay_set", obj=record, before=before,
                     after=privacy.masked_snapshot(record, PAY_FIELDS))
    return record


def sanction_tier(policy: str, code: str) -> Any:
    """The tier of a sanction in the case's own pack (a Yining measure never borrows Xundian's deductions)."""
    from soegov.policy.sanctions import sanctions_for

    for tier in sanctions_for(policy).tiers:
        if tier.code == code:
            return tier
    raise InputError("unknown_tier", f"{policy} 没有处理档次“{code}”", "sanction", f"{policy} has no sanction tier {code!r}")


@SUPERVISOR_GATE.on("pay_record.leader.enterprise")
def sanction_apply(*, actor: Any, pay_record: PayRecord, sanction_id: Any) -> PayDeduction:
    """Deduct an accountability sanction from the pay of its year, recomputed from this pay record; once only."""
    from soegov.policy.sanctions import deduction

    leader = pay_record.leader
    privacy.require_entitled(actor, leader, "sanction_apply")
    try:
        sid = int(str(sanction_id))
    except ValueError:
        raise InputError("invalid_sanction", "请选择问责处理", "sanction", "choose a sanction") from None
    sanction = bridges.sanction_get(sid)
    party = sanction.case_party
    case = party.case
    if party.enterprise_id != leader.enterprise_id or party.name != leader.name:
        raise InputError("other_person", f"该问责处理针对的是“{party.name}”，不是{leader.name}", "sanction",
                         "the sanction concerns another person")
    if party.exempt:
        raise InputError("exempt", f"{party.name}已被免除责任（寻甸办法第三十条），不能扣减", "sanction", "the party is exempt")
    if int(sanction.year) != pay_record.year:
        raise InputError("other_year", f"该问责处理应扣减 {sanction.year} 年度的薪酬，不是 {pay_record.year} 年度（寻甸办法第三十二条：当年）",
                         "sanction", "the sanction applies to another year's pay")
    if sanction.pay_record_id not in (None, pay_record.pk):
        raise InputError("other_record", "该问责处理按另一条薪酬记录计算，不能从本记录扣减", "sanction",
                         "the sanction was computed from another pay record")
    tier = sanction_tier(case.policy, sanction.tier)
    if not tier.deducts:
        raise InputError("no_deduction", f"“{tier.zh}”不扣减薪酬", "sanction", "this tier deducts nothing from pay")
    result = deduction(tier, performance_pay=pay_record.performance_pay, tenure_incentive=pay_record.tenure_incentive,
                       rate=sanction.rate if tier.cap else None)
    with transaction.atomic():
        PayRecord.objects.select_for_update().get(pk=pay_record.pk)
        if PayDeduction.objects.filter(sanction_id=sanction.pk).exists():
            raise InputError("already_applied", "该问责处理已经扣减过，同一处理只扣减一次", "sanction", "already applied")
        # One figure, one source (issue 13.4): the payroll takes exactly what the case states.
        bridges.sanction_agree(actor=actor, sanction=sanction, pay_record=pay_record, result=result)
        d = PayDeduction.objects.create(
            pay_record=pay_record, sanction_id=sanction.pk, case_id=case.pk, case_label=str(case)[:200],
            tier=tier.zh[:200], rate=result.rate, performance_deduction=result.performance_pay_deduction,
            tenure_deduction=result.tenure_incentive_deduction, citation=tier.citation.as_dict(), applied_by=acting_user(actor))
        audit_record(actor=actor, action="leaders.sanction_apply", obj=d,
                     after={"pay_record": pay_record.pk, "sanction": sanction.pk, "case": case.pk, "tier": tier.code,
                            "amounts": privacy.digest([str(d.performance_deduction), str(d.tenure_deduction)])})
    return d


def enterprise_users_of(enterprise: Enterprise) -> Any:
    """Active enterprise users of the enterprise (for linking a leader to an account)."""
    from soegov.accounts.models import User

    return User.objects.filter(is_active=True, role__in=ENTERPRISE_ROLES, enterprise=enterprise)


def targets_from_text(text: str) -> list[dict[str, Any]]:
    """Targets typed one per line as 名称|单位|权重|目标值|越高越好/越低越好 (the form's plain-text input)."""
    out = []
    for n, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 4:
            raise InputError("invalid_target", f"考核指标第 {n} 行应为“名称|单位|权重|目标值|越高越好或越低越好”", "targets",
                             "each line is name|unit|weight|target|direction")
        direction = "lower" if len(parts) > 4 and parts[4] in ("越低越好", "lower") else "higher"
        out.append({"name": parts[0], "unit": parts[1], "weight": parts[2], "target": parts[3], "direction": direction})
    return out
