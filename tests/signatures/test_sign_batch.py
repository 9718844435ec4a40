"""Signing several meeting records at once: confirmation (read, PIN) first, each signed by the single service in its
own transaction, every outcome named, a wrong PIN signs nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.audit.models import AuditEntry
from soegov.meetings import results
from soegov.meetings.models import Meeting, Signature
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    make_body,
    member,
    run_meeting,
    xundian_enterprise,
)
from tests.querycount import queries, query_texts
from tests.signatures.factories import PIN, signature_key

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员"]


@pytest.fixture
def records() -> dict[str, Any]:
    body = make_body(xundian_enterprise(), names=NAMES)
    me = UserFactory(role="enterprise_leader", enterprise=body.enterprise, full_name="丙委员")
    seat = member(body, "丙委员")
    seat.user = me
    seat.save()
    signature_key(me)
    meetings = []
    for n, present in enumerate([NAMES, NAMES, ["甲书记", "乙委员"]]):
        meeting = MeetingFactory(body=body, title=f"2026年第{n + 1}次党委会")
        item = AgendaItemFactory(meeting=meeting)
        run_meeting(meeting, present=present, votes={item: dict.fromkeys(present, "for")})
        results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))
        meetings.append(Meeting.objects.get(pk=meeting.pk))
    return {"me": me, "meetings": meetings}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_two_records_signed_with_one_pin_and_one_refused(records: dict[str, Any]) -> None:
    first, second, absent = records["meetings"]
    c = _client(records["me"])
    page = c.get("/meetings/sign/").content.decode()
    assert "2026年第1次党委会会议记录" in page and "2026年第2次党委会会议记录" in page
    assert "2026年第3次党委会会议记录" not in page  # he was absent: nothing to sign
    assert "/meetings/sign/" in c.get("/meetings/my-votes/").content.decode()  # 我的表决 leads here

    picks = [str(first.pk), str(second.pk), str(absent.pk)]
    confirm = c.post("/meetings/sign/", {"pick": picks}).content.decode()
    assert "确认签署会议记录" in confirm and "本人签字（3 份）" in confirm and "签署后不能撤回" in confirm
    assert not Signature.objects.exists()

    unread = c.post("/meetings/sign/", {"pick": picks, "confirmed": "1", "pin": PIN})
    assert unread.status_code == 400 and "我已阅读以上会议记录" in unread.content.decode()
    wrong = c.post("/meetings/sign/", {"pick": picks, "confirmed": "1", "read": "1", "pin": "wrong-pin"})
    assert wrong.status_code == 400 and "签名密码" in wrong.content.decode()
    assert not Signature.objects.exists()  # a wrong PIN signs nothing

    done = c.post("/meetings/sign/", {"pick": picks, "confirmed": "1", "read": "1", "pin": PIN}).content.decode()
    assert "办理成功 2 项" in done and "未办理 1 项" in done
    assert "丙委员未出席本次会议，不在会议记录上签字" in done  # the service's own reason
    assert set(Signature.objects.values_list("minutes__meeting_id", flat=True)) == {first.pk, second.pk}
    assert AuditEntry.objects.filter(action="minutes.sign").count() == 2
    again = c.post("/meetings/sign/", {"pick": [str(first.pk)], "confirmed": "1", "read": "1", "pin": PIN})
    assert "不能重复签字" in again.content.decode()


def test_nobody_signs_through_the_batch_for_another(records: dict[str, Any]) -> None:
    first = records["meetings"][0]
    secretary = UserFactory(role="secretary", enterprise=first.enterprise)
    signature_key(secretary)
    done = _client(secretary).post("/meetings/sign/", {"pick": [str(first.pk)], "confirmed": "1", "read": "1",
                                                        "pin": PIN}).content.decode()
    assert "未办理 1 项" in done and not Signature.objects.exists()
    r = _client(records["me"]).post("/meetings/sign/", {"pick": ["abc"]}, follow=True)
    assert r.redirect_chain[-1][0] == "/meetings/sign/" and "所选记录有误" in r.content.decode()
    assert _client(UserFactory(role="system_admin")).get("/meetings/sign/").status_code == 403


def _waiting(body: Any, seat: Any, n: int) -> None:
    """n closed meetings the seat attended, whose record waits for his signature."""
    from soegov.meetings.models import Attendance, MeetingStatus, Minutes

    for _ in range(n):
        meeting = MeetingFactory(body=body)
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)  # only the list is under test
        Minutes.objects.create(meeting=meeting)
        Attendance.objects.create(meeting=meeting, member=seat, present=True)


def test_the_records_waiting_page_pages_and_runs_the_same_queries_at_ten_times_the_rows(records: dict[str, Any]) -> None:
    from soegov.core.paging import PAGE_SIZE
    from soegov.enterprises.models import BodyMember

    me = records["me"]
    seat = BodyMember.objects.get(user=me)
    c = _client(me)
    _waiting(seat.body, seat, 6)
    small = queries(c, "/meetings/sign/")
    _waiting(seat.body, seat, 60)
    assert queries(c, "/meetings/sign/") == small, query_texts(c, "/meetings/sign/")
    page = c.get("/meetings/sign/").content.decode()
    assert page.count('name="pick"') == PAGE_SIZE and "共 68 条" in page and 'rel="next"' in page
