"""The 待办 inbox: each kind of waiting step reaches the right person, leaves once done, and the page and the menu
count ask the same number of queries at 1× and 10× the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.followup import services as followup_services
from soegov.inbox.selectors import todo_counts, todo_list
from soegov.matters.models import Matter
from soegov.meetings import results, sessions, voting
from soegov.oversight.models import EventReport
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.followup.factories import NAMES, decided_item
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member, xundian_enterprise
from tests.signatures.factories import signature_key

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _matter(enterprise: Any, status: str, n: int, route: str = "approval", **kw: Any) -> Matter:
    return Matter.objects.create(enterprise=enterprise, policy="yining-2024", matter_type="donation",
                                 title=f"对外捐赠{n}", occurred_on=dt.date(2026, 3, 2), status=status, route=route, **kw)


def _event(enterprise: Any, n: int, due: dt.datetime) -> EventReport:
    return EventReport.objects.create(enterprise=enterprise, policy="yining-2024", category="safety",
                                      title=f"安全事故{n}", occurred_at=due - dt.timedelta(hours=2), due_at=due)


def _pile(enterprise: Any, filer: Any, item: Any, n: int) -> None:
    """n of each thing that waits for the filer or the reviewer."""
    now = timezone.now()
    for i in range(n):
        _matter(enterprise, "returned", i, due_at=now + dt.timedelta(days=i + 1))
        _matter(enterprise, "submitted", i, review_due_at=now + dt.timedelta(days=i + 1))
        _event(enterprise, i, now + dt.timedelta(hours=i + 1))
        followup_services.action_create(actor=None, agenda_item=item, title=f"落实{i}", owner_name="马晓东",
                                        owner=filer, due_date=timezone.localdate() + dt.timedelta(days=i))


def test_each_step_reaches_its_person_overdue_first() -> None:
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]))
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction)
    now = timezone.now()
    late = _matter(e, "returned", 1, due_at=now - dt.timedelta(days=1))
    soon = _matter(e, "draft", 2, due_at=now + dt.timedelta(days=3))
    _matter(e, "implemented", 3, route="post_filing")
    queued = _matter(e, "submitted", 4, review_due_at=now + dt.timedelta(days=5))
    event = _event(e, 1, now + dt.timedelta(hours=4))
    _event(e, 2, now + dt.timedelta(hours=4)).__class__.objects.filter(title="安全事故2").update(reported_at=now)

    rows = todo_list(user=filer)
    assert [(t.kind, t.title, t.action) for t in rows] == [
        ("matters", late.title, "补正后重新报送"), ("oversight", event.title, "报告事件"),
        ("matters", soon.title, "集体决策后报送")]
    assert rows[0].overdue and not rows[1].overdue
    assert rows[0].url == reverse("matters:detail", args=[late.pk])
    assert todo_counts(user=filer) == {"matters": 2, "oversight": 1}
    assert [(t.title, t.action) for t in todo_list(user=reviewer)] == [(queued.title, "开始审核")]

    page = _client(filer).get(reverse("home")).content.decode()
    assert "待办（3）" in page and "已逾期" in page and "补正后重新报送" in page
    assert "重大事项 2" in page and "监督事项 1" in page
    only = _client(filer).get(reverse("home") + "?kind=oversight").content.decode()
    assert event.title in only and late.title not in only
    # An unknown kind shows everything rather than failing.
    assert late.title in _client(filer).get(reverse("home") + "?kind=<x>").content.decode()


def test_a_ballot_leaves_the_inbox_once_cast_and_the_minutes_then_wait_for_a_signature() -> None:
    body = make_body(xundian_enterprise(), names=["甲书记", "乙委员", "丙委员"])
    voter = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise)
    seat = member(body, "乙委员")
    seat.user = voter
    seat.save()
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, title="购置设备", voting_method="ballot")
    for step in (sessions.notice_send, sessions.materials_distribute, sessions.meeting_open):
        meeting = step(actor=None, meeting=meeting)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    assert [(t.kind, t.action) for t in todo_list(user=voter)] == [("ballots", "投票")]
    assert "待办（1）" in _client(voter).get(reverse("home")).content.decode()

    voting.vote_record(actor=voter, meeting=meeting, item=item, member=seat, choice="for",
                       key=signature_key(voter))
    for name in ["甲书记", "丙委员"]:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice="for")
    assert todo_list(user=voter) == []
    results.meeting_close(actor=None, meeting=meeting)
    rows = todo_list(user=voter)
    assert [(t.kind, t.action) for t in rows] == [("signatures", "签字")]
    assert rows[0].url.startswith(reverse("meetings:detail", args=[meeting.pk]))


def test_an_action_item_waits_for_its_owner_only() -> None:
    item = decided_item()
    owner = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=item.meeting.enterprise)
    other = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=item.meeting.enterprise)
    action = followup_services.action_create(actor=None, agenda_item=item, title="签订采购合同", owner_name="王经理",
                                             owner=owner, due_date=timezone.localdate() - dt.timedelta(days=1))
    rows = todo_list(user=owner)
    assert [(t.title, t.action, t.overdue) for t in rows] == [(action.title, "落实并报告进展", True)]
    assert todo_list(user=other) == []


@pytest.mark.parametrize("role", [Role.ENTERPRISE_FILER, Role.SUPERVISOR_REVIEWER])
def test_the_home_page_asks_as_many_queries_at_ten_times_the_data(role: str) -> None:
    item = decided_item()
    e = item.meeting.enterprise
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    user = filer if role == Role.ENTERPRISE_FILER else UserFactory(role=role, jurisdiction=e.jurisdiction)
    client = _client(user)
    _pile(e, filer, item, 1)
    client.get(reverse("home"))  # warm the caches (session, packs) outside the measure
    with CaptureQueriesContext(connection) as one:
        small = client.get(reverse("home")).content.decode()
    _pile(e, filer, item, 9)
    with CaptureQueriesContext(connection) as ten:
        large = client.get(reverse("home")).content.decode()
    assert len(ten) == len(one), [q["sql"] for q in ten.captured_queries][len(one):]
    assert small.count('<tr class="todo') < large.count('<tr class="todo')
    assert large.count('<tr class="todo') == (30 if role == Role.ENTERPRISE_FILER else 10)


def test_members_count_of_the_body_is_not_the_inbox() -> None:
    """A seat on a body alone puts nothing in the inbox."""
    body = make_body(xundian_enterprise(), names=NAMES)
    user = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise)
    seat = member(body, NAMES[0])
    seat.user = user
    seat.save()
    assert todo_counts(user=user) == {} and todo_list(user=user) == []


def test_the_inbox_pages() -> None:
    from soegov.core.paging import PAGE_SIZE

    item = decided_item()
    e = item.meeting.enterprise
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    _pile(e, filer, item, 20)  # 60 steps wait for the filer
    client = _client(filer)
    first = client.get(reverse("home")).content.decode()
    assert first.count('<tr class="todo') == PAGE_SIZE and "共 60 条" in first and 'rel="next"' in first
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert second.count('<tr class="todo') == 60 - PAGE_SIZE
    assert len(todo_list(user=filer)) == 60  # the counts and tabs still name every step
