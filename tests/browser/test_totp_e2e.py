"""End to end in headless chromium: a supervisor enrols TOTP, logs out, and logs in with password and code."""

import base64
from typing import Any

import pytest
from django_otp.oath import totp

from soegov.accounts.roles import Role
from tests.factories import PASSWORD, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_enrols_and_uses_totp(browser: Any, live_server, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]

    settings.SOEGOV_TOTP_REQUIRED = True
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory(), username="reviewer")

    page = browser.new_page(viewport={"width": 1366, "height": 768})

    def log_in() -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()

    log_in()
    page.wait_for_url("**/accounts/otp/setup/")
    key = base64.b32decode(page.locator("main code").first.inner_text())
    page.fill("#id_token", f"{totp(key):06d}")
    page.get_by_role("button", name="确认启用").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "我的待办" in page.locator("h1").inner_text()  # the landing page after login is the inbox
    page.get_by_role("button", name="退出").click()
    log_in()
    page.wait_for_url("**/accounts/otp/verify/")
    # The enrolment code may not be replayed; the next time step's code is within the allowed drift.
    page.fill("#id_token", f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "我的待办" in page.locator("h1").inner_text()  # the landing page after login is the inbox
