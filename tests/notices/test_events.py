"""The events people act on reach their chosen channels: a matter to review, a meeting notice with its
materials, a vote waiting, a deadline soon and an overdue item."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from soegov.accounts.roles import Role
from soegov.enterprises.models import BodyMember
from soegov.matters.reminders import reminders_send
from soegov.meetings import sessions
from soegov.notices.models import Notice, NoticeChannels
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import POST_FILING, decide, make_matter, submitted
from tests.meetings.factories import AgendaItemFactory
from tests.notices import platforms as pf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def enterprise(db: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))
    return EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]),
                             name="伊宁市城市建设投资集团有限公司", ownership="sole")


def test_a_matter_to_review_reaches_the_reviewer_on_wecom(configured: pf.PlatformServer, enterprise: Any,
                                                          django_capture_on_commit_callbacks: Any) -> None:
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=enterprise.jurisdiction)
    NoticeChannels.objects.create(user=reviewer, wecom=True, wecom_userid="zhangsan")
    with django_capture_on_commit_callbacks(execute=True):
        matter = submitted(filer, enterprise)
    [notice] = Notice.objects.all()
    assert (notice.user, notice.event, notice.status) == (reviewer, "review", "sent")
    [msg] = configured.platforms.sent("wecom")
    card = msg["body"]["textcard"]
    assert card["title"] == "待审核：测试事项"
    assert card["description"] == "伊宁市城市建设投资集团有限公司报送了“测试事项”（审核批准），请审核"
    assert card["url"] == f"https://soegov.example.gov.cn/matters/{matter.pk}/"


def test_meeting_notice_lists_the_materials_and_the_robot_posts_it(configured: pf.PlatformServer,
                                                                   django_capture_on_commit_callbacks: Any) -> None:
    item = AgendaItemFactory(title="年度投资计划")
    meeting = item.meeting
    secretary = UserFactory()
    BodyMember.objects.filter(body=meeting.body, name="张书记").update(user=secretary)
    NoticeChannels.objects.create(user=secretary, dingtalk=True, dingtalk_userid="manager4220")
    with django_capture_on_commit_callbacks(execute=True):
        sessions.notice_send(actor=None, meeting=meeting)
    assert sorted(Notice.objects.values_list("channel", "event", "status")) == [
        ("dingtalk", "meeting", "sent"), ("dingtalk_robot", "meeting", "sent")]
    [msg] = configured.platforms.sent("dingtalk")
    markdown = msg["body"]["msg"]["action_card"]["markdown"]
    assert f"### 会议通知：{meeting.title}" in markdown and "会议材料：1. 方案.pdf" in markdown
    [robot] = configured.platforms.sent("robot")
    assert "会议材料：1. 方案.pdf" in robot["body"]["markdown"]["text"]
    # Sending the notice again notifies no one twice (each member is noticed once).
    with django_capture_on_commit_callbacks(execute=True):
        sessions.notice_send(actor=None, meeting=meeting)
    assert Notice.objects.count() == 2


def test_a_ballot_waiting_is_announced_when_the_meeting_opens(configured: pf.PlatformServer,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    item = AgendaItemFactory(title="年度投资计划", voting_method="ballot")
    meeting = item.meeting
    voter = UserFactory()
    BodyMember.objects.filter(body=meeting.body, name="李委员").update(user=voter)
    NoticeChannels.objects.create(user=voter, sms=True, mobile="13900001111")
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        sessions.meeting_open(actor=None, meeting=meeting)
    vote = Notice.objects.get(event="vote")
    assert (vote.user, vote.channel, vote.status) == (voter, "sms", "sent")
    assert vote.text == f"“{meeting.title}”已开会，以下议题待您投票：年度投资计划"


def test_deadline_soon_then_overdue_by_sms(configured: pf.PlatformServer, enterprise: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise)
    NoticeChannels.objects.create(user=filer, sms=True, mobile="13900001111")
    decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 30, 16, 0, tzinfo=SH))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=dt.datetime(2026, 10, 13, 9, 0, tzinfo=SH))
        reminders_send(now=dt.datetime(2026, 10, 14, 9, 0, tzinfo=SH))
        reminders_send(now=dt.datetime(2026, 10, 14, 9, 0, tzinfo=SH))  # once only
    events = list(Notice.objects.filter(user=filer).order_by("pk").values_list("event", "status"))
    assert events == [("deadline", "sent"), ("overdue", "sent")]
    texts = [m["body"]["params"]["text"] for m in configured.platforms.sent("sms")]
    assert texts == ["即将到期：“测试事项”的企业报送期限为 2026-10-13 23:59",
                     "已逾期：“测试事项”的企业报送期限为 2026-10-13 23:59，请尽快办理"]
