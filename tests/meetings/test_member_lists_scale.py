"""A member's own lists (records to sign, meetings coming up, reminders) run as many queries at 10x the rows."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.matters.models import Notification
from soegov.meetings.models import Attendance, Meeting, MeetingStatus, Minutes
from tests.bulk import make_meetings
from tests.factories import UserFactory
from tests.meetings.factories import logged_in, make_body, member
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db

URLS = ["/meetings/sign/", "/meetings/my-votes/", "/matters/notifications/"]


def _load(body: Any, seat: Any, user: Any, n: int, seed: int) -> None:
    """n closed meetings whose record waits for the member's signature, n coming up, n reminders."""
    before = set(Meeting.objects.values_list("pk", flat=True))
    make_meetings([body], 2 * n, seed=seed, actor=user)
    new = list(Meeting.objects.exclude(pk__in=before).order_by("pk"))
    closed, coming = new[:n], new[n:]
    Minutes.objects.bulk_create([Minutes(meeting=m) for m in closed])
    Attendance.objects.bulk_create([Attendance(meeting=m, member=seat, present=True) for m in closed])
    Meeting.objects.filter(pk__in=[m.pk for m in coming]).update(status=MeetingStatus.SCHEDULED)
    Notification.objects.bulk_create([Notification(user=user, text=f"提醒{seed}-{i}") for i in range(n)])


def test_a_members_own_lists_run_the_same_queries_at_ten_times_the_rows() -> None:
    body = make_body()
    user = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise)
    seat = member(body, "李委员")
    seat.user = user
    seat.save(update_fields=["user"])
    c = logged_in(user)
    _load(body, seat, user, 5, 1)
    small = {u: queries(c, u) for u in URLS}
    _load(body, seat, user, 50, 2)
    large = {u: queries(c, u) for u in URLS}
    assert large == small, {u: query_texts(c, u) for u in URLS if large[u] != small[u]}
    # The rows are on the pages, not only counted.
    # The records to sign page at 50 a page: 55 rows are 50 on the first page and 5 on the second.
    assert c.get("/meetings/sign/").content.decode().count('name="pick"') == 50
    assert c.get("/meetings/sign/?page=2").content.decode().count('name="pick"') == 5
    assert c.get("/meetings/my-votes/").content.decode().count("/meetings/") >= 55
