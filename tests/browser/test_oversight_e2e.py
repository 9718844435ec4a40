"""End to end in Debian's headless chromium: the inspector finds the planted split payment from the
dashboard, opens a case, records the responsible person and the sanction, and closes the case."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.demo.oversight import SPLIT_PAYEE, demo_ledger
from soegov.oversight import ledgers
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
    ledgers.ledger_upload(actor=None, enterprise=xd, name="2026年支付台账.csv", data=demo_ledger(timezone.localdate()))
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
    # 结案 cannot be undone: the button asks first, and only the question's own button closes the case.
    expect(page.locator("#close-case")).to_be_hidden()
    page.click("#close-case-ask")
    expect(page.locator("#close-case-q")).to_contain_text("确认结案")
    page.screenshot(path=str(shots / "o4-close-confirm.png"), full_page=True)
    page.click("#close-case")
    assert page.locator("#status").inner_text() == "已结案"
    page.screenshot(path=str(shots / "o3-closed.png"), full_page=True)
    case = Case.objects.get()
    assert case.status == "closed" and case.finding is not None and case.finding.status == "case"
    s = case.parties.get().sanctions.get()
    assert (str(s.rate), str(s.performance_pay_deduction)) == ("0.1000", "18000.00")
    assert s.pay_record is not None and s.pay_record.performance_pay * s.rate == s.performance_pay_deduction


def test_readme_workflow_4_on_the_demo_case_and_payroll_agree(browser: Any, live_server: Any, tmp_path: Path) -> None:
    """README workflow 4 as written, on the demo data: the planted split payment becomes a closed case against
    the general manager, whose deduction is read from her pay record; the payroll then takes the same figure."""
    from soegov.demo.accounts import DEMO_PASSWORD
    from soegov.demo.load import load_demo
    from soegov.leaders.models import Leader
    from soegov.oversight.models import Finding

    load_demo()
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    finding = Finding.objects.get(code="split_payment")
    gm = Leader.objects.get(enterprise=finding.enterprise, post="general_manager")
    year = timezone.localdate().year
    pay = gm.pay_records.get(year=year).performance_pay

    def login(username: str) -> Any:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        return page

    page = login("xd_inspector")
    page.get_by_role("navigation").get_by_role("link", name="监督看板").click()
    page.click(f"#cell-findings-{finding.enterprise_id}")
    page.get_by_role("link", name="疑似化整为零").click()
    page.click("#open-case")
    page.select_option("#id_violation", "xd31_2")
    page.get_by_role("button", name="立案").click()
    expect(page.locator("#status")).to_have_text("已立案")
    office_seat = page.locator("#id_member option", has_text=gm.name).filter(has_text="总经理").first
    page.select_option("#id_member", office_seat.get_attribute("value"))
    page.get_by_role("button", name="登记", exact=True).click()
    page.select_option("#id_tier", "accountability")
    page.get_by_role("button", name="登记并计算").click()
    expected = f"{(pay * Decimal('0.1')).quantize(Decimal('0.01'))}"
    expect(page.locator("#parties .deduction")).to_have_text(expected)
    expect(page.locator("#parties")).to_contain_text(f"{year}年绩效年薪 {pay} 元（薪酬记录）")
    page.fill("#id_decision", f"给予{gm.name}问责处理，扣减当年绩效年薪 10%。")
    page.get_by_role("button", name="作出处理决定").click()
    page.click("#close-case-ask")
    page.click("#close-case")
    expect(page.locator("#status")).to_have_text("已结案")
    page.screenshot(path=str(shots / "o4-demo-case-closed.png"), full_page=True)
    case = Case.objects.get(finding=finding)
    sanction = case.parties.get().sanctions.get()

    reviewer = login("xd_reviewer")
    reviewer.goto(f"{live_server.url}/leaders/{gm.pk}/")
    reviewer.select_option("#x_s", str(sanction.pk))
    reviewer.select_option("#x_p", label=str(year))
    reviewer.locator("#sanction-form button[type=submit]").click()
    expect(reviewer.locator(".messages")).to_contain_text(f"已扣减绩效年薪 {expected} 元")
    reviewer.screenshot(path=str(shots / "o5-demo-payroll.png"), full_page=True)
