"""Reads of matters, scoped to what the user may see (enterprise subtree or supervisor's jurisdiction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.paging import Filter
from soegov.core.scoping import scoped_get
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.matters import workflow
from soegov.matters.models import Attachment, Matter, Notification, Route, Status


def overdue_q(now: dt.datetime | None = None) -> Q:
    """is_overdue() as SQL: a running clock past its due time, a late submission or a late answer (the stored
    overdue_from, computed by the database from the same deadlines, is before now)."""
    return Q(overdue_from__lt=now or timezone.now())


def _overdue_filter(qs: QuerySet[Matter], value: bool) -> QuerySet[Matter]:
    return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())


# The filters every list of matters (page, API, export) accepts, and the fields its keyword searches.
MATTER_FILTERS = (
    Filter("status", "状态", "status", "choice", Status.choices),
    Filter("enterprise", "企业", "enterprise_id", "int"),
    Filter("type", "事项类型", "matter_type"),
    Filter("route", "报送方式", "route", "choice", Route.choices),
    Filter("year", "年度", "occurred_on__year", "year"),
    Filter("overdue", "逾期", _overdue_filter, "bool"),
)
MATTER_SEARCH = ("title", "answer_number", "doc_number", "enterprise__name")


def matter_list(*, user: Any, status: str = "", enterprise_id: int | None = None, year: int | None = None,
                q: str = "") -> QuerySet[Matter]:
    """Matters of enterprises the user may see, newest first."""
    qs = Matter.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related(
        "enterprise", "enterprise__jurisdiction")
    if status:
        qs = qs.filter(status=status)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if year:
        qs = qs.filter(occurred_on__year=year)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def matter_get(*, user: Any, pk: int) -> Matter:
    """One matter the user may see, else 404."""
    return scoped_get(matter_list(user=user), user=user, pk=pk)


def review_queue(*, user: Any) -> QuerySet[Matter]:
    """Matters waiting for the supervisor, the soonest due first (those without a clock last)."""
    waiting = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.FORWARDED]
    return matter_list(user=user).filter(status__in=waiting).order_by(
        F("review_due_at").asc(nulls_last=True), "submitted_at")


def attachment_get(*, user: Any, pk: int) -> Attachment:
    """One attachment of a matter the user may see, else 404."""
    qs = Attachment.objects.filter(enterprise_scope_q(user, "matter__enterprise__")).select_related("matter")
    return scoped_get(qs, user=user, pk=pk)


def current_attachments(matter: Matter) -> list[Attachment]:
    """The latest version of each attachment kind (withdrawn uploads left out)."""
    seen: dict[str, Attachment] = {}
    for a in matter.attachments.filter(withdrawn_at__isnull=True).order_by("kind", "-version"):
        seen.setdefault(a.kind, a)
    return list(seen.values())


def clock(matter: Matter, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The clock that runs now on the matter: whose, due when, and whether it is overdue."""
    now = now or timezone.now()
    if matter.status in workflow.BEFORE_SUBMISSION or matter.status == Status.RETURNED:
        if matter.due_at is None:
            return None
        return {"side": "enterprise", "label": gettext_noop("企业报送期限"), "due": matter.due_at, "overdue": now > matter.due_at,
                "note": matter.due_note}
    if matter.status in workflow.UNDER_SUPERVISOR:
        if matter.review_due_at is None:
            if matter.route == "approval" and matter.authority == "city_government" and committee_recorded(matter):
                # Art. 21's 5 working days bind only items within the supervisor's own power; a city item is
                # forwarded instead, so the page says so rather than showing no clock at all.
                return {"side": "supervisor", "label": gettext_noop("待转报市政府"), "due": None, "overdue": False, "days_left": None,
                        "note": gettext_noop("党委会议已研究通过；属市政府审批权限，请转报市政府（伊宁办法第十一条）。"
                                             "第二十一条 5 个工作日批复期限仅适用于国资监管机构审批权限内的事项")}
            return None
        if matter.route == "approval":
            return {"side": "supervisor", "label": gettext_noop("监管机构批复期限"), "due": matter.review_due_at,
                    "overdue": now > matter.review_due_at, "days_left": working_days_left(now, matter.review_due_at),
                    "note": gettext_noop("党委会议研究通过后 5 个工作日内出具批复（伊宁办法第二十一条）")}
        return {"side": "supervisor", "label": gettext_noop("监管机构答复期限"), "due": matter.review_due_at,
                "overdue": now > matter.review_due_at, "days_left": working_days_left(now, matter.review_due_at),
                "note": gettext_noop("自材料齐备之日起 5 个工作日内作出是否备案的决定（伊宁办法第二十二条）")}
    return None


def committee_recorded(matter: Matter) -> bool:
    """Whether the supervisor's party committee has passed the matter's current submission (one source: the row)."""
    return matter.committee_passed_at is not None


def working_days_left(now: dt.datetime, due: dt.datetime) -> int:
    """Working days from tomorrow to the due day, plus today when it is a working day (0 once overdue)."""
    from soegov.calendar import is_workday

    today = timezone.localtime(now).date()
    last = timezone.localtime(due).date()
    if now > due:
        return 0
    days, d = 0, today
    while d <= last:
        if is_workday(d):
            days += 1
        d += dt.timedelta(days=1)
    return days


def is_overdue(matter: Matter, now: dt.datetime | None = None) -> bool:
    """Whether a running clock has passed, or a filing was submitted after its due time, or answered late."""
    return _overdue(matter, clock(matter, now or timezone.now()))


def _overdue(matter: Matter, c: dict[str, Any] | None) -> bool:
    if c is not None and c["overdue"]:
        return True
    if matter.due_at and matter.submitted_at and matter.submitted_at > matter.due_at:
        return True
    return bool(matter.review_due_at and matter.answered_at and matter.answered_at > matter.review_due_at)


def clock_rows(matters: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Each matter with its running clock and whether it is overdue, the clock worked out once per matter."""
    now = now or timezone.now()
    rows = []
    for m in matters:
        c = clock(m, now)
        rows.append({"m": m, "clock": c, "overdue": _overdue(m, c)})
    return rows


def overdue_count(*, user: Any) -> int:
    """How many matters in the user's scope are overdue now."""
    now = timezone.now()
    return matter_list(user=user).exclude(status__in=[Status.IMPLEMENTED, Status.REJECTED]).filter(
        overdue_q(now)).count()


def notifications(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own in-app messages."""
    qs = Notification.objects.filter(user=user).select_related("matter")
    return qs.filter(read=False) if unread_only else qs


def dashboard(*, user: Any) -> dict[str, Any]:
    """The home page's reporting card: open matters (or the queue), overdue ones, unread reminders."""
    from soegov.accounts.roles import SUPERVISOR_ROLES

    supervisor = user.role in SUPERVISOR_ROLES
    open_qs = review_queue(user=user) if supervisor else matter_list(user=user).exclude(
        status__in=[Status.IMPLEMENTED, Status.REJECTED])
    return {"supervisor": supervisor, "open": open_qs.count(), "overdue": overdue_count(user=user),
            "unread": notifications(user=user, unread_only=True).count()}


def attachment_label(code: str) -> str:
    """The catalogue label of an attachment code."""
    from soegov.policy.catalogue import ATTACHMENTS

    return str(getattr(ATTACHMENTS.get(code), "label", code))
