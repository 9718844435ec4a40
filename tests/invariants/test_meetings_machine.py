"""Hypothesis state machine over a decision meeting (三重一大): attendance, recusals, statements, votes, the
count and the close, in any order by random roles (refused ones included), with the meeting invariants of
docs/invariants.md checked after every step. Bounded and derandomized in CI; `scripts/stateful` runs longer."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from soegov.accounts.roles import Role
from soegov.meetings import results, sessions, voting
from soegov.meetings.models import Meeting
from tests.factories import UserFactory
from tests.invariants.checks import MEETINGS, broken
from tests.invariants.machine import ServiceMachine, run_machine
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member, xundian_enterprise

pytestmark = pytest.mark.django_db

NAMES = ["张书记", "李委员", "王委员", "赵委员", "钱委员"]


class MeetingRun(ServiceMachine):
    """One open meeting with two items; anyone may try anything."""

    @rule(data=st.data(), action=st.sampled_from(["present"] * 3 + ["absent", "recuse", "unrecuse"] + ["vote"] * 4
                                                  + ["statements", "compute", "close"]))
    def act(self, data: st.DataObject, action: str) -> None:
        w = self.world
        meeting = Meeting.objects.get(pk=w["meeting"].pk)
        who = data.draw(st.sampled_from(["secretary"] * 8 + ["filer", "reviewer"]))
        actor = w["actors"][who]
        person = member(meeting.body, data.draw(st.sampled_from(NAMES)))
        item = data.draw(st.sampled_from(w["items"]))
        calls = {
            "present": lambda: sessions.attendance_record(actor=actor, meeting=meeting, member=person, present=True),
            "absent": lambda: sessions.attendance_record(actor=actor, meeting=meeting, member=person, present=False,
                                                         absence_reason="出差"),
            "recuse": lambda: sessions.recusal_record(actor=actor, meeting=meeting, item=item, member=person, recused=True,
                                                      reason="本人近亲属任职于交易对方"),
            "unrecuse": lambda: sessions.recusal_record(actor=actor, meeting=meeting, item=item, member=person,
                                                        recused=False),
            "vote": lambda: voting.vote_record(actor=actor, meeting=meeting, item=item, member=person,
                                               choice=data.draw(st.sampled_from(["for", "for", "against", "abstain"]))),
            "statements": lambda: sessions.statements_record(actor=actor, meeting=meeting, item=item,
                                                             order=[member(meeting.body, n) for n in NAMES[1:] + NAMES[:1]]),
            "compute": lambda: results.results_compute(actor=actor, meeting=meeting),
            "close": lambda: results.meeting_close(actor=actor, meeting=meeting),
        }
        self._do(action, calls[action])

    @invariant()
    def every_invariant_holds(self) -> None:
        assert broken(MEETINGS) == []


def test_a_meeting_keeps_every_invariant() -> None:
    body = make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body)
    items = [AgendaItemFactory(meeting=meeting, title="年度投资计划"), AgendaItemFactory(meeting=meeting, title="购置办公设备")]
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    ent = body.enterprise
    MeetingRun.world = {"meeting": meeting, "items": items, "actors": {
        "secretary": UserFactory(role=Role.SECRETARY, enterprise=ent),
        "filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent),
        "reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)}}
    run_machine(MeetingRun, reached=("present", "vote", "vote refused", "recuse", "compute"))
