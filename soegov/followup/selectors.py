"""Reads of execution tracking and emergency decisions; the dashboard ones take an Enterprise Q filter.

`scope_q` is a filter on Enterprise such as `soegov.enterprises.selectors.enterprise_scope_q(user)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from soegov.core.scoping import scoped_get
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.followup.models import ActionItem, ActionStatus, EmergencyDecision, RatificationStatus

OPEN = (ActionStatus.OPEN, ActionStatus.FROZEN)


def _in(scope_q: Q) -> Q:
    return Q(enterprise__in=Enterprise.objects.filter(scope_q))


def open_actions(scope_q: Q) -> QuerySet[ActionItem]:
    """Action items not yet done or stopped (frozen ones included: they still bind until re-decided)."""
    return (ActionItem.objects.filter(_in(scope_q), status__in=OPEN)
            .select_related("enterprise", "agenda_item__meeting", "agenda_item__topic").order_by("due_date", "id"))


def overdue_actions(scope_q: Q, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """Open action items past their due date (due today is still on time)."""
    return open_actions(scope_q).filter(due_date__lt=today or timezone.localdate())


def _later_meeting() -> Exists:
    """Whether the decision's body has held a meeting since (the one where it should have been ratified)."""
    from soegov.meetings.models import Meeting, MeetingForm, MeetingStatus

    # A meeting closed ahead of its scheduled time has not been held yet (QA 2): it cannot make a ratification late.
    return Exists(Meeting.objects.filter(
        body_id=OuterRef("body_id"), held_at__gt=OuterRef("decided_at"), held_at__lte=timezone.now(), form=MeetingForm.MEETING,
        status__in=[MeetingStatus.CLOSED, MeetingStatus.ARCHIVED]))


def late_ratifications(scope_q: Q, today: dt.date | None = None) -> QuerySet[EmergencyDecision]:
    """Emergency decisions not ratified in time: awaiting past the deadline or past the body's next meeting,
    or ratified late."""
    day = today or timezone.localdate()
    awaiting_late = Q(status=RatificationStatus.AWAITING) & (Q(ratify_due__lt=day) | Q(_later_meeting()))
    return (EmergencyDecision.objects.filter(_in(scope_q)).filter(awaiting_late | Q(ratified_late=True))
            .select_related("enterprise", "body").order_by("ratify_due", "id"))


def awaiting_ratification(scope_q: Q) -> QuerySet[EmergencyDecision]:
    """Emergency decisions still waiting for the body."""
    return (EmergencyDecision.objects.filter(_in(scope_q), status=RatificationStatus.AWAITING)
            .select_related("enterprise", "body").order_by("ratify_due", "id"))


def action_list(*, user: Any, status: str = "", overdue: bool = False) -> QuerySet[ActionItem]:
    """Action items the user may see."""
    qs = (ActionItem.objects.filter(_in(enterprise_scope_q(user)))
          .select_related("enterprise", "agenda_item__meeting", "agenda_item__topic"))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN, due_date__lt=timezone.localdate())
    return qs.order_by("status", "due_date", "id")


def action_get(*, user: Any, pk: Any) -> ActionItem:
    """One action item in scope, else 404."""
    action: ActionItem = scoped_get(action_list(user=user), user=user, pk=pk)
    return action


def emergency_list(*, user: Any) -> QuerySet[EmergencyDecision]:
    """Emergency decisions the user may see."""
    return (EmergencyDecision.objects.filter(_in(enterprise_scope_q(user))).annotate(later_meeting=_later_meeting())
            .select_related("enterprise", "body", "ratified_by__meeting"))


def emergency_get(*, user: Any, pk: Any) -> EmergencyDecision:
    """One emergency decision in scope, else 404."""
    ed: EmergencyDecision = scoped_get(emergency_list(user=user), user=user, pk=pk)
    return ed


def is_late(ed: EmergencyDecision, today: dt.date | None = None) -> bool:
    """Whether the decision is (or was) ratified late."""
    if ed.status != RatificationStatus.AWAITING:
        return ed.ratified_late
    if ed.ratify_due < (today or timezone.localdate()):
        return True
    # emergency_list annotates it, so a list page asks no query per row.
    later = getattr(ed, "later_meeting", None)
    if later is None:
        from soegov.followup.services import next_meeting_after

        later = next_meeting_after(ed) is not None
    return bool(later)
