"""A personnel decision taken in an enterprise meeting is the basis of an appointment only if voted by ballot."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.errors import InputError
from soegov.leaders import services
from soegov.leaders.models import AppointmentStatus, Leader
from tests.leaders.factories import doc, personnel_item, reviewer, tree

pytestmark = pytest.mark.django_db
BALLOT_RULE = "xundian-2020 第10条：决策采取口头表决、举手表决、投票表决等表决方式,涉及重要人事任免的事项必须进行投票表决。"


def _at_decision(t: dict[str, Any]) -> Any:
    rev = reviewer(t["j"])
    appt = services.appointment_start(actor=rev, enterprise=t["l2"], person_name="钱七", post="general_manager",
                                      term_start="2025-04-01", term_end="2028-03-31")
    for _ in appt.steps[:-1]:
        appt = services.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-01")
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
        services.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                  agenda_item=item.pk)
    assert exc.value.code == code, name
    if code == "personnel_not_ballot":
        assert exc.value.message == f"人事任免议题未采取投票表决（无记名投票），不能作为任免决定的依据（{BALLOT_RULE}）"
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.IN_PROGRESS
    assert not Leader.objects.filter(name="钱七").exists()


def test_other_enterprise_meeting_refused() -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = personnel_item(t["l3"])  # a level-3 company below: not the enterprise nor its parent
    with pytest.raises(InputError) as exc:
        services.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                  agenda_item=item.pk)
    assert exc.value.code == "invalid_agenda_item"


@pytest.mark.parametrize("where", ["l1", "l2"])
def test_ballot_item_completes_the_appointment(where: str) -> None:
    t = tree()
    rev, appt = _at_decision(t)
    item = personnel_item(t[where])
    appt = services.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02",
                                     agenda_item=item.pk)
    assert appt.status == AppointmentStatus.COMPLETED
    assert appt.done_steps.get(code="decision").agenda_item_id == item.pk
    gm = Leader.objects.get(name="钱七", enterprise=t["l2"])
    assert (gm.post, str(gm.term_start), gm.active) == ("general_manager", "2025-04-01", True)
