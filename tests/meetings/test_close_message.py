"""结束会议 says that the results were computed only where the jurisdiction's rules computed them."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from soegov.meetings.models import Meeting, MeetingStatus
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db


def _close(meeting: Meeting) -> list[str]:
    c = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise))
    for action in ("notice", "distribute", "open", "all_present", "close"):
        r = c.post(f"/meetings/{meeting.pk}/act/{action}/")
        assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    return [str(m) for m in get_messages(r.wsgi_request)]


def test_closing_without_meeting_rules_does_not_claim_a_result() -> None:
    yining = JurisdictionFactory(code="yn-close", policy_packs=["yining-2024"])
    meeting = MeetingFactory(body=make_body(EnterpriseFactory(jurisdiction=yining)))
    AgendaItemFactory(meeting=meeting)
    said = _close(meeting)
    assert any("会议结束" in m and "不计算结果" in m for m in said), said
    assert not any("结果已计算" in m for m in said)
    assert meeting.results_at is None


def test_closing_under_meeting_rules_says_the_results_were_computed() -> None:
    meeting = MeetingFactory(body=make_body(xundian_enterprise()))
    AgendaItemFactory(meeting=meeting)
    said = _close(meeting)
    assert any("会议结束，结果已计算" in m for m in said), said
    assert meeting.results_at is not None
