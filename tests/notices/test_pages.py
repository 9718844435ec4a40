"""The 通知设置 page (channels, the person's notices with their errors) and the administrator's delivery page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.notices.models import Notice, NoticeChannels
from tests.factories import UserFactory
from tests.notices import platforms as pf
from tests.querycount import queries

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_person_chooses_channels_and_a_mistake_keeps_what_he_typed(configured: pf.PlatformServer) -> None:
    user = UserFactory()
    c = client_for(user)
    page = c.get("/notices/").content.decode()
    assert "在企业微信中接收" in page and "在钉钉工作通知中接收" in page and "以短信接收" in page
    bad = c.post("/notices/", {"version": "0", "sms": "on", "mobile": "139000011", "wecom_userid": "zhangsan"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "手机号码应为 11 位数字，以 1 开头" in text and 'value="139000011"' in text and 'value="zhangsan"' in text
    assert not NoticeChannels.objects.exists()
    ok = c.post("/notices/", {"version": "0", "sms": "on", "mobile": "13900001111", "wecom": "on",
                              "wecom_userid": "zhangsan"})
    assert ok.status_code == 302
    row = NoticeChannels.objects.get(user=user)
    assert (row.sms, row.mobile, row.wecom, row.wecom_userid) == (True, "13900001111", True, "zhangsan")


def test_unconfigured_channels_are_not_offered(settings: Any) -> None:
    page = client_for(UserFactory()).get("/notices/").content.decode()
    assert "本系统未配置企业微信" in page and "本系统未配置钉钉" in page and "本系统未配置短信网关" in page
    assert 'name="wecom"' not in page


def test_person_sees_a_failed_notice_with_its_reason(configured: pf.PlatformServer) -> None:
    user = UserFactory()
    Notice.objects.create(user=user, channel="sms", event="overdue", address="13900001111", title="已逾期提醒",
                          text="…", status="failed", attempts=6, last_error="多次重试仍未发出：短信网关暂时不可用（HTTP 502）")
    page = client_for(user).get("/notices/").content.decode()
    assert "发送失败" in page and "多次重试仍未发出：短信网关暂时不可用（HTTP 502）" in page and "6 次" in page


def test_delivery_page_is_the_system_administrators_without_content(configured: pf.PlatformServer,
                                                                   django_capture_on_commit_callbacks: Any) -> None:
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    someone = UserFactory(role=Role.ENTERPRISE_FILER)
    failed = Notice.objects.create(user=someone, channel="wecom", event="review", address="zhangsan",
                                   title="待审核：机密事项", text="机密内容", status="failed", attempts=1,
                                   last_error="企业微信发送消息失败：api freq out of limit（错误码 45009）")
    assert client_for(someone).get("/notices/delivery/").status_code == 403
    page = client_for(admin).get("/notices/delivery/?status=failed").content.decode()
    assert "错误码 45009" in page and "机密" not in page and "发送失败 1 条" in page
    assert client_for(admin).get("/notices/delivery/?status=nonsense").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(admin).post("/notices/delivery/resend/", {"notice": [str(failed.pk)]})
    assert r.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent"  # the stand-in knows zhangsan; the eager queue sent it at once
    assert client_for(admin).post("/notices/delivery/resend/", {"notice": ["x" * 20]}).status_code == 302


def test_lists_keep_their_query_count_as_notices_grow(configured: pf.PlatformServer) -> None:
    admin, user = UserFactory(role=Role.SYSTEM_ADMIN), UserFactory()

    def add(n: int) -> None:
        Notice.objects.bulk_create([Notice(user=UserFactory(), channel="sms", event="deadline", address="1",
                                           title="t", text="t") for _ in range(n)])
        Notice.objects.bulk_create([Notice(user=user, channel="sms", event="deadline", address="1", title="t",
                                           text="t") for _ in range(n)])

    add(2)
    small = (queries(client_for(admin), "/notices/delivery/"), queries(client_for(user), "/notices/"))
    add(30)
    assert (queries(client_for(admin), "/notices/delivery/"), queries(client_for(user), "/notices/")) == small
