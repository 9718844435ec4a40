"""Passed agenda items and emergency decisions for the followup tests, built through the meetings services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from soegov.enterprises.models import DecisionBody
from soegov.meetings import results
from soegov.meetings.models import AgendaItem, Meeting
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    make_body,
    run_meeting,
    xundian_enterprise,
)

NAMES = ["张书记", "李委员", "王委员", "赵委员", "钱委员"]


def decided_item(body: DecisionBody | None = None, *, held_at: dt.datetime | None = None, passed: bool = True,
                 form: str = "meeting", title: str = "购置设备", close: bool = True) -> AgendaItem:
    """An agenda item voted at a meeting of `body` held at `held_at` (default: yesterday), passed or not."""
    body = body or make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body, held_at=held_at or timezone.now() - dt.timedelta(days=1), form=form)
    item = AgendaItemFactory(meeting=meeting, title=title)
    choice = "for" if passed else "against"
    run_meeting(meeting, present=NAMES, votes={item: dict.fromkeys(NAMES, choice)},
                statements={item: NAMES[1:] + NAMES[:1]})
    if close:
        results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))
    item.refresh_from_db()
    return item


def body(**kwargs: Any) -> DecisionBody:
    return make_body(xundian_enterprise(), names=NAMES, **kwargs)
