"""End to end in headless chromium: the login page's SSO button, the provider's own login page (a real
django-oauth-toolkit provider in its own process), back to the page asked for; an unknown person's page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.identity import services
from tests.factories import EnterpriseFactory, UserFactory
from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, PASSWORDS, oidc_provider, sso_providers  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oidc_login_from_the_login_page(browser: Any, live_server, settings, oidc_provider, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from soegov.identity.env import sso_settings

    env = {"SOEGOV_OIDC_ISSUER": f"{oidc_provider.url}/o", "SOEGOV_OIDC_CLIENT_ID": CLIENT_ID,
           "SOEGOV_OIDC_CLIENT_SECRET": CLIENT_SECRET, "SOEGOV_OIDC_LABEL": "集团统一身份认证登录"}
    for key, value in sso_settings(env).items():
        if key.startswith(("SOEGOV_OIDC", "OIDC_")):
            setattr(settings, key, value)
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    user = UserFactory(enterprise=EnterpriseFactory(), username="zw", full_name="张伟")
    services.link_create(actor=UserFactory(role=Role.SYSTEM_ADMIN), provider="oidc", issuer=f"{oidc_provider.url}/o",
                         claim="sub", value="1", username=user.username)

    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/matters/")
    page.wait_for_url("**/accounts/login/?next=/matters/")
    page.screenshot(path=str(shots / "sso-1-login.png"), full_page=True)
    page.get_by_role("link", name="集团统一身份认证登录").click()
    page.wait_for_url(f"{oidc_provider.url}/login/**")
    page.fill("#id_username", "zhangwei")
    page.fill("#id_password", PASSWORDS["zhangwei"])
    page.screenshot(path=str(shots / "sso-2-provider.png"), full_page=True)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/matters/")
    assert "张伟" in page.locator("header .who").inner_text()
    page.screenshot(path=str(shots / "sso-3-landed.png"), full_page=True)

    # Someone the administrator has not linked: nothing is created, the page says what happens next.
    page.get_by_role("button", name="退出").click()
    # A browser of its own: this one is still logged in at the provider, which is the point of single sign-on.
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="集团统一身份认证登录").click()
    page.wait_for_url(f"{oidc_provider.url}/login/**")
    page.fill("#id_username", "stranger")
    page.fill("#id_password", PASSWORDS["stranger"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/sso/oidc/callback/**")
    assert "已通知系统管理员" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "sso-4-unknown.png"), full_page=True)
