"""Appointments through the art. 7 route of the enterprise's level: routes, steps, permissions, completion."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.leaders import appointments, records
from soegov.leaders.models import AppointmentStatus, Leader
from tests.factories import UserFactory
from tests.leaders.factories import doc, leader, reviewer, tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("level", "listed", "route", "decider"), [
    (1, False, "city_committee", "city_party_committee"),
    (2, True, "city_committee", "city_party_committee"),
    (2, False, "parent_group", "enterprise"),
    (3, False, "parent_group", "enterprise"),
])
def test_route_by_level_and_listing(level: int, listed: bool, route: str, decider: str) -> None:
    t = tree()
    rev = reviewer(t["j"])
    ent = t[f"l{level}"]
    if listed:
        records.listing_set(actor=rev, enterprise=ent, listed=True, basis="市委组织部名单")
    appt = appointments.appointment_start(actor=rev, enterprise=ent, person_name="李四", post="general_manager")
    assert appt.route_id == route
    assert [s["actor"] for s in appt.steps if s["code"] == "decision"] == [decider]


def test_only_level2_can_be_listed() -> None:
    t = tree()
    rev = reviewer(t["j"])
    for lvl in ("l1", "l3"):
        with pytest.raises(InputError) as exc:
            records.listing_set(actor=rev, enterprise=t[lvl], listed=True)
        assert exc.value.message == "只有二级企业集团可以列入市委研究决定的名单（伊宁办法第七条第一项第2目）"


def test_level1_full_route_creates_leader_record() -> None:
    t = tree()
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l1"], person_name="王五", post="chair",
                                          term_start="2025-01-01", term_end="2027-12-31")
    for n, _ in enumerate(appt.steps):
        appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"], f"第{n}步"),
                                             decided_on="2025-01-0" + str(n + 1), version=appt.version)
    assert appt.status == AppointmentStatus.COMPLETED
    record = Leader.objects.get(enterprise=t["l1"], name="王五")
    assert (record.post, str(record.term_start), str(record.term_end), record.active) == ("chair", "2025-01-01", "2027-12-31", True)
    assert appt.leader_id == record.pk
    assert AuditEntry.objects.filter(action="leaders.leader_appoint").exists()
    with pytest.raises(Exception) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-01-09")
    assert "没有待办步骤" in str(exc.value)


def test_removal_ends_the_term() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l1"], "赵六")
    appt = appointments.appointment_start(actor=rev, enterprise=t["l1"], kind="remove", leader=gm)
    for _ in appt.steps:
        appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-02-01")
    gm.refresh_from_db()
    assert (gm.active, str(gm.term_end)) == (False, "2025-02-01")


def test_meeting_step_requires_an_agenda_item() -> None:
    t = tree()
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l2"], person_name="钱七", post="general_manager")
    for _ in appt.steps[:-1]:
        appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-01")
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02")
    assert exc.value.code == "agenda_item_required"
    assert "伊宁" in exc.value.message or "yining" in exc.value.message


def test_step_dates_in_order_and_not_future() -> None:
    t = tree()
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l1"], person_name="孙八", post="director")
    appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-03-05")
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-03-04")
    assert exc.value.path == "decided_on"
    with pytest.raises(InputError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2999-01-01")
    assert exc.value.message == "日期不能晚于今天"


def test_who_may_act() -> None:
    t = tree()
    other = reviewer(t["j"].__class__.objects.create(code="other", name="别市", supervisor="别市国资委"))
    with pytest.raises(PermissionDenied):
        appointments.appointment_start(actor=other, enterprise=t["l2"], person_name="周九", post="deputy_gm")
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l2"], person_name="周九", post="deputy_gm")
    parent_user = UserFactory(role=Role.SECRETARY, enterprise=t["l1"])
    own_user = UserFactory(role=Role.SECRETARY, enterprise=t["l2"])
    # The parent group's party organisation proposes (art. 7 item 2); the enterprise itself may not.
    with pytest.raises(PermissionDenied):
        appointments.appointment_step(actor=own_user, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-01")
    appt = appointments.appointment_step(actor=parent_user, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-01")
    # The supervisor's examination is the supervisor's.
    with pytest.raises(PermissionDenied):
        appointments.appointment_step(actor=parent_user, appointment=appt, document=doc(t["l2"]), decided_on="2025-03-02")


def test_level4_refused_with_article() -> None:
    t = tree()
    from tests.factories import EnterpriseFactory

    l4 = EnterpriseFactory(parent=t["l3"])
    with pytest.raises(InputError) as exc:
        appointments.appointment_start(actor=reviewer(t["j"]), enterprise=l4, person_name="吴十", post="general_manager")
    assert exc.value.code == "no_appointment_route"
