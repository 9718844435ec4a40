"""A personnel decision taken in an enterprise meeting is the basis of an appointment only if voted by ballot."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.core.errors import InputError
from soegov.leaders import appointments
from soegov.leaders.models import AppointmentStatus, Leader
from tests.leaders.factories import doc, personnel_item, reviewer, tree

pytestmark = pytest.mark.django_db
BALLOT_RULE = "xundian-2020 第10条：决策采取口头表决、举手表决、投票表决等表决方式,涉及重要人事任免的事项必须进行投票表决。"


def _at_decision(t: dict[str, Any]) -> Any:
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l2"], person_name="钱七", post="general_manager",
                                          term_start="2025-04-01", term_end="2028-03-31")
    for _ in appt.steps[:-1]:
        appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-01")
    return rev, appt


@pytest.mark.parametrize(("name", "kwargs", "code"), [
    ("show_of_hands", {"voting_method": "show_of_hands"}, "personnel_not_ballot"),
    ("oral", {"voting_method": "oral"}, "personnel_not_ballot"),
    ("ballot_but_flagged", {"violations": [{"code": "personnel_not_ballot"}]}, "personnel_not_ballot"),
    ("not_passed", {"passed": False}, "item_not_passed"),
    ("not_yet_voted", {"passed": None}, "item_not_passed"),
    ("not_personnel", {"category": "major_decision"}, "not_personnel_item"),
])
def test_refused_as_basis(name: str, kwargs: dict[str, Any], code: str) -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = personnel_item(t["l1"], **kwargs)
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                      agenda_item=item.pk)
    assert exc.value.code == code, name
    if code == "personnel_not_ballot":
        # yining-2024 has no ballot rule of its own: xundian art. 10 is cited for reference, not as binding.
        assert exc.value.message == ("按“三重一大”决策制度，重要人事任免事项须采取投票表决；该人事任免议题未采取投票表决（无记名投票），"
                                     f"不能作为任免决定的依据（本企业适用的 yining-2024 对表决方式未作规定，参照{BALLOT_RULE}）")
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.IN_PROGRESS
    assert not Leader.objects.filter(name="钱七").exists()


def test_other_enterprise_meeting_refused() -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = personnel_item(t["l3"])  # a level-3 company below: not the enterprise nor its parent
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                      agenda_item=item.pk)
    assert exc.value.code == "invalid_agenda_item"


@pytest.mark.parametrize("where", ["l1", "l2"])
def test_ballot_item_completes_the_appointment(where: str) -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = personnel_item(t[where])
    appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                         agenda_item=item.pk)
    assert appt.status == AppointmentStatus.COMPLETED
    assert appt.done_steps.get(code="decision").agenda_item_id == item.pk
    gm = Leader.objects.get(name="钱七", enterprise=t["l2"])
    assert (gm.post, str(gm.term_start), gm.active) == ("general_manager", "2025-04-01", True)


def _declared_item(enterprise: Any, method: str, passed: bool = True) -> Any:
    """A personnel item of the enterprise's party committee (yining-2024: no meeting rules), its result declared."""
    from soegov.meetings import results, sessions, voting
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body

    meeting = MeetingFactory(body=make_body(enterprise, names=["甲书记", "乙委员", "丙委员"]))
    item = AgendaItemFactory(meeting=meeting, category="personnel", title="推荐钱七为总经理人选", voting_method=method)
    sessions.notice_send(actor=None, meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    for m in meeting.body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
        voting.vote_record(actor=None, meeting=meeting, item=item, member=m, choice="for" if passed else "against")
    assert results.meeting_policy(meeting) is None
    return results.result_declare(actor=None, meeting=meeting, item=item, passed=passed)


def test_declared_ballot_item_completes_the_unlisted_route() -> None:
    t = tree()
    rev, appt = _at_decision(t)
    assert appt.route_id == "parent_group"
    item = _declared_item(t["l1"], "ballot")
    assert (item.passed, item.result_source) == (True, "declared")
    appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                         agenda_item=item.pk)
    assert appt.status == AppointmentStatus.COMPLETED
    assert appt.done_steps.get(code="decision").agenda_item_id == item.pk
    assert Leader.objects.filter(name="钱七", enterprise=t["l2"], post="general_manager", active=True).exists()


@pytest.mark.parametrize(("method", "passed", "code"), [
    ("show_of_hands", True, "personnel_not_ballot"),
    ("oral", True, "personnel_not_ballot"),
    ("ballot", False, "item_not_passed"),
])
def test_declared_item_refused_unless_passed_by_ballot(method: str, passed: bool, code: str) -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = _declared_item(t["l1"], method, passed)
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                      agenda_item=item.pk)
    assert exc.value.code == code
    if code == "personnel_not_ballot":
        assert "参照" in exc.value.message and "三重一大" in exc.value.message
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.IN_PROGRESS


def test_the_page_asks_for_a_ballot_citing_the_xundian_rule_for_reference_not_as_yinings() -> None:
    """The walk of issue 13: a Yining appointment's decision step read 按规定程序进行任免（企业会议无记名投票表决通过）
    under yining art. 7 item 2, which sets no voting method, and the page's hint cited xundian art. 10 as binding;
    the refusal already said 本企业适用的 yining-2024 对表决方式未作规定，参照… — the page now says the same."""
    from django.test import Client

    t = tree()
    rev, appt = _at_decision(t)
    client = Client()
    client.force_login(rev)
    page = client.get(f"/leaders/appointments/{appt.pk}/").content.decode()
    assert "无记名投票表决通过" not in page and "按规定程序进行任免（企业会议决定）" in page
    hint = page.split("须选择企业会议中以投票表决方式通过的人事任免议题")[1].split("</p>")[0]
    assert "本企业适用的制度对表决方式未作规定，参照" in hint and "第10条" in hint
