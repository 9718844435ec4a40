"""Writes on matters: keyword-only, one transaction each, the acting user checked and an audit entry inside.

Every transition locks the matter row (select_for_update) and checks the version the actor saw, so two
reviewers acting at once never lose an update: the second is refused with a message instead.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError, TransitionRefused
from soegov.core.files import file_scope, file_store
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.models import Enterprise
from soegov.enterprises.permissions import within_jurisdiction, within_scope
from soegov.matters import verdicts, workflow
from soegov.matters.documents import abbreviation
from soegov.matters.models import Attachment, Event, Matter, Notification, Route, Status, Submission, Verdict
from soegov.matters.sealing import seal_answer
from soegov.matters.selectors import attachment_label
from soegov.notices import events as notice_events
from soegov.user_input import clean_datetime, clean_money, clean_text

ENTERPRISE_WRITERS = frozenset({Role.ENTERPRISE_FILER, Role.ENTERPRISE_LEADER, Role.SECRETARY})
REVIEWERS = frozenset({Role.SUPERVISOR_REVIEWER})
WRITER_GATE = Gate(ENTERPRISE_WRITERS, "只有企业用户可以办理本企业的事项", within_scope)
REVIEWER_GATE = Gate(REVIEWERS, "只有本辖区的国资监管审核人可以审核该事项", within_jurisdiction,
                     "只有本辖区的国资监管审核人可以审核该事项")
AUDIT_FIELDS = ["status", "version", "route", "amount", "attributes", "occurred_on", "decided_at", "submitted_at",
                "due_at", "review_due_at", "answered_at", "committee_passed_at", "forwarded_at", "implemented_at"]


# --- permission and locking -------------------------------------------------------------------------


def _lock(matter: Matter, version: int | None) -> Matter:
    """The matter re-read under a row lock; refused when the actor saw an older version."""
    return lock_current(Matter.objects.select_related("enterprise"), matter.pk, version, "事项", "matter", with_status=True)


def _check(action: str, matter: Matter, actor: Any) -> None:
    froms, _, side = workflow.TRANSITIONS[action]
    if side == workflow.ENTERPRISE:
        WRITER_GATE.check(actor, matter.enterprise)
    else:
        REVIEWER_GATE.check(actor, matter.enterprise)
    if action in ("submit", "implement") and not in_force(latest_verdict(matter).result):
        # A matter stored before dates were checked: its verdict decided nothing, so nothing may proceed on it.
        raise not_in_force_error(latest_verdict(matter).result)
    if not workflow.allowed(action, matter.status, matter.route):
        if action == "implement":
            raise TransitionRefused(
                "not_approved",
                f"事项当前状态为“{matter.get_status_display()}”，未经批准或备案不得实施"
                "（伊宁市市属国有企业监督管理办法第十九条：未经审批，不得以任何理由先行决策实施）",
                "status", "not approved: it may not be implemented (yining-2024 art. 19)",
            )
        allowed = "、".join(Status(s).label for s in sorted(froms))
        raise TransitionRefused(
            "invalid_transition",
            f"事项当前状态为“{matter.get_status_display()}”，不能{workflow.ACTION_LABELS[action]}（仅限：{allowed}）",
            "status", f"cannot {action} from {matter.status}",
        )


def _check_records(action: str, matter: Matter) -> None:
    """Refuse an action whose earlier record (workflow.REQUIRES) is missing, naming the step and the article."""
    missing = workflow.missing_record(action, matter.route, {"committee_passed_at": matter.committee_passed_at})
    if missing is not None:
        what, where = missing
        label = "批准" if action == "decide:approve" else workflow.ACTION_LABELS[action]
        raise TransitionRefused("committee_missing", f"尚未登记“{what}”，不能{label}（{where}）。请先登记{what}",
                                "committee_passed_at", f"record the supervisor's party committee pass before: {action}")


def _save(matter: Matter, before: dict[str, Any], *, actor: Any, action: str, comment: str = "",
          missing: list[str] | None = None) -> Matter:
    """Bump the version, save, write the event and the audit entry (inside the caller's transaction)."""
    matter.version += 1
    matter.updated_at = timezone.now()
    matter.save()
    Event.objects.create(matter=matter, action=action, from_status=before.get("status", ""), to_status=matter.status,
                         comment=comment, missing=missing or [], actor=acting_user(actor))
    audit_record(actor=actor, action=f"matter.{action}", obj=matter, before=before,
                 after=snapshot(matter, AUDIT_FIELDS) | ({"comment": comment} if comment else {})
                 | ({"missing": missing} if missing else {}))
    return matter


def _notify(users: Any, matter: Matter, text: str) -> None:
    """In-app messages, written after the transaction commits."""
    ids = [u.pk for u in users]

    def send() -> None:
        Notification.objects.bulk_create([Notification(user_id=i, matter=matter, text=text[:300]) for i in ids])

    transaction.on_commit(send)


def enterprise_users(matter: Matter) -> Any:
    """The active users of the matter's enterprise."""
    from soegov.accounts.models import User

    return User.objects.filter(is_active=True, role__in=ENTERPRISE_ROLES, enterprise_id=matter.enterprise_id)


def reviewers(matter: Matter) -> Any:
    """The supervisor's reviewers of the matter's jurisdiction."""
    from soegov.accounts.models import User

    return User.objects.filter(is_active=True, role=Role.SUPERVISOR_REVIEWER,
                               jurisdiction_id=matter.enterprise.jurisdiction_id)


# --- document numbers -------------------------------------------------------------------------------


def next_number(scope: str, series: str, year: int) -> int:
    """The next 文号 of a series, allocated under a row lock so two documents issued at once never share one."""
    from django.db import IntegrityError

    from soegov.matters.models import DocumentCounter

    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(scope=scope, series=series, year=year)
    except IntegrityError:  # created by a concurrent issue between our read and write: it exists now
        pass
    counter = DocumentCounter.objects.select_for_update().get(scope=scope, series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issue_request_number(m: Matter) -> str:
    """The enterprise's 发文字号 of the matter's 请示/报告, given once when it is first issued and kept."""
    if not m.doc_number:
        year = timezone.localdate().year
        n = next_number(f"enterprise:{m.enterprise_id}", "request", year)
        m.doc_number = f"{abbreviation(m.enterprise.name)}〔{year}〕{n}号"
    return m.doc_number


@WRITER_GATE.on("matter.enterprise")
@transaction.atomic
def request_number_for(*, actor: Any, matter: Matter) -> str:
    """The 请示's 文号, issued now if the system draws up the 请示 before it is submitted (the version is not raised)."""
    m = Matter.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=matter.pk)
    if not m.doc_number:
        issue_request_number(m)
        m.save(update_fields=["doc_number"])
    matter.doc_number = m.doc_number
    return m.doc_number


def _issue_answer_number(m: Matter) -> str:
    """The supervisor's 文号 of its 批复 or 备案回执, in the order answers are given in the year."""
    year = timezone.localtime(m.answered_at or timezone.now()).year
    n = next_number(f"jurisdiction:{m.enterprise.jurisdiction_id}", "answer", year)
    return f"{abbreviation(m.enterprise.jurisdiction.supervisor)}复〔{year}〕{n}号"


# --- facts and verdicts -----------------------------------------------------------------------------



def _date(value: Any) -> dt.date:
    from soegov.user_input import clean_date

    return clean_date(value, "occurred_on", "决策或发生日期")



# A date further than this from today is saved only once the user confirms it (a year typed wrong: 2030 for 2026).
FAR_DAYS = 365


def in_force(result: dict[str, Any]) -> bool:
    """Whether a version of the matter's regulation was in force on its date (else the verdict decides nothing)."""
    return bool((result.get("policy") or {}).get("in_force", True))


def not_in_force_error(result: dict[str, Any]) -> InputError:
    """The refusal of a date no version of the regulation is in force on: said plainly, asking for the date again."""
    policy = result.get("policy") or {}
    day = (result.get("matter") or {}).get("date", "")
    said = next((str(n["message"]) for n in result.get("notes", [])
                 if n.get("code") == "policy_not_in_force" and n.get("layer", "local") == "local"),
                f"{policy.get('title', policy.get('id', ''))}在 {day} 不在施行期内")
    said = said.split("，未套用任何规则")[0]
    return InputError("policy_not_in_force",
                      f"{said}：该日期没有施行中的制度版本，无法判定该事项须履行的义务，也不能视为企业内部决策。"
                      "请更正决策或发生日期", "occurred_on",
                      f"no version of {policy.get('id', '')} is in force on {day}: correct the date")


def far_date_error(day: dt.date) -> InputError | None:
    """A date more than FAR_DAYS from today, to be confirmed by the user; None when it is near."""
    days = (day - timezone.localdate()).days
    if abs(days) <= FAR_DAYS:
        return None
    when = f"{days} 天后" if days > 0 else f"{-days} 天前"
    return InputError("date_unconfirmed",
                      f"决策或发生日期 {day.isoformat()} 距今超过一年（{when}），请核对年份；确无误请勾选“确认日期无误”后再保存",
                      "occurred_on", f"the date {day.isoformat()} is more than a year from today: confirm it (date_confirmed)")


def _check_date(result: dict[str, Any], day: dt.date, *, date_confirmed: bool) -> None:
    """A matter's date must have a version of its regulation in force, and a far one must be confirmed."""
    if not in_force(result):
        raise not_in_force_error(result)
    far = None if date_confirmed else far_date_error(day)
    if far is not None:
        raise far


def engine_request(matter: Matter) -> dict[str, Any]:
    """The contract's classify input for the matter (one matter: one type, one amount)."""
    doc: dict[str, Any] = {
        "date": matter.occurred_on.isoformat(),
        "enterprise": {"level": matter.enterprise.level, "ownership": matter.enterprise.ownership},
        "type": matter.matter_type,
        "attributes": dict(matter.attributes or {}),
    }
    if matter.amount is not None:
        doc["amount"] = str(matter.amount)
    return doc


def _classify(matter: Matter) -> tuple[dict[str, Any], dict[str, Any]]:
    from soegov.policy import classify

    doc = engine_request(matter)
    if not isinstance(matter.matter_type, str) or not matter.matter_type:
        raise InputError("required", "请选择事项类型（一事一报：一份请示只含一个事项）", "type", "choose one matter type")
    result = classify(doc, policy=matter.policy, date=doc["date"], lang="zh")
    return doc, result


def _apply_verdict(matter: Matter, doc: dict[str, Any], result: dict[str, Any]) -> Verdict:
    """Store the verdict (with the change from the last one) and copy what the workflow needs onto the matter."""
    last = matter.verdicts.first() if matter.pk else None
    ob = verdicts.primary_obligation(result)
    matter.route = verdicts.route_of(result)
    matter.authority = str(ob.get("authority") or "") if ob else ""
    matter.via = str(ob.get("via") or "") if ob else ""
    matter.citation = dict(ob.get("citation") or {}) if ob else {}
    matter.required_attachments = verdicts.required_attachments(result)
    matter.needs_collective_decision = verdicts.needs_collective_decision(result)
    _recompute_due(matter, result)
    matter.save()
    return Verdict.objects.create(
        matter=matter, number=(last.number + 1) if last else 1, policy_id=str(result["policy"]["id"]),
        policy_version=str(result["policy"].get("version") or ""), request=doc, result=result,
        changes=verdicts.changes(last.result if last else None, result),
    )


def _recompute_due(matter: Matter, result: dict[str, Any]) -> None:
    """The enterprise's filing clock (art. 20) runs from the recorded decision or event."""
    if matter.decided_at is None:
        matter.due_at, matter.due_note = None, ""
        spec = verdicts.filing_deadline(result)
        if spec:
            matter.due_note = "自记录集体决策或事发时间起算：" + verdicts.due_from(timezone.now(), spec)[1]
        return
    due, note = verdicts.due_from(matter.decided_at, verdicts.filing_deadline(result))
    matter.due_at, matter.due_note = due, note


def latest_verdict(matter: Matter) -> Verdict:
    """The verdict in force for the matter."""
    v = matter.verdicts.first()
    assert v is not None, "a matter always has a verdict"
    return v


def new_matter_errors(*, matter_type: Any, title: Any, occurred_on: Any, amount: Any) -> list[InputError]:
    """Every problem of a new matter's typed fields at once, so the form names them all in one go."""
    from soegov.policy.catalogue import MATTER_TYPES
    from soegov.user_input import clean_date

    errors: list[InputError] = []
    if not str(matter_type or "").strip():
        errors.append(InputError("required", "请选择事项类型（一事一报：一份请示只含一个事项）", "type", "choose one matter type"))
    elif str(matter_type).strip() not in MATTER_TYPES:
        errors.append(InputError("invalid_type", "请从列表中选择事项类型", "type", "unknown matter type"))
    checks: list[tuple[Any, tuple[Any, ...]]] = [
        (clean_text, (title, "title", "事项名称", 200)),
        (clean_date, (occurred_on, "occurred_on", "决策或发生日期")),
        (clean_money, (amount, "amount", "金额", False)),
    ]
    for check, args in checks:
        try:
            check(*args)
        except InputError as exc:
            errors.append(exc)
    return errors


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
        occurred_on=_date(occurred_on), description=clean_text(description, "description", "事项说明", 5000, required=False),
        created_by=acting_user(actor),
    )
    doc, result = _classify(matter)
    _check_date(result, matter.occurred_on, date_confirmed=date_confirmed)
    matter.save()
    _apply_verdict(matter, doc, result)
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
    m = _lock(matter, version)
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
        m.occurred_on = _date(occurred_on)
    if description is not None:
        m.description = clean_text(description, "description", "事项说明", 5000, required=False)
    doc, result = _classify(m)
    # A date kept as it was was confirmed when it was typed; only a new date is asked about again.
    _check_date(result, m.occurred_on, date_confirmed=date_confirmed or m.occurred_on == old_day)
    verdict = _apply_verdict(m, doc, result)
    comment = "；".join(verdict.changes) if verdict.changes else "判定结果未变"
    _save(m, before, actor=actor, action="update", comment=comment)
    return m, verdict


@transaction.atomic
def matter_record_decision(*, actor: Any, matter: Matter, version: int | None, body: str, decided_at: Any,
                           summary: str = "") -> Matter:
    """Record the enterprise's collective decision (or the event's time); the filing clock starts from it."""
    m = _lock(matter, version)
    _check("record_decision", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    decided_at = clean_datetime(decided_at, "decided_at", not_future=True)
    m.decision_body = clean_text(body, "body", "决策机构", 100)
    m.decided_at = decided_at
    # The record of a collective decision without what was decided proves nothing (yining art. 18 item 6).
    m.decision_summary = clean_text(summary, "summary", "决议内容", 2000)
    m.status = Status.DECIDED
    _recompute_due(m, latest_verdict(m).result)
    comment = f"{m.decision_body}：{m.decision_summary}" if m.decision_summary else m.decision_body
    return _save(m, before, actor=actor, action="record_decision", comment=comment)


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
    m = _lock(matter, version)
    _check("submit", m, actor)
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
    _save(m, before, actor=actor, action=action)
    text = f"{m.enterprise.name}报送了“{m.title}”（{m.get_route_display()}），请审核"
    _notify(reviewers(m), m, text)
    notice_events.matter_to_review(reviewers(m), m, text)
    return m


@transaction.atomic
def matter_start_review(*, actor: Any, matter: Matter, version: int | None) -> Matter:
    """The reviewer takes the matter up."""
    m = _lock(matter, version)
    _check("start_review", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.UNDER_REVIEW
    return _save(m, before, actor=actor, action="start_review")


@transaction.atomic
def matter_return(*, actor: Any, matter: Matter, version: int | None, missing: list[str], comment: str = "") -> Matter:
    """Send the matter back for supplement with the list of what is missing."""
    m = _lock(matter, version)
    _check("return", m, actor)
    items = [str(x).strip() for x in (missing or []) if str(x).strip()]
    if not items:
        raise InputError("required", "退回补正须列出所缺材料或需补充的内容", "missing", "list what is missing")
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.RETURNED
    m.review_due_at = None
    _save(m, before, actor=actor, action="return", comment=clean_text(comment, "comment", "意见", 2000, required=False),
          missing=items)
    _notify(enterprise_users(m), m, f"“{m.title}”被退回补正：{'；'.join(items)}")
    return m


@transaction.atomic
def matter_record_committee(*, actor: Any, matter: Matter, version: int | None, passed_at: Any = None,
                            comment: str = "") -> Matter:
    """Record that the supervisor's party committee passed an approval; the 5-working-day reply clock starts (art. 21)."""
    m = _lock(matter, version)
    _check("record_committee", m, actor)
    if m.route != Route.APPROVAL:
        raise TransitionRefused("not_approval", "只有审核批准事项须经国资监管机构党委会议研究（伊宁办法第二十一条）", "status",
                                "only approval requests go to the supervisor's party committee")
    when = clean_datetime(passed_at, "passed_at", not_future=True) if passed_at else timezone.now()
    before = snapshot(m, AUDIT_FIELDS)
    m.committee_passed_at = when
    if m.authority != "city_government":
        m.review_due_at = verdicts.due_from(when, verdicts.review_deadline(latest_verdict(m).result))[0]
    text = f"党委会议于 {timezone.localtime(when):%Y-%m-%d %H:%M} 研究通过"
    return _save(m, before, actor=actor, action="record_committee", comment=f"{text}。{comment}".rstrip("。") if comment else text)


@transaction.atomic
def matter_forward(*, actor: Any, matter: Matter, version: int | None, comment: str = "") -> Matter:
    """Forward a city-government item after the supervisor's review (yining art. 11)."""
    m = _lock(matter, version)
    _check("forward", m, actor)
    if m.authority != "city_government" or m.route != Route.APPROVAL:
        raise TransitionRefused("not_city_item", "只有须报市政府审核或批准的事项才能转报市政府（伊宁办法第十一条、第十二条）",
                                "status", "only city-government items are forwarded")
    _check_records("forward", m)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.FORWARDED
    m.forwarded_at = timezone.now()
    m.review_due_at = None
    return _save(m, before, actor=actor, action="forward", comment=clean_text(comment, "comment", "意见", 2000, required=False))


OUTCOMES = {"approve": Status.APPROVED, "reject": Status.REJECTED, "file": Status.FILED}


@transaction.atomic
def matter_decide(*, actor: Any, matter: Matter, version: int | None, outcome: str, comment: str = "",
                  answer_number: str = "") -> Matter:
    """The supervisor's answer: approve or reject an approval request, accept (file) or refuse a filing."""
    m = _lock(matter, version)
    _check("decide", m, actor)
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
    _check_records(f"decide:{outcome}", m)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = OUTCOMES[outcome]
    m.answered_at = timezone.now()
    m.answer_comment = clean_text(comment, "comment", "意见", 2000, required=outcome == "reject")
    # A number the reviewer typed (issued outside the system) is kept; otherwise the next of the year is given.
    m.answer_number = clean_text(answer_number, "answer_number", "批复文号", 60, required=False) or _issue_answer_number(m)
    _save(m, before, actor=actor, action="decide", comment=m.answer_comment)
    seal_answer(actor=actor, matter=m)
    _notify(enterprise_users(m), m, f"“{m.title}”：{m.get_status_display()}")
    return m


@transaction.atomic
def matter_record_city_answer(*, actor: Any, matter: Matter, version: int | None, approved: bool,
                              comment: str = "", answer_number: str = "") -> Matter:
    """Record the city government's answer to a forwarded item."""
    m = _lock(matter, version)
    _check("record_city_answer", m, actor)
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.APPROVED if approved else Status.REJECTED
    m.answered_at = timezone.now()
    m.answer_comment = clean_text(comment, "comment", "意见", 2000, required=False)
    # The city's answer is only evidence with its document number; the enterprise cites it when implementing.
    m.answer_number = clean_text(answer_number, "answer_number", "市政府批复文号", 60)
    m.reply_number = m.reply_number or _issue_answer_number(m)
    _save(m, before, actor=actor, action="record_city_answer", comment=f"市政府{'批准' if approved else '不予批准'}：{m.answer_comment}")
    seal_answer(actor=actor, matter=m)
    _notify(enterprise_users(m), m, f"“{m.title}”：市政府{'批准' if approved else '不予批准'}")
    return m


@transaction.atomic
def matter_implement(*, actor: Any, matter: Matter, version: int | None, implemented_on: Any = None) -> Matter:
    """Record that the matter was carried out; refused before approval (yining art. 19)."""
    m = _lock(matter, version)
    _check("implement", m, actor)
    if m.route == Route.INTERNAL and m.needs_collective_decision and m.decided_at is None:
        raise TransitionRefused("decision_missing", "该事项须先经企业集体决策，请先记录决策", "decided_at",
                                "record the collective decision first")
    before = snapshot(m, AUDIT_FIELDS)
    m.status = Status.IMPLEMENTED
    m.implemented_at = timezone.now()
    return _save(m, before, actor=actor, action="implement")


# --- attachments ------------------------------------------------------------------------------------


def attachment_upload(*, actor: Any, matter: Matter, kind: str, name: str, data: bytes,
                      version: int | None = None) -> Attachment:
    """Check size and content, store the file by its hash, record a new version; nothing half-saved on failure."""
    from soegov.policy.catalogue import ATTACHMENTS

    if kind not in ATTACHMENTS:
        raise InputError("invalid_kind", "请选择材料类别", "kind", "choose an attachment kind")
    with file_scope(), transaction.atomic():
        stored = file_store(data, label=attachment_label(kind))
        m = _lock(matter, version)
        WRITER_GATE.check(actor, m.enterprise)
        if m.status not in workflow.EDITABLE:
            raise TransitionRefused("not_editable", f"事项当前状态为“{m.get_status_display()}”，不能上传材料", "status",
                                    "attachments cannot be changed in this state")
        last = m.attachments.filter(kind=kind).order_by("-version").first()
        base = Path(str(name or "")).stem[:200] or attachment_label(kind)
        att = Attachment.objects.create(
            matter=m, kind=kind, version=(last.version + 1) if last else 1, original_name=f"{base}.{stored.extension}",
            content_type=stored.content_type, extension=stored.extension, size=stored.size, sha256=stored.sha256,
            uploaded_by=acting_user(actor),
        )
        before = snapshot(m, AUDIT_FIELDS)
        _save(m, before, actor=actor, action="attach", comment=f"{attachment_label(kind)} 第{att.version}版：{att.original_name}")
        audit_record(actor=actor, action="matter.attachment_upload", obj=att,
                     after={"matter": m.pk, "kind": kind, "version": att.version, "sha256": stored.sha256,
                            "size": stored.size})
    return att


def submitted_attachment_ids(matter: Matter) -> set[int]:
    """The attachments some submission of the matter carried (the supervisor has seen them)."""
    return {int(a["id"]) for snap in matter.submissions.values_list("snapshot", flat=True)
            for a in (snap.get("attachments") or {}).values()}


def attachment_withdraw(*, actor: Any, attachment: Attachment, version: int | None = None, reason: str = "") -> Attachment:
    """Withdraw a wrong upload before it is submitted: it no longer counts, its version and file are kept."""
    reason = clean_text(reason, "reason", "撤回原因", 200, required=False)
    with transaction.atomic():
        m = _lock(attachment.matter, version)
        WRITER_GATE.check(actor, m.enterprise)
        a = Attachment.objects.select_for_update().get(pk=attachment.pk, matter=m)
        label = f"{attachment_label(a.kind)} 第{a.version}版（{a.original_name}）"
        if m.status not in workflow.EDITABLE:
            raise TransitionRefused("not_editable", f"事项当前状态为“{m.get_status_display()}”，不能撤回材料", "status",
                                    "attachments cannot be withdrawn in this state")
        if a.withdrawn_at is not None:
            raise TransitionRefused("already_withdrawn", f"{label}已于 {timezone.localtime(a.withdrawn_at):%Y-%m-%d %H:%M} 撤回",
                                    "attachment", "the attachment is already withdrawn")
        if a.pk in submitted_attachment_ids(m):
            raise TransitionRefused("already_submitted", f"{label}已随报送提交监管机构，不能撤回；如需更正，请上传新版本", "attachment",
                                    "the attachment was submitted; upload a new version instead")
        a.withdrawn_at = timezone.now()
        a.withdrawn_by = acting_user(actor)
        a.save(update_fields=["withdrawn_at", "withdrawn_by"])
        before = snapshot(m, AUDIT_FIELDS)
        _save(m, before, actor=actor, action="withdraw_attachment", comment=f"{label}" + (f"：{reason}" if reason else ""))
        audit_record(actor=actor, action="matter.attachment_withdraw", obj=a, before={"withdrawn_at": None},
                     after={"matter": m.pk, "kind": a.kind, "version": a.version, "sha256": a.sha256,
                            "withdrawn_at": a.withdrawn_at.isoformat(), "reason": reason})
    return a


# --- calendar ---------------------------------------------------------------------------------------


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
