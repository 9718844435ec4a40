"""Notices sent to the platforms' stand-in: formats, token expiry, rate limits, the other side down."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.audit.models import AuditEntry
from soegov.jobs.models import Job, JobStatus
from soegov.notices import services
from soegov.notices.jobs import MAX_ATTEMPTS
from soegov.notices.models import Channel, Notice, NoticeChannels, NoticeStatus
from tests.factories import UserFactory
from tests.notices import platforms as pf

pytestmark = pytest.mark.django_db


def person(**channels: Any) -> Any:
    user = UserFactory()
    NoticeChannels.objects.create(user=user, **channels)
    return user


def notify(capture: Any, users: list[Any], event: str = "review", url: str = "/matters/7/") -> list[Notice]:
    with capture(execute=True):
        services.notices_send(users=users, event=event, title="待审核：关于转让股权的请示",
                              text="某集团报送了“关于转让股权的请示”（审核批准），请审核", url=url)
    return list(Notice.objects.order_by("pk"))


def test_wecom_textcard_goes_to_the_person(configured: pf.PlatformServer,
                                           django_capture_on_commit_callbacks: Any) -> None:
    user = person(wecom=True, wecom_userid="zhangsan")
    [notice] = notify(django_capture_on_commit_callbacks, [user])
    notice.refresh_from_db()
    assert (notice.channel, notice.status, notice.attempts, notice.last_error) == ("wecom", "sent", 1, "")
    [msg] = configured.platforms.sent("wecom")
    assert msg["body"]["msgtype"] == "textcard" and msg["body"]["touser"] == "zhangsan"
    assert msg["body"]["agentid"] == pf.AGENT
    assert msg["body"]["textcard"]["url"] == "https://soegov.example.gov.cn/matters/7/"
    assert AuditEntry.objects.filter(action="notice.attempt", object_id=str(notice.pk)).count() == 1


def test_without_site_url_a_text_message_is_sent(configured: pf.PlatformServer, settings: Any,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    settings.SOEGOV_SITE_URL = ""
    notify(django_capture_on_commit_callbacks, [person(wecom=True, wecom_userid="lisi")])
    [msg] = configured.platforms.sent("wecom")
    assert msg["body"]["msgtype"] == "text" and msg["body"]["text"]["content"].startswith("待审核")


def test_expired_wecom_token_is_fetched_again(configured: pf.PlatformServer,
                                              django_capture_on_commit_callbacks: Any) -> None:
    user = person(wecom=True, wecom_userid="zhangsan")
    notify(django_capture_on_commit_callbacks, [user])
    configured.platforms.expire_tokens()
    Notice.objects.all().delete()
    [notice] = notify(django_capture_on_commit_callbacks, [user])
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempts == 1
    answers = [r["answer"].get("errcode") for r in configured.platforms.received if r["api"] == "wecom"]
    assert answers == [0, 42001, 0]
    assert configured.platforms.token_requests == 2


def test_wecom_rate_limit_retries_then_fails_with_the_reason_kept(configured: pf.PlatformServer,
                                                                  django_capture_on_commit_callbacks: Any) -> None:
    configured.platforms.limits["wecom"] = 1
    a, b = person(wecom=True, wecom_userid="zhangsan"), person(wecom=True, wecom_userid="lisi")
    first, second = notify(django_capture_on_commit_callbacks, [a, b])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "sent" and first.attempts == 1
    # The limit lasts the minute: every retry of the queue meets 45009 again, and the last one gives up.
    assert second.status == "failed" and second.attempts == MAX_ATTEMPTS
    assert second.last_error == "多次重试仍未发出：企业微信发送消息失败：api freq out of limit（错误码 45009）"
    job = Job.objects.get(kind="notices.send")
    assert job.status == JobStatus.FAILED and job.attempts == MAX_ATTEMPTS


def test_platform_back_after_an_outage_the_notice_goes(configured: pf.PlatformServer,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    configured.platforms.fail_next = 2  # the token request and the first send both meet a 502
    [notice] = notify(django_capture_on_commit_callbacks, [person(wecom=True, wecom_userid="zhangsan")])
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempts == 3 and notice.last_error == ""
    assert Job.objects.get(kind="notices.send").status == JobStatus.SUCCEEDED


def test_platform_down_nothing_is_lost_and_resend_delivers(configured: pf.PlatformServer,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    configured.platforms.down = True
    admin = UserFactory(role="security_admin")
    [notice] = notify(django_capture_on_commit_callbacks, [person(sms=True, mobile="13900001111")])
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == MAX_ATTEMPTS
    assert notice.last_error == "多次重试仍未发出：短信网关暂时不可用（HTTP 502）"
    configured.platforms.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notices_resend(actor=admin, ids=[notice.pk]) == 1
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.last_error == ""
    [sms] = configured.platforms.sent("sms")
    assert sms["body"]["mobile"] == "13900001111" and sms["body"]["template"] == pf.SMS_TEMPLATE


def test_unknown_wecom_user_fails_at_once(configured: pf.PlatformServer,
                                          django_capture_on_commit_callbacks: Any) -> None:
    [notice] = notify(django_capture_on_commit_callbacks, [person(wecom=True, wecom_userid="nobody")])
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == 1
    assert notice.last_error == "企业微信发送消息失败：user & party & tag all invalid（错误码 81013）"


def test_wrong_wecom_secret_is_a_refusal(configured: pf.PlatformServer, settings: Any,
                                         django_capture_on_commit_callbacks: Any) -> None:
    settings.SOEGOV_WECOM_SECRET = "wrong"
    [notice] = notify(django_capture_on_commit_callbacks, [person(wecom=True, wecom_userid="zhangsan")])
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == 1
    assert notice.last_error == "企业微信获取 access_token 失败：invalid credential（错误码 40001）"


def test_dingtalk_work_notice_with_token_expiry_and_rate_limit(configured: pf.PlatformServer,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    user = person(dingtalk=True, dingtalk_userid="manager4220")
    [notice] = notify(django_capture_on_commit_callbacks, [user])
    notice.refresh_from_db()
    assert notice.status == "sent"
    [msg] = configured.platforms.sent("dingtalk")
    assert msg["body"]["agent_id"] == pf.DT_AGENT and msg["body"]["userid_list"] == "manager4220"
    card = msg["body"]["msg"]["action_card"]
    assert card["single_url"] == "https://soegov.example.gov.cn/matters/7/" and card["title"].startswith("待审核")
    configured.platforms.expire_tokens()
    configured.platforms.limits["dingtalk"] = 1  # the first call this window was the one above
    Notice.objects.all().delete()
    [again] = notify(django_capture_on_commit_callbacks, [user])
    again.refresh_from_db()
    codes = [r["answer"]["errcode"] for r in configured.platforms.received if r["api"] == "dingtalk"]
    assert codes[:3] == [0, 42001, 90018]
    assert again.status == "failed" and "90018" in again.last_error


def test_group_robot_posts_signed_meeting_notices(configured: pf.PlatformServer,
                                                  django_capture_on_commit_callbacks: Any) -> None:
    notices = notify(django_capture_on_commit_callbacks, [], event="meeting")
    [robot] = notices
    robot.refresh_from_db()
    assert robot.channel == Channel.DINGTALK_ROBOT and robot.status == "sent" and robot.user is None
    [msg] = configured.platforms.sent("robot")
    assert msg["body"]["msgtype"] == "markdown" and "[查看详情](https://soegov.example.gov.cn/matters/7/)" in msg[
        "body"]["markdown"]["text"]
    # A review is not a group matter (SOEGOV_DINGTALK_ROBOT_EVENTS=meeting,overdue by default).
    Notice.objects.all().delete()
    assert notify(django_capture_on_commit_callbacks, [], event="review") == []


def test_robot_with_the_wrong_secret_is_refused_310000(configured: pf.PlatformServer, settings: Any,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    settings.SOEGOV_DINGTALK_ROBOT_SECRET = "SECnot-the-robots-secret"
    [robot] = notify(django_capture_on_commit_callbacks, [], event="overdue")
    robot.refresh_from_db()
    assert robot.status == "failed" and robot.attempts == 1 and "310000" in robot.last_error


def test_robot_over_twenty_a_minute_waits(configured: pf.PlatformServer,
                                          django_capture_on_commit_callbacks: Any) -> None:
    configured.platforms.limits["robot"] = 1
    notify(django_capture_on_commit_callbacks, [], event="overdue")
    second = notify(django_capture_on_commit_callbacks, [], event="overdue")[-1]
    second.refresh_from_db()
    assert second.status == "failed" and second.attempts == MAX_ATTEMPTS
    assert "send too fast" in second.last_error and "130101" in second.last_error


def test_sms_gateway_refuses_a_bad_key(configured: pf.PlatformServer, settings: Any,
                                       django_capture_on_commit_callbacks: Any) -> None:
    settings.SOEGOV_SMS_KEY = "not-the-key"
    [notice] = notify(django_capture_on_commit_callbacks, [person(sms=True, mobile="13900001111")])
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == 1
    assert notice.last_error == "短信网关未接收（HTTP 401）：密钥无效"


def test_each_person_gets_only_the_channels_he_chose(configured: pf.PlatformServer,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    both = person(wecom=True, wecom_userid="zhangsan", sms=True, mobile="13900001111")
    inapp_only = UserFactory()
    off = person(wecom=False, wecom_userid="lisi")
    notices = notify(django_capture_on_commit_callbacks, [both, inapp_only, off])
    assert sorted((n.user_id, n.channel) for n in notices) == [(both.pk, "sms"), (both.pk, "wecom")]
    assert all(n.status == NoticeStatus.PENDING or Notice.objects.get(pk=n.pk).status == "sent" for n in notices)
