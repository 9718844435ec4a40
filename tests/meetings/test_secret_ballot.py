"""A ballot item (无记名投票): nobody but the voter sees an individual choice or opinion, anywhere it is shown."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from soegov.accounts.models import User
from soegov.exchange import packages as p
from soegov.exchange.checks import BALLOT_WORD
from soegov.exchange.meeting_export import meeting_record
from soegov.meetings import results, sessions, voting
from soegov.meetings.models import Meeting
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    member,
    xundian_enterprise,
)
from tests.signatures.factories import signature_key

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员", "丁委员"]
WORDS = "另有人选更合适"


@pytest.fixture
def ballot() -> tuple[Meeting, Any, User, User]:
    body = make_body(xundian_enterprise(), names=NAMES)
    voter = UserFactory(role="enterprise_leader", enterprise=body.enterprise)
    member(body, "丙委员").__class__.objects.filter(pk=member(body, "丙委员").pk).update(user=voter)
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, title="任免工程部经理", category="personnel")
    assert item.voting_method == "ballot"
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name in ["甲书记", "乙委员", "丁委员"]:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice="for",
                           opinion=f"{name}同意该人选")
    voting.vote_record(actor=voter, meeting=meeting, item=item, member=member(body, "丙委员"), choice="against",
                       opinion=WORDS, key=signature_key(voter))
    secretary = UserFactory(role="secretary", enterprise=body.enterprise)
    return Meeting.objects.get(pk=meeting.pk), item, secretary, voter


def test_the_secretary_and_the_supervisor_see_voted_not_how(ballot: Any) -> None:
    meeting, item, secretary, voter = ballot
    supervisor = UserFactory(role="supervisor_reviewer", jurisdiction=meeting.enterprise.jurisdiction)
    for user in (secretary, supervisor):
        page = logged_in(user).get(f"/meetings/{meeting.pk}/").content.decode()
        assert "已投票" in page
        assert WORDS not in page and "同意该人选" not in page, user.role
        row = page.split('data-member="丙委员"')[1].split("</tr>")[0]
        assert "反对" not in row.split('class="vote"')[1].split("</td>")[0]
        api = logged_in(user).get(f"/api/v1/meetings/{meeting.pk}").json()
        positions = api["positions"][str(item.pk)]
        assert all(p["vote"] is None and p["opinion"] == "" for p in positions), positions
    mine = logged_in(voter).get(f"/meetings/{meeting.pk}/").content.decode()
    assert WORDS in mine and "甲书记同意该人选" not in mine


def test_the_record_and_the_0006_package_carry_only_the_tally(ballot: Any) -> None:
    from docx import Document

    meeting, _item, secretary, _ = ballot
    results.meeting_close(actor=None, meeting=meeting)
    r = logged_in(secretary).get(f"/meetings/{meeting.pk}/documents/record.docx")
    text = "\n".join(par.text for par in Document(io.BytesIO(r.content)).paragraphs)
    assert "丙委员：已投票" in text and WORDS not in text and "同意该人选" not in text
    record = meeting_record(Meeting.objects.get(pk=meeting.pk))
    subject = record.subjects[0]
    assert sorted(subject.deliberations) == sorted((n, BALLOT_WORD) for n in NAMES)
    assert "同意 3 票、反对 1 票、弃权 0 票" in subject.subject_result
    assert WORDS not in json.dumps(p.to_json(record), ensure_ascii=False)


def test_a_member_finds_his_pending_ballot_from_the_menu(ballot: Any) -> None:
    from soegov.meetings.models import Vote

    _meeting, item, secretary, voter = ballot
    c = logged_in(voter)
    home = c.get("/").content.decode()
    assert "我的表决" in home and "待投票" not in home  # he has voted on the only ballot item
    Vote.objects.filter(item=item, member__user=voter).delete()
    # Another member absent does not hide his own pending ballot.
    from soegov.meetings.models import Attendance

    Attendance.objects.filter(meeting=item.meeting, member__name="甲书记").update(present=False, absence_reason="出差")
    home = c.get("/").content.decode()
    assert "我的表决（1 项待投票）" in home
    Attendance.objects.filter(meeting=item.meeting, member__user=voter).update(present=False, absence_reason="病假")
    assert "待投票" not in c.get("/").content.decode()
    Attendance.objects.filter(meeting=item.meeting, member__user=voter).update(present=True, absence_reason="")
    page = c.get("/meetings/my-votes/").content.decode()
    assert "任免工程部经理" in page and f"#item-{item.pk}" in page
    # The secretary holds no seat: no such entry for him.
    assert "我的表决" not in logged_in(secretary).get("/").content.decode()
