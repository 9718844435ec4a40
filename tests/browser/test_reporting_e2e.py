"""End to end in Debian's headless chromium: an enterprise files a post filing, the supervisor accepts it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.matters.models import Matter
from tests.browser.conftest import login
from tests.factories import PDF, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_post_filing_filed_and_accepted(browser: Any, live_server: Any, monkeypatch: Any, tmp_path: Path) -> None:

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["yining-2024"]), ownership="sole",
                          name="伊宁市城市建设投资集团有限公司")
    UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e, username="filer")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction, username="reviewer")
    resolution = tmp_path / "党委会决议.pdf"
    resolution.write_bytes(PDF)

    page = login(browser, live_server.url, "filer")
    page.get_by_role("navigation").get_by_role("link", name="重大事项", exact=True).click()
    page.get_by_role("link", name="新建事项").click()
    page.select_option("#id_type", "mid_level_appointment")
    page.fill("#id_title", "任命工程管理部副经理")
    page.fill("#id_description", "经考察，拟任命张志强为工程管理部副经理。")
    page.locator("#result").filter(has_text="事后备案").wait_for()
    page.screenshot(path=str(shots / "1-new-matter.png"), full_page=True)
    page.get_by_role("button", name="保存为草稿").click()
    page.get_by_role("button", name="记录决策").click()
    assert "请填写决议内容" in page.locator(".messages").inner_text()  # a decision without its content is refused
    page.fill("#id_summary", "同意任命张志强为工程管理部副经理")
    page.get_by_role("button", name="记录决策").click()
    page.get_by_role("button", name="由系统生成报告并附上").click()
    page.select_option("#id_kind", "internal_resolution")
    page.set_input_files("#id_file", str(resolution))
    page.get_by_role("button", name="上传", exact=True).click()
    page.screenshot(path=str(shots / "2-ready.png"), full_page=True)
    page.get_by_role("button", name="报送国资监管机构").click()
    assert page.locator("#status").inner_text() == "已报送"
    page.close()

    page = login(browser, live_server.url, "reviewer")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="审核队列", exact=True).click()
    page.screenshot(path=str(shots / "3-queue.png"))
    page.get_by_role("link", name="任命工程管理部副经理").click()
    page.get_by_role("button", name="开始审核").click()
    page.select_option("#id_outcome", "file")
    page.fill("#id_comment", "材料齐备，予以备案")
    page.get_by_role("button", name="提交答复").click()
    assert page.locator("#status").inner_text() == "已备案"
    assert "备案回执" in page.locator("#documents").inner_text()
    page.screenshot(path=str(shots / "4-filed.png"), full_page=True)
    # No flag unless the path plants one: filed on time, nothing implemented early, the dashboard all zero.
    assert "逾期" not in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/oversight/")
    expect(page.locator("#totals .card")).not_to_have_count(0)
    expect(page.locator("#totals .stat.bad")).to_have_count(0)
    m = Matter.objects.get()
    assert m.status == "filed" and m.route == "post_filing" and m.citation["article"] == 15
    assert [a.kind for a in m.attachments.order_by("kind")] == ["internal_resolution", "request_letter"]
