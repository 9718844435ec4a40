"""End to end in Debian's headless chromium: the enterprise downloads a meeting's 0006 package, the supervisor
imports it and drills down to the per-person results; the secretary assigns an action on the passed topic."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.exchange.models import ReceivedMeeting
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.followup.factories import decided_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_export_import_and_follow_up(browser: Any, live_server: Any, monkeypatch: Any, tmp_path: Path) -> None:

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    item = decided_item()
    ent = item.meeting.enterprise
    UserFactory(role=Role.SECRETARY, enterprise=ent, username="secretary")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction, username="reviewer")

    page = login(browser, live_server.url, "secretary")
    page.get_by_role("navigation").get_by_role("link", name="数据报送").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载事项清单数据包（0004）").click()
    items = tmp_path / info.value.suggested_filename
    info.value.save_as(str(items))
    page.get_by_role("link", name="会议决策数据包（0006）").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 0006 数据包").click()
    download = info.value
    package = tmp_path / download.suggested_filename
    download.save_as(str(package))
    assert package.name.startswith(f"{ent.uscc}_0006_1000_")
    # The secretary assigns an action on the passed topic.
    page.get_by_role("navigation").get_by_role("link", name="决策督办").click()
    page.get_by_role("link", name="布置督办事项").first.click()
    page.select_option("#id_item", str(item.pk))
    page.fill("#id_title", "签订采购合同")
    page.fill("#id_owner", "王经理")
    page.fill("#id_due", "2099-12-31")
    page.get_by_role("button", name="布置").click()
    assert "完成时限 2099-12-31" in page.content()
    page.screenshot(path=str(shots / "exchange-1-action.png"), full_page=True)
    page.close()

    page = login(browser, live_server.url, "reviewer")
    page.get_by_role("navigation").get_by_role("link", name="三重一大数据").click()
    page.get_by_role("link", name="导入数据包").first.click()
    page.set_input_files("#id_files", [str(package), str(items)])
    page.get_by_role("button", name="导入并校验").click()
    results = page.locator("table").inner_text()
    assert "已退回" not in results and "已接收" in results
    page.screenshot(path=str(shots / "exchange-2-imported.png"), full_page=True)
    page.get_by_role("link", name="查看接收的会议决策").click()
    page.get_by_role("link", name=ReceivedMeeting.objects.get().name).click()
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "审议结果" in body and "同意" in body
    page.screenshot(path=str(shots / "exchange-3-meeting.png"), full_page=True)
