"""Fixes from the QA pass over the demo workflows: opening time, signing once, secret ballots, topic lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError, SoegovError
from soegov.meetings import minutes, results, sessions, voting
from soegov.meetings.models import Meeting
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    member,
    voted_meeting,
    xundian_enterprise,
)
from tests.signatures.factories import PIN, signature_key

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员", "丁委员"]


@pytest.mark.parametrize(("minutes_ahead", "opens"), [(90, False), (61, False), (59, True), (5, True), (-30, True)])
def test_a_meeting_opens_at_the_earliest_an_hour_before_its_time(minutes_ahead: int, opens: bool) -> None:
    body = make_body(xundian_enterprise(), names=NAMES)
    scheduled = timezone.now() + dt.timedelta(minutes=minutes_ahead)
    meeting = MeetingFactory(body=body, held_at=scheduled)
    if not opens:
        with pytest.raises(SoegovError, match=r"会议定于.*召开；如需提前，请先修改会议时间并重新通知"):
            sessions.meeting_open(actor=None, meeting=meeting)
        assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"
        return
    before = timezone.now()
    opened = sessions.meeting_open(actor=None, meeting=meeting)
    assert opened.status == "in_session"
    if minutes_ahead > 0:
        # Opened early: the record carries the actual opening time, and the change is on the audit trail.
        assert before <= opened.held_at <= timezone.now()
        entry = AuditEntry.objects.filter(action="meeting.open").latest("id")
        assert entry.after["detail"]["scheduled_at"] == scheduled.isoformat()
    else:
        assert opened.held_at == scheduled


def test_the_page_refuses_an_early_opening_with_the_message(meeting_far: Meeting) -> None:
    secretary = UserFactory(role="secretary", enterprise=meeting_far.enterprise)
    r = logged_in(secretary).post(f"/meetings/{meeting_far.pk}/act/open/", follow=True)
    assert "如需提前，请先修改会议时间并重新通知" in r.content.decode()
    assert Meeting.objects.get(pk=meeting_far.pk).status == "scheduled"


@pytest.fixture
def meeting_far() -> Meeting:
    return MeetingFactory(body=make_body(xundian_enterprise(), names=NAMES), held_at=timezone.now() + dt.timedelta(days=1))


def test_a_member_signs_once_and_the_button_becomes_signed() -> None:
    meeting, _ = voted_meeting(NAMES, "议题")
    results.meeting_close(actor=None, meeting=meeting)
    body = meeting.body
    who = member(body, "乙委员")
    who.user = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise, full_name="乙委员")
    who.save()
    key = signature_key(who.user)
    c = logged_in(who.user)
    c.post(f"/meetings/{meeting.pk}/act/sign/", {"pin": PIN})
    page = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise)).get(
        f"/meetings/{meeting.pk}/").content.decode()
    row = page.split(f'id="sig-{who.pk}"')[1].split("</tr>")[0]
    assert "已签字" in row and "<button" not in row
    other = page.split(f'id="sig-{member(body, "丙委员").pk}"')[1].split("</tr>")[0]
    # The secretary has no button for anyone: the others sign themselves once they have an account.
    assert "<button" not in other and "尚未关联系统账号" in other
    r = c.post(f"/meetings/{meeting.pk}/act/sign/", {"pin": PIN}, follow=True)
    assert "已于" in r.content.decode() and "不能重复签字" in r.content.decode()
    with pytest.raises(InputError, match="不能重复签字"):
        minutes.minutes_sign(actor=who.user, meeting=Meeting.objects.get(pk=meeting.pk), key=key)
    assert Meeting.objects.get(pk=meeting.pk).minutes.signatures.filter(member=who).count() == 1
    assert AuditEntry.objects.filter(action="minutes.sign").count() == 1


def test_the_demos_ready_meeting_can_be_run_right_after_loading(demo: object) -> None:
    from soegov.accounts.models import User

    ready = Meeting.objects.get(title="2026年第10次党委会")
    assert ready.notice_sent_at is not None and ready.notice_sent_at <= ready.held_at - dt.timedelta(days=1)
    assert all(i.materials_sent_at < ready.held_at for i in ready.items.all())
    opened = sessions.meeting_open(actor=User.objects.get(username="xd_secretary"), meeting=ready)
    assert opened.status == "in_session" and opened.held_at <= timezone.now()


def test_studied_and_decided_topics_are_not_offered_again_and_the_counts_agree(demo: object) -> None:
    from soegov.accounts.models import User
    from soegov.meetings.models import Topic

    secretary = User.objects.get(username="xd_secretary")
    c = logged_in(secretary)
    ready = Meeting.objects.get(title="2026年第10次党委会")
    plan = Topic.objects.get(title="2027年度投资计划")  # passed by the 9th party committee, now for the board
    assert plan.status == "prepared" and plan.prestudy_id is not None
    party = ready.body
    new = sessions.meeting_create(actor=secretary, body=party, title="2026年第11次党委会",
                                  held_at=timezone.now() + dt.timedelta(days=3))
    page = c.get(f"/meetings/{new.pk}/").content.decode()
    options = page.split('id="a_topic"')[1].split("</select>")[0] if 'id="a_topic"' in page else ""
    assert "2027年度投资计划" not in options
    board = party.enterprise.bodies.get(kind="board")
    board_meeting = sessions.meeting_create(actor=secretary, body=board, title="2026年第3次董事会",
                                            held_at=timezone.now() + dt.timedelta(days=3))
    page = c.get(f"/meetings/{board_meeting.pk}/").content.decode()
    assert "2027年度投资计划（党委会已前置研究，待董事会决策）" in page
    topics = c.get("/meetings/topics/").content.decode()
    assert "党委（党工委）会 → 董事会" in topics and "party_committee" not in topics
    listing = c.get("/meetings/").content.decode()
    waiting = int(listing.split("议题（")[1].split(" 个已准备待上会")[0])
    filtered = c.get("/meetings/topics/?status=prepared").content.decode()
    assert f"（共 {waiting} 个）" in filtered
    assert filtered.split("<tbody>")[1].count("<tr>") == waiting


def test_an_absent_members_written_opinion_stays_with_the_item_it_concerns() -> None:
    import io

    from docx import Document

    body = make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body)
    first = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    second = AgendaItemFactory(meeting=meeting, title="购置办公设备")
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    absent = member(body, "丁委员")
    with pytest.raises(InputError, match="请选择丁委员的书面意见所涉的议题"):
        sessions.attendance_record(actor=None, meeting=meeting, member=absent, present=False, absence_reason="出差",
                                   written_opinion="同意购置。")
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    c = logged_in(secretary)
    r = c.post(f"/meetings/{meeting.pk}/act/attendance/", {"member": absent.pk, "present": "0", "absence_reason": "出差",
                                                            "written_opinion": "同意购置。", "opinion_item": second.pk},
               HTTP_HX_REQUEST="true")
    assert "议题2：同意购置。" in r.content.decode()
    for name in NAMES[:3]:
        sessions.attendance_record(actor=None, meeting=meeting, member=member(body, name), present=True)
        for it in (first, second):
            voting.vote_record(actor=None, meeting=meeting, item=it, member=member(body, name), choice="for")
    results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))
    doc = c.get(f"/meetings/{meeting.pk}/documents/record.docx")
    text = "\n".join(par.text for par in Document(io.BytesIO(doc.content)).paragraphs)
    lines = [line for line in text.splitlines() if "丁委员：缺席" in line]
    assert len(lines) == 2
    assert "书面意见" not in lines[0] and "年度投资计划" in lines[0]
    assert "书面意见：“同意购置。”" in lines[1] and "购置办公设备" in lines[1]


def test_the_secretary_records_the_legal_counsel_and_sees_the_supervisors_findings_before_archiving() -> None:
    meeting, _ = voted_meeting(NAMES)
    results.meeting_close(actor=None, meeting=meeting)
    c = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise))
    page = c.get(f"/meetings/{meeting.pk}/").content.decode()
    warnings = page.split('id="import-warnings"')[1].split("</div>")[0]
    assert "未经合法合规审查" in warnings and "年度投资计划" in warnings
    r = c.post(f"/meetings/{meeting.pk}/act/nonvoting/", {"nonvoting_name": "孙律师", "nonvoting_position": "法律顾问"},
               follow=True)
    page = r.content.decode()
    assert "孙律师（法律顾问）" in page
    assert "未经合法合规审查" not in page
    # The engine hears of him as a non-voting attendee, and the 0006 package lists him under 列席.
    from soegov.exchange.meeting_export import meeting_record

    fresh = Meeting.objects.get(pk=meeting.pk)
    assert "孙律师" in results.engine_request(fresh)["nonvoting_attendees"]
    assert ("孙律师", "法律顾问") in meeting_record(fresh).subjects[0].attendances
    r = c.post(f"/meetings/{meeting.pk}/act/nonvoting/", {"nonvoting_name": "孙律师", "nonvoting_position": ""},
               follow=True)
    assert "请填写列席人员职务" in r.content.decode()
    assert AuditEntry.objects.filter(action="meeting.nonvoting").count() == 1
