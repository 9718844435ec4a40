"""Notices as people use them, in a real browser: a reviewer chooses 企业微信 (a mistake first), a matter
reaches him while 企业微信 is down, the failure and its reason show on his page and on the administrator's
消息发送 page, and a resend after the platform is back delivers it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.notices.models import Notice
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import submitted
from tests.notices import platforms as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platforms(settings: Any) -> Iterator[pf.PlatformServer]:
    srv = pf.PlatformServer()
    pf.configure(settings, srv)
    try:
        yield srv
    finally:
        srv.stop()


def test_reviewer_gets_the_matter_on_wecom_after_an_outage(browser: Any, live_server: Any, tmp_path: Path,
                                                           platforms: pf.PlatformServer) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]),
                            name="伊宁市城市建设投资集团有限公司", ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction, username="yn_reviewer")
    admin = UserFactory(role=Role.SYSTEM_ADMIN, username="sysadmin")

    page = login(browser, live_server.url, reviewer.username)
    page.click("text=通知设置")
    page.check("input[name=wecom]")
    page.fill("#id_wecom_userid", "zhangsan")
    page.check("input[name=sms]")
    page.fill("#id_mobile", "1390000111")
    page.click("button:has-text('保存')")
    assert "手机号码应为 11 位数字，以 1 开头" in page.inner_text("main")
    assert page.input_value("#id_wecom_userid") == "zhangsan"  # what he typed is still there
    page.screenshot(path=str(shots / "notices-settings-error.png"), full_page=True)
    page.uncheck("input[name=sms]")
    page.fill("#id_mobile", "")
    page.click("button:has-text('保存')")
    assert "通知设置已保存" in page.inner_text("main")

    platforms.platforms.down = True
    submitted(filer, ent)  # commits: the notice is made and the queue (eager here) tries 6 times
    notice = Notice.objects.get(user=reviewer)
    assert notice.status == "failed"
    page.reload()
    row = page.inner_text("#listing")
    assert "发送失败" in row and "多次重试仍未发出：企业微信暂时不可用（HTTP 502）" in row and "6 次" in row
    page.screenshot(path=str(shots / "notices-mine-failed.png"), full_page=True)

    platforms.platforms.down = False
    adm = login(browser, live_server.url, admin.username)
    adm.click("text=消息发送")
    assert "发送失败 1 条" in adm.inner_text("main") and "测试事项" not in adm.inner_text("main")
    adm.screenshot(path=str(shots / "notices-delivery-failed.png"), full_page=True)
    adm.check(f"input[name=notice][value='{notice.pk}']")
    adm.click("button:has-text('重新发送所选')")
    assert "已重新排队发送 1 条消息" in adm.inner_text("main")
    assert "已发送 1 条" in adm.inner_text("main")
    adm.screenshot(path=str(shots / "notices-delivery-resent.png"), full_page=True)
    [msg] = platforms.platforms.sent("wecom")
    assert msg["body"]["touser"] == "zhangsan" and msg["body"]["textcard"]["title"] == "待审核：测试事项"
