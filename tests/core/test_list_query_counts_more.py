"""Lists whose query count had no test yet (issue 16): the follow-up page and its emergency decisions, the jobs
list, the notifications API and the home page's to-do counts run the same queries at ten times the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soegov.accounts.roles import Role
from tests.factories import UserFactory
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _same(c: Client, urls: list[str], grow: Any) -> None:
    small = {u: queries(c, u) for u in urls}
    grow()
    large = {u: queries(c, u) for u in urls}
    assert large == small, {u: query_texts(c, u) for u in urls if large[u] != small[u]}


def test_followup_actions_and_emergencies() -> None:
    from soegov.followup.models import ActionItem, EmergencyDecision
    from tests.followup.factories import decided_item

    item = decided_item()
    ent, body = item.meeting.enterprise, item.meeting.body
    secretary = UserFactory(role=Role.SECRETARY, enterprise=ent)
    today = timezone.localdate()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            ActionItem.objects.create(enterprise=ent, agenda_item=item, title=f"落实事项{i}", owner=secretary,
                                      owner_name="李委员", due_date=today + dt.timedelta(days=i % 20 - 10))
            EmergencyDecision.objects.create(enterprise=ent, body=body, title=f"紧急决定{i}", content="……", reason="……",
                                             form="individual", decided_by="张书记",
                                             decided_at=timezone.now() - dt.timedelta(days=i % 30),
                                             ratify_due=today + dt.timedelta(days=i % 20 - 10))

    c = _client(secretary)
    add(5, 0)
    _same(c, ["/followup/", "/followup/?overdue=1", "/followup/?page=2", "/"], lambda: add(50, 5))
    html = c.get("/followup/").content.decode()
    assert "落实事项54" in html or "落实事项0" in html


def test_jobs_list_and_notifications() -> None:
    from soegov.jobs.models import Job
    from soegov.matters.models import Notification

    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER)

    def add(n: int) -> None:
        for i in range(n):
            Job.objects.create(kind="test.bulk", label=f"任务{i}", created_by=admin)
            Notification.objects.create(user=reviewer, text=f"提醒{i}")

    add(6)
    jobs, notes = _client(admin), _client(reviewer)
    small = (queries(jobs, "/jobs/"), queries(notes, "/api/v1/notifications"), queries(notes, "/"))
    add(60)
    assert (queries(jobs, "/jobs/"), queries(notes, "/api/v1/notifications"), queries(notes, "/")) == small
    assert len(notes.get("/api/v1/notifications").json()) == 50
