"""End to end in Debian's headless chromium: log in, open the matter advisor, classify a 4,000,000 yuan transfer."""

from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.policy import classify
from soegov.policy.catalogue import AUTHORITIES
from tests.factories import PASSWORD, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_classify_an_asset_transfer(browser: Any, live_server, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes are still sync.

    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["yining-2024"]), ownership="sole",
                          name="伊宁市城市建设投资集团有限公司")
    user = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e, username="filer")
    expected = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                         "type": "asset_transfer", "amount": "4000000", "attributes": {}}, policy="yining-2024")
    approval = next(o for o in expected["obligations"] if o["authority"] == "city_government")

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("navigation").get_by_role("link", name="事项顾问", exact=True).click()
    page.select_option("#id_enterprise", str(e.pk))
    page.select_option("#id_type", "asset_transfer")
    page.fill("#id_amount", "4000000")
    page.fill("#id_date", "2026-03-01")
    page.get_by_role("button", name="查询义务").click()
    result = page.locator("#result")
    result.wait_for()
    text = result.inner_text()
    page.screenshot(path=str(tmp_path / "advisor.png"), full_page=True)
    assert AUTHORITIES["city_government"].label in text
    assert approval["citation"]["text"][:20] in text
