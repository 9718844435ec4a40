"""The secretary reports on 数据报送 in Debian's headless chromium, to a collector served on 127.0.0.1 (this
soegov's own endpoint): a regulation, the decision list and a meeting are received (the meeting with the
anomalies the supervisor's checks found), a package sent while the collector is down waits with its next try,
and one signed with a revoked key is refused with the reason."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.collector.credentials import key_revoke
from soegov.collector.models import OutboxPackage
from soegov.exchange.exports import regulation_create
from tests.browser.conftest import login
from tests.collector.reporting import report_to
from tests.factories import PDF, UserFactory
from tests.followup.factories import decided_item
from tests.jobs.stack import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PATH = "/api/v1/exchange/collector/packages"


def test_reporting_states_on_the_page(browser: Any, live_server: Any, settings: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    item = decided_item()
    ent = item.meeting.enterprise
    UserFactory(role=Role.SECRETARY, enterprise=ent, username="secretary")
    regulation_create(actor=None, enterprise=ent, name="党委会议事规则", approval_date="2026-01-05",
                      effective_date="2026-01-10", audit_flag=True, rate="1/2", vote_mode="赞成票超过应到会成员人数的1/2",
                      formal_name="规则.pdf", formal_data=PDF)
    key = report_to(settings, tmp_path, ent, live_server.url + PATH)

    page = login(browser, live_server.url, "secretary")
    page.get_by_role("navigation").get_by_role("link", name="数据报送").click()
    page.get_by_role("button", name="报送事项清单（0004）").click()
    assert "已加入报送队列：事项清单" in page.content()
    page.get_by_role("button", name="报送", exact=True).click()
    page.get_by_role("link", name="会议决策数据包（0006）").click()
    page.get_by_role("button", name="报送国资委").click()
    page.get_by_role("navigation").get_by_role("link", name="数据报送").click()
    rows = page.locator("#listing tbody tr")
    # The count waits for the page the link opens (under load the locator was read on the page before).
    expect(rows).to_have_count(3)
    assert page.locator("#listing .badge", has_text="已接收").count() == 3
    assert "处异常" in rows.nth(0).inner_text()  # the meeting: the supervisor's checks found anomalies

    # The collector is down: the package waits and says when it is tried next.
    settings.SOEGOV_COLLECTOR_URL = f"http://127.0.0.1:{free_port()}{PATH}"
    page.get_by_role("button", name="报送", exact=True).click()
    waiting = page.locator("#listing tbody tr").nth(0).inner_text()
    assert "重试中" in waiting and "无法连接国资委采集端" in waiting and "下次尝试" in waiting

    # Once more while it waits: not queued twice (the two could arrive out of order).
    page.get_by_role("button", name="报送", exact=True).click()
    assert "已在报送队列中（重试中）" in page.content()

    # A revoked key: refused with the collector's reason, not retried.
    settings.SOEGOV_COLLECTOR_URL = live_server.url + PATH
    key_revoke(actor=None, key_id=key.key_id)
    page.get_by_role("link", name="会议决策数据包（0006）").click()
    page.get_by_role("button", name="报送国资委").click()
    page.get_by_role("navigation").get_by_role("link", name="数据报送").click()
    refused = page.locator("#listing tbody tr").nth(0).inner_text()
    assert "已退回" in refused and "吊销" in refused
    assert sorted(OutboxPackage.objects.values_list("state", flat=True)) == [
        "accepted", "accepted", "accepted", "rejected", "retrying"]
    page.screenshot(path=str(shots / "collector-outbox.png"), full_page=True)
    (shots / "collector-outbox.txt").write_text(page.locator("#listing").inner_text(), encoding="utf-8")
    page.close()
