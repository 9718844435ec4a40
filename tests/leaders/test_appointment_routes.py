"""Yining art. 7 in the appointment workflow: the discipline secretary's route, and a minority stake's recommendation."""

from __future__ import annotations

import pytest

from soegov.leaders import appointments
from tests.factories import EnterpriseFactory
from tests.leaders.factories import reviewer, tree

pytestmark = pytest.mark.django_db


def test_the_discipline_secretary_of_a_level1_group_is_proposed_by_the_discipline_commission() -> None:
    t = tree()
    rev = reviewer(t["j"])
    secretary = appointments.appointment_start(actor=rev, enterprise=t["l1"], person_name="陈纪", post="discipline_secretary")
    assert secretary.route_id == "discipline_secretary"
    assert appointments.next_step(secretary)["actor"] == "discipline_commission"   # type: ignore[index]
    other = appointments.appointment_start(actor=rev, enterprise=t["l1"], person_name="王五", post="general_manager")
    assert other.route_id == "city_committee"
    # Below the listed groups the secretary follows the parent group's route (art. 7 item 2).
    assert appointments.appointment_start(actor=rev, enterprise=t["l3"], person_name="陈纪",
                                          post="discipline_secretary").route_id == "parent_group"


def test_a_minority_stake_is_only_recommended_by_the_supervisor() -> None:
    t = tree()
    rev = reviewer(t["j"])
    stake = EnterpriseFactory(jurisdiction=t["j"], name="伊宁市参股测试公司", ownership="minority")
    appt = appointments.appointment_start(actor=rev, enterprise=stake, person_name="赵六", post="director")
    assert appt.route_id == "minority_recommendation"
    assert [s["actor"] for s in appt.route["steps"]] == ["sasac", "enterprise"]
    controlled = EnterpriseFactory(jurisdiction=t["j"], name="伊宁市控股测试公司", ownership="controlled")
    assert appointments.appointment_start(actor=rev, enterprise=controlled, person_name="赵六",
                                          post="director").route_id == "city_committee"
