"""The demo's Yining group party committee meeting: a declared ballot item grounds the unlisted route (yining art. 7(2))."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soegov.demo.leaders import DECLARED_MEETING, UNLISTED
from soegov.demo.load import load_demo
from soegov.meetings.models import DECLARED_LABEL, AgendaItem
from tests.leaders.factories import PDF

pytestmark = pytest.mark.django_db


def test_demo_meeting_loads_once_and_completes_the_unlisted_route_in_the_ui(demo: object) -> None:
    from soegov.accounts.models import User
    from soegov.enterprises.models import Enterprise
    from soegov.leaders.models import Appointment, Leader

    load_demo()  # loaded twice
    item = AgendaItem.objects.get(meeting__title=DECLARED_MEETING)
    assert (item.passed, item.result_source, item.voting_method, item.topic.category) == (True, "declared", "ballot",
                                                                                          "personnel")
    assert item.meeting.status == "closed" and item.meeting.enterprise.level == 1
    sub = Enterprise.objects.get(name=UNLISTED)
    c = Client()
    c.force_login(User.objects.get(username="yn_reviewer"))
    r = c.post(f"/leaders/enterprise/{sub.pk}/act/appoint/", {"kind": "appoint", "person_name": "刘洋",
                                                              "post": "deputy_gm"})
    appt = Appointment.objects.get(enterprise=sub, person_name="刘洋")
    assert r.status_code == 302 and appt.route_id == "parent_group"
    today = timezone.localdate().isoformat()
    for _ in appt.steps[:-1]:
        c.post(f"/leaders/appointments/{appt.pk}/act/step/", {"title": "文件", "decided_on": today,
                                                               "file": SimpleUploadedFile("x.pdf", PDF)})
    page = c.get(f"/leaders/appointments/{appt.pk}/").content.decode()
    assert DECLARED_MEETING in page and DECLARED_LABEL in page
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "title": "任职决定", "decided_on": today, "agenda_item": item.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
        follow=True)
    assert "任免程序已完成" in r.content.decode()
    assert Leader.objects.filter(enterprise=sub, name="刘洋", post="deputy_gm", active=True).exists()
