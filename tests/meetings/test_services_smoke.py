"""A meeting run through the services end to end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.meetings.models import AgendaItem
from soegov.meetings.selectors import item_positions
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, run_meeting

pytestmark = pytest.mark.django_db


def test_a_meeting_decides_an_item_through_the_engine() -> None:
    meeting = MeetingFactory(held_at=timezone.now() + dt.timedelta(minutes=45))
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    run_meeting(meeting, present=["张书记", "李委员", "王委员"],
                votes={item: {"李委员": "for", "王委员": "against", "张书记": "for"}},
                statements={item: ["李委员", "王委员", "张书记"]})
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.passed is False  # 2 of 5 < at least half (3)
    rows = {r["name"]: r for r in item_positions(item)}
    assert rows["王委员"]["vote"] == "against" and rows["赵委员"]["present"] is False
