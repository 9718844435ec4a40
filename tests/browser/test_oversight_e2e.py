"""End to end in Debian's headless chromium: the inspector finds the planted split payment from the
dashboard, opens a case, records the responsible person and the sanction, and closes the case."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.oversight import services
from soegov.oversight.demo import SPLIT_PAYEE, demo_ledger
from soegov.oversight.models import Case
from tests.factories import PASSWORD, EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.oversight.conftest import pay_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_split_payment_found_case_opened_sanctioned_closed(browser: Any, live_server: Any, monkeypatch: Any, tmp_path: Path) -> None:

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    xd = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xundian", name="寻甸县", supervisor="寻甸县财政局(国资委)",
                                                            policy_packs=["xundian-2020"]),
                           ownership="sole", name="寻甸县城乡建设投资开发有限公司")
    UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=xd.jurisdiction, username="xd_inspector")
    services.ledger_upload(actor=None, enterprise=xd, name="2026年支付台账.csv", data=demo_ledger(timezone.localdate()))
    # The general manager's pay record of this year: the case reads the deduction's base from it (issue 13.4).
    pay_record(xd, "赵建明", timezone.localdate().year, "180000")

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "xd_inspector")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("navigation").get_by_role("link", name="监督看板").click()
    assert page.locator("#total-findings").inner_text() == "1"
    page.screenshot(path=str(shots / "o1-dashboard.png"), full_page=True)
    page.click(f"#cell-findings-{xd.pk}")
    page.get_by_role("link", name="疑似化整为零").click()
    assert SPLIT_PAYEE in page.locator("#message").inner_text()
    page.screenshot(path=str(shots / "o2-finding.png"), full_page=True)
    page.click("#open-case")
    page.select_option("#id_violation", "xd31_2")
    page.get_by_role("button", name="立案").click()
    assert page.locator("#status").inner_text() == "已立案"
    page.fill("#id_name", "赵建明")
    page.fill("#id_position", "总经理")
    page.select_option("#id_responsibility", "direct")
    page.get_by_role("button", name="登记", exact=True).click()
    page.select_option("#id_tier", "accountability")
    expect(page.locator("#id_pay")).to_have_count(0)  # no pay typed into a case
    page.get_by_role("button", name="登记并计算").click()
    assert page.locator(".deduction").inner_text() == "18000.00"
    page.fill("#id_decision", "给予赵建明问责处理，扣减当年绩效年薪 10%。")
    page.get_by_role("button", name="作出处理决定").click()
    page.click("#close-case")
    assert page.locator("#status").inner_text() == "已结案"
    page.screenshot(path=str(shots / "o3-closed.png"), full_page=True)
    case = Case.objects.get()
    assert case.status == "closed" and case.finding is not None and case.finding.status == "case"
    s = case.parties.get().sanctions.get()
    assert (str(s.rate), str(s.performance_pay_deduction)) == ("0.1000", "18000.00")
    assert s.pay_record is not None and s.pay_record.performance_pay * s.rate == s.performance_pay_deduction
