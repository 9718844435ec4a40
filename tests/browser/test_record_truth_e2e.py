"""Issue 13, as a user in headless chromium: a year typo is refused with the dates of force (never saved as internal),
a far date is confirmed, and 转报市政府 waits for the recorded committee pass whose date the comment then states."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.core.rendering import stand_in_pdf
from soegov.matters import attachments, editing, lifecycle
from soegov.matters.models import Matter
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_year_typo_and_committee_order(browser: Any, live_server: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["yining-2024"]), ownership="sole",
                          name="伊宁市城市建设投资集团有限公司")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e, username="filer")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction, username="reviewer")

    page = login(browser, live_server.url, "filer")
    page.goto(f"{live_server.url}/matters/new/")
    page.select_option("#id_type", "asset_transfer")
    page.fill("#id_title", "转让闲置厂房")
    page.fill("#id_amount", "5000000")
    page.fill("#id_occurred_on", "2030-01-01")
    page.locator("#result").filter(has_text="请更正决策或发生日期").wait_for()
    page.get_by_role("button", name="保存为草稿").click()
    alert = page.locator("form p.error").inner_text()
    assert "2030-01-01 不在施行期内" in alert and "请更正决策或发生日期" in alert
    page.screenshot(path=str(shots / "13-1-year-typo.png"), full_page=True)
    assert not Matter.objects.exists()

    far = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    page.fill("#id_occurred_on", far)
    page.get_by_role("button", name="保存为草稿").click()
    assert "距今超过一年" in page.locator("form p.error").inner_text()
    page.screenshot(path=str(shots / "13-1-far-date.png"), full_page=True)
    page.check("#id_date_confirmed")
    page.get_by_role("button", name="保存为草稿").click()
    m = Matter.objects.get()
    assert (m.route, m.authority, m.occurred_on.isoformat()) == ("approval", "city_government", far)
    page.close()

    # The enterprise's part is not what is tried here: decided, attached and submitted through the services.
    m = editing.matter_record_decision(actor=filer, matter=m, version=m.version, body="董事会",
                                       decided_at=timezone.now() - dt.timedelta(hours=1), summary="同意转让")
    for code in lifecycle.missing_attachments(m):
        attachments.attachment_upload(actor=filer, matter=m, kind=code, name=f"{code}.pdf", data=stand_in_pdf(code))
    m.refresh_from_db()
    lifecycle.matter_submit(actor=filer, matter=m, version=m.version)

    page = login(browser, live_server.url, "reviewer")
    page.goto(f"{live_server.url}/matters/{m.pk}/")
    page.get_by_role("button", name="开始审核").click()
    assert page.get_by_role("button", name="转报市政府").count() == 0
    assert "党委会研究" not in page.content()
    page.screenshot(path=str(shots / "13-2-before-committee.png"), full_page=True)
    page.fill("#id_passed_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="登记研究通过").click()
    comment = page.locator("#id_fwd_comment").input_value()
    assert comment == f"经国资监管机构党委会议于 {timezone.localdate():%Y-%m-%d} 研究通过，同意报请市政府批准"
    page.screenshot(path=str(shots / "13-2-after-committee.png"), full_page=True)
    page.get_by_role("button", name="转报市政府").click()
    assert page.locator("#status").inner_text() == "已转报市政府"
    m.refresh_from_db()
    assert m.status == "forwarded" and m.committee_passed_at is not None


def test_reimport_and_ledger_accounting(browser: Any, live_server: Any, tmp_path: Path) -> None:
    from soegov.oversight.models import PurposeMapping
    from tests.followup.factories import decided_item

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    item = decided_item()
    ent = item.meeting.enterprise
    UserFactory(role=Role.SECRETARY, enterprise=ent, username="secretary")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction, username="reviewer")
    UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction, username="inspector")

    page = login(browser, live_server.url, "secretary")
    page.get_by_role("navigation").get_by_role("link", name="数据报送").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载事项清单数据包（0004）").click()
    items = tmp_path / info.value.suggested_filename
    info.value.save_as(str(items))
    page.get_by_role("link", name="会议决策数据包（0006）").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 0006 数据包").click()
    meeting = tmp_path / info.value.suggested_filename
    info.value.save_as(str(meeting))
    page.close()

    page = login(browser, live_server.url, "reviewer")
    for attempt in (1, 2):  # the same two files twice: the reproduction
        page.goto(f"{live_server.url}/exchange/import/")
        page.set_input_files("#id_files", [str(meeting), str(items)])
        with page.expect_navigation() as nav:
            page.get_by_role("button", name="导入并校验").click()
        status = nav.value.status if nav.value else None
        outcome = page.locator("#batch-outcome").inner_text()
        if attempt == 1:
            assert outcome.startswith("全部接收")
        else:
            # The 0004 items go again as 修改; the meeting was already received: refused, nothing of it stored twice.
            assert outcome.startswith("部分接收") and "退回 1 个" in outcome
            assert "重复报送按修改处理" in page.locator("table").inner_text()
            page.screenshot(path=str(shots / "13-7-reimport.png"), full_page=True)
    assert status == 207
    page.close()

    ledger = tmp_path / "台账.csv"
    ledger.write_text("日期,收款方,金额,用途,支出类别,合同编号\n2026-03-02,甲装饰公司,28000,办公楼装修,非生产性,\n"
                      "2026-03-09,乙供电局,1x2,其他,非生产性,\n2026-03-10,丙物业公司,500,其他,非生产性,\n", encoding="utf-8")
    page = login(browser, live_server.url, "inspector")
    page.goto(f"{live_server.url}/oversight/ledgers/")
    page.select_option("#id_enterprise", str(ent.pk))
    page.set_input_files("#id_file", str(ledger))
    page.get_by_role("button", name="导入并检查").click()
    assert "共 3 行：已检查 1 行，无法检查 2 行" in page.locator("#accounted").inner_text()
    refused = page.locator("#refused").inner_text()
    assert "第2行" in refused and "办公楼装修" in refused and "第3行" in refused and "1x2" in refused
    page.screenshot(path=str(shots / "13-3-ledger-refused.png"), full_page=True)
    page.locator("#purpose-mapping select").select_option("other")
    # The save is a form post: wait for its page before reloading (a reload during it is refused by chromium).
    with page.expect_navigation():
        page.get_by_role("button", name="保存对应并重新检查").click()
    page.reload()
    assert "共 3 行：已检查 2 行，无法检查 1 行" in page.locator("#accounted").inner_text()
    assert PurposeMapping.objects.get(enterprise=ent).word == "办公楼装修"
    page.screenshot(path=str(shots / "13-3-ledger-mapped.png"), full_page=True)
