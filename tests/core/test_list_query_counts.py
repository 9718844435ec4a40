"""Lists the wave paged whose query count had no test yet: the audit log and the meetings list stay flat as rows grow."""

from __future__ import annotations

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.audit.services import audit_record
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, make_body
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_the_audit_log_runs_the_same_queries_at_ten_times_the_entries() -> None:
    c = _client(UserFactory(role=Role.AUDIT_ADMIN))

    def add(n: int) -> None:
        for i in range(n):
            audit_record(actor=None, action="test.bulk", object_repr=f"对象{i}", after={"i": i})

    add(10)
    small = queries(c, "/audit/")
    add(90)
    large = queries(c, "/audit/")
    assert large == small, query_texts(c, "/audit/")
    assert "对象89" in c.get("/audit/").content.decode()  # the rows are on the page, not only counted


def test_the_meetings_list_runs_the_same_queries_at_ten_times_the_meetings() -> None:
    body = make_body()
    secretary = UserFactory(role=Role.SECRETARY, enterprise=body.enterprise)
    c = _client(secretary)
    for _ in range(3):
        MeetingFactory(body=body)
    small = queries(c, "/meetings/")
    for _ in range(27):
        MeetingFactory(body=body)
    large = queries(c, "/meetings/")
    assert large == small, query_texts(c, "/meetings/")
    page = c.get("/meetings/").content.decode()
    assert sum(page.count(m.title) > 0 for m in body.meetings.all()) == 30  # every meeting is listed
