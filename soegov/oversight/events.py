"""Events reported at any time (yining arts. 17, 20, 26): incidents, litigation, asset losses, staff
suspected of crimes. Each report carries its clock, read from the pack's clocks:

- `at_any_time` (art. 26, 随时报告) and art. 20's 安全生产/重大紧急 variants: immediate. The text sets no
  number of hours, so the due time is the moment of the event and an unreported event is overdue at once.
- art. 20's 特殊紧急情况 variant: 12 natural hours from the event (soegov.calendar.add_hours).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.notices import events as notice_events
from soegov.oversight.models import EventReport

# category: (label, the pack's clock, whether that clock's immediate variant applies, citation)
CATEGORIES: dict[str, tuple[str, str, bool, dict[str, Any]]] = {
    "incident": ("重大事故、问题和隐患（特殊紧急情况，12 小时内）", "filing", False, {"article": 17, "item": 1}),
    "safety": ("安全生产事项或重大紧急事项（立即报告）", "filing", True, {"article": 20}),
    "discipline": ("重大违纪、违规事件，人员涉嫌犯罪（12 小时内）", "filing", False, {"article": 17, "item": 3}),
    "litigation": ("仲裁、诉讼致资产被查封、冻结、扣押或资质被吊销，重大债务危机（随时报告）", "at_any_time", True, {"article": 26}),
    "asset_loss": ("违法、重大经营失误、重大法律诉讼造成国有资产损失（随时报告）", "at_any_time", True, {"article": 26}),
}
POLICY = "yining-2024"


def clock_for(category: str, occurred_at: dt.datetime) -> tuple[dt.datetime, bool, dict[str, Any]]:
    """(due time, immediate?, citation) of an event of that category, from the yining pack's clocks."""
    from soegov.calendar import add_hours
    from soegov.policy.loader import get_registry

    if category not in CATEGORIES:
        raise InputError("invalid_category", "请选择事件类别", "category", "choose a category")
    _, clock_name, immediate, cite = CATEGORIES[category]
    pack = get_registry().get(POLICY)
    clock = pack.clocks[clock_name]
    article = pack.articles[cite["article"]]
    item = article.item(cite["item"]) if cite.get("item") else None
    text = item.text if item is not None else article.text
    citation = {"document": POLICY, **cite, "text": text}
    if immediate:
        if not any(v.immediate for v in clock.variants):
            raise InputError("no_clock", "政策包中没有立即报告的时限", "category", "no immediate clock")
        return occurred_at, True, citation
    hours = next(v.hours for v in clock.variants if v.hours)
    return add_hours(occurred_at, int(hours)).due, False, citation


def _parse_dt(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InputError("invalid_datetime", f"发生时间格式不正确：{value}（应为 年-月-日 时:分）", "occurred_at",
                             "occurred_at is not a date and time") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise InputError("future", "发生时间不能晚于现在", "occurred_at", "occurred_at is in the future")
    return moment


def event_report(*, actor: Any, enterprise: Enterprise, category: str, title: str, occurred_at: Any,
                 description: str = "", report_now: bool = True) -> EventReport:
    """Record an event (and, by default, report it now to the supervisor); the clock comes from the pack."""
    if actor is not None and (actor.role not in ENTERPRISE_ROLES
                              or not Enterprise.objects.filter(enterprise_scope_q(actor), pk=enterprise.pk).exists()):
        raise PermissionDenied("只有本企业用户可以报告事件")
    if POLICY not in enterprise.jurisdiction.policy_packs:
        raise InputError("not_applicable", "随时报告事项是伊宁市办法（第十七条、第二十六条）的规定，不适用于本企业", "enterprise",
                         "event reports are a yining-2024 duty")
    title = str(title or "").strip()
    if not title:
        raise InputError("required", "请填写事件名称", "title", "title is required")
    when = _parse_dt(occurred_at)
    due, immediate, citation = clock_for(category, when)
    with transaction.atomic():
        ev = EventReport.objects.create(
            enterprise=enterprise, policy=POLICY, category=category, title=title[:200], description=str(description or "")[:5000],
            occurred_at=when, due_at=due, immediate=immediate, citation=citation,
            reported_at=timezone.now() if report_now else None, created_by=acting_user(actor))
        audit_record(actor=actor, action="oversight.event_report", obj=ev, after=snapshot(ev))
    return ev


def event_submit(*, actor: Any, event: EventReport) -> EventReport:
    """Report a recorded event to the supervisor now."""
    if actor is not None and (actor.role not in ENTERPRISE_ROLES or not Enterprise.objects.filter(
            enterprise_scope_q(actor), pk=event.enterprise_id).exists()):
        raise PermissionDenied("只有本企业用户可以报告事件")
    with transaction.atomic():
        ev = EventReport.objects.select_for_update().get(pk=event.pk)
        if ev.reported_at is None:
            ev.reported_at = timezone.now()
            ev.save(update_fields=["reported_at"])
            audit_record(actor=actor, action="oversight.event_submit", obj=ev, after={"reported_at": ev.reported_at})
    return ev


def event_state(ev: EventReport, now: dt.datetime | None = None) -> dict[str, Any]:
    """Whether the event is reported, late, or overdue now (an immediate one is overdue once unreported)."""
    now = now or timezone.now()
    if ev.reported_at is None:
        return {"overdue": now >= ev.due_at, "late": False, "label": "逾期未报告" if now >= ev.due_at else "待报告"}
    late = not ev.immediate and ev.reported_at > ev.due_at
    return {"overdue": False, "late": late, "label": "迟报" if late else "已报告"}


def events_remind(*, now: dt.datetime | None = None) -> int:
    """Remind the enterprise's users and the inspectors of every overdue unreported event, once per event."""
    from soegov.matters.models import Notification

    now = now or timezone.now()
    User = get_user_model()
    count = 0
    for ev in EventReport.objects.filter(reported_at__isnull=True, reminded_at__isnull=True, due_at__lte=now).select_related("enterprise"):
        with transaction.atomic():
            users = list(User.objects.filter(
                Q(enterprise_id=ev.enterprise_id, role__in=ENTERPRISE_ROLES)
                | Q(jurisdiction_id=ev.enterprise.jurisdiction_id, role=Role.SUPERVISOR_INSPECTOR)))
            text = f"已逾期：{ev.enterprise.name}的“{ev.title}”须{'立即' if ev.immediate else '在 12 小时内'}报告（伊宁办法第{ev.citation.get('article')}条），尚未报告"
            Notification.objects.bulk_create([Notification(user=u, text=text[:300]) for u in users])
            notice_events.deadline(users, overdue=True, text=text)
            ev.reminded_at = now
            ev.save(update_fields=["reminded_at"])
            audit_record(actor=None, actor_name="soegov remind", action="oversight.event_remind", obj=ev,
                         after={"to": [u.username for u in users]})
        count += 1
    return count
