"""Issue 13.2 (no pre-filled text asserts what was not recorded): only a party-committee item that passed can be linked
as a topic's pre-study, and the pages state the pre-study's recorded outcome, never a default 研究通过."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.core.errors import InputError
from soegov.meetings import sessions, topics
from soegov.meetings.models import AgendaItem
from tests.meetings.factories import (
    MeetingFactory,
    make_body,
    prepared_topic,
    run_meeting,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db
THREE = ["戊", "己", "庚"]


def _studied(votes: str) -> tuple[object, AgendaItem]:
    enterprise = xundian_enterprise()
    party = make_body(enterprise, kind="party_committee", names=THREE)
    pre = MeetingFactory(body=party, held_at=timezone.now() + dt.timedelta(hours=1))
    pre_item = sessions.item_add(actor=None, meeting=pre, topic=prepared_topic(enterprise, title="资产重组（前置研究）"))
    run_meeting(pre, present=THREE, votes={pre_item: dict.fromkeys(THREE, votes)}, statements={pre_item: ["己", "庚", "戊"]})
    topic = topics.topic_create(actor=None, enterprise=enterprise, title="资产重组方案", category="major_decision")
    return topic, AgendaItem.objects.get(pk=pre_item.pk)


def test_an_item_that_did_not_pass_is_not_a_pre_study() -> None:
    topic, item = _studied("against")
    assert item.passed is False
    with pytest.raises(InputError) as exc:
        topics.prestudy_link(actor=None, topic=topic, item=item)
    assert exc.value.code == "prestudy_not_passed" and "未通过" in exc.value.message
    topic.refresh_from_db()
    assert topic.prestudy_id is None


def test_a_passed_item_is_linked() -> None:
    topic, item = _studied("for")
    assert item.passed is True
    topics.prestudy_link(actor=None, topic=topic, item=item)
    topic.refresh_from_db()
    assert topic.prestudy_id == item.pk
