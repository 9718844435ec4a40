"""Open recruitment of senior managers (yining art. 8): the post, the approving decision, the result."""

from __future__ import annotations

import pytest

from soegov.core.errors import InputError, SoegovError
from soegov.leaders import appointments
from soegov.leaders.models import AppointmentStatus
from tests.leaders.factories import doc, reviewer, tree

pytestmark = pytest.mark.django_db


def test_recruitment_to_appointment() -> None:
    t = tree()
    rev = reviewer(t["j"])
    with pytest.raises(InputError) as exc:
        appointments.recruitment_open(actor=rev, enterprise=t["l2"], post="party_secretary", decision=doc(t["l2"]),
                                      decided_on="2025-02-01")
    assert exc.value.path == "post"
    with pytest.raises(InputError) as exc:
        appointments.recruitment_open(actor=rev, enterprise=t["l2"], post="general_manager", decision=doc(t["l1"]),
                                      decided_on="2025-02-01")
    assert exc.value.code == "invalid_document"
    rec = appointments.recruitment_open(actor=rev, enterprise=t["l2"], post="general_manager", decision=doc(t["l2"]),
                                        decided_on="2025-02-01", announcement="面向社会公开选聘总经理 1 名")
    with pytest.raises(InputError) as exc:
        appointments.recruitment_close(actor=rev, recruitment=rec, hired=True, result="经笔试、面试、考察")
    assert exc.value.path == "hired_name"
    rec = appointments.recruitment_close(actor=rev, recruitment=rec, hired=True, result="经笔试、面试、考察", hired_name="郑一",
                                         version=rec.version)
    assert (rec.status, rec.hired_name) == ("hired", "郑一")
    with pytest.raises(SoegovError):
        appointments.recruitment_close(actor=rev, recruitment=rec, hired=False, result="再次")
    appt = appointments.appointment_start(actor=rev, enterprise=t["l2"], person_name=rec.hired_name, post=rec.post,
                                          recruitment=rec)
    assert appt.recruitment_id == rec.pk and appt.status == AppointmentStatus.IN_PROGRESS


def test_stale_version_refused() -> None:
    t = tree()
    rev = reviewer(t["j"])
    appt = appointments.appointment_start(actor=rev, enterprise=t["l1"], person_name="王五", post="chair")
    seen = appt.version
    appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-01-01", version=seen)
    with pytest.raises(SoegovError) as exc:
        appointments.appointment_step(actor=rev, appointment=appt, document=doc(t["l1"]), decided_on="2025-01-02", version=seen)
    assert exc.value.code == "stale_version"
