"""The meeting notice leaves each member with an account one in-app message, once."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.matters.models import Notification
from soegov.meetings import sessions
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, make_body, member

pytestmark = pytest.mark.django_db


def test_each_member_with_an_account_gets_one_message_and_a_second_notice_adds_none(
        django_capture_on_commit_callbacks: Any) -> None:
    body = make_body()
    users = {}
    for name in ("张书记", "李委员"):
        seat = member(body, name)
        seat.user = users[name] = UserFactory(enterprise=body.enterprise)
        seat.save(update_fields=["user"])
    meeting = MeetingFactory(body=body, place="三楼会议室")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = sessions.notice_send(actor=None, meeting=meeting)
    for user in users.values():
        texts = list(Notification.objects.filter(user=user).values_list("text", flat=True))
        assert len(texts) == 1 and texts[0].startswith(f"会议通知：{meeting.title}，") and "三楼会议室" in texts[0]
    assert Notification.objects.count() == 2  # the members without an account get the recorded notice only
    with django_capture_on_commit_callbacks(execute=True):
        sessions.notice_send(actor=None, meeting=meeting)
    assert Notification.objects.count() == 2
