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
from soegov.matters import services
from soegov.matters.models import Matter
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

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
    m = services.matter_record_decision(actor=filer, matter=m, version=m.version, body="董事会",
                                        decided_at=timezone.now() - dt.timedelta(hours=1), summary="同意转让")
    for code in services.missing_attachments(m):
        services.attachment_upload(actor=filer, matter=m, kind=code, name=f"{code}.pdf", data=PDF + code.encode())
    m.refresh_from_db()
    services.matter_submit(actor=filer, matter=m, version=m.version)

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
