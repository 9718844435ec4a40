"""The secretary and a member writing to one meeting at once: nothing is lost; a stale transition is refused (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from soegov.core.errors import SoegovError
from soegov.meetings import sessions, voting
from soegov.meetings.models import Meeting, Vote
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member, xundian_enterprise

NAMES = ["甲", "乙", "丙", "丁", "戊", "己"]


def _together(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except SoegovError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # re-raised in the main thread below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_recorded_at_once_are_all_kept() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; scripts/test runs this with DATABASE_URL")
    body = make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body, held_at=timezone.now() + dt.timedelta(hours=1))
    item = AgendaItemFactory(meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    for n in NAMES:  # only members recorded present vote (INV-MEET-4)
        sessions.attendance_record(actor=None, meeting=meeting, member=member(body, n), present=True)
    start = Meeting.objects.get(pk=meeting.pk).version
    outcomes = _together([
        (lambda n=n: voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, n), choice="for"))
        for n in NAMES])
    assert outcomes == ["ok"] * len(NAMES)
    assert Vote.objects.filter(item=item).count() == len(NAMES)
    assert Meeting.objects.get(pk=meeting.pk).version == start + len(NAMES)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_transitions_on_one_seen_version_one_is_refused() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; scripts/test runs this with DATABASE_URL")
    meeting = MeetingFactory(body=make_body(xundian_enterprise(), names=NAMES))
    seen = meeting.version
    outcomes = _together([lambda: sessions.notice_send(actor=None, meeting=meeting, version=seen),
                          lambda: sessions.meeting_open(actor=None, meeting=meeting, version=seen)])
    assert sorted(map(str, outcomes)) == ["ok", "stale_version"]
    assert Meeting.objects.get(pk=meeting.pk).version == seen + 1
