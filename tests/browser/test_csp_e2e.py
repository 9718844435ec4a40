"""Issue 14.8 in Debian's headless chromium: with the Content-Security-Policy on, pages, htmx and forms work, no
page violates the policy, and a script injected into a page is refused."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.web.page_text import SKIP_PATH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the browser reports, kept on the window (Playwright's init scripts are not subject to CSP).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__csp"))


def test_pages_and_htmx_work_under_the_policy(browser: Any, live_server: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["yining-2024"]), ownership="sole")
    UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e, username="filer")
    UserFactory(role=Role.AUDIT_ADMIN, username="auditor")
    console: list[str] = []

    page = login(browser, live_server.url, "filer")
    page.add_init_script(WATCH)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/matters/new/")
    assert "default-src 'self'" in (page.context.request.get(page.url).headers["content-security-policy"])
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.allowEval") is False
    # htmx at work: the type loads its attribute fields, the form previews its route as the user types.
    page.select_option("#id_type", "mid_level_appointment")
    page.fill("#id_title", "任命工程管理部副经理")
    page.fill("#id_description", "经考察，拟任命张志强为工程管理部副经理。")
    page.locator("#result").filter(has_text="事后备案").wait_for()
    page.screenshot(path=str(shots / "csp-1-new-matter-htmx.png"), full_page=True)
    assert _violations(page) == []

    # A script injected into the page (as an XSS would) is refused by the browser.
    with pytest.raises(Exception, match=r"(?i)content security policy|Refused"):
        page.add_script_tag(content="window.__pwned = true;")
    assert page.evaluate("window.__pwned === undefined")
    assert any("script-src" in v for v in _violations(page))

    page.goto(f"{live_server.url}/signatures/verify")
    page.set_input_files("#id_file", files=[{"name": "a.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="核验").click()
    page.get_by_role("button", name="打印验证单").click()
    assert page.evaluate("window.__printed") == 1
    page.screenshot(path=str(shots / "csp-2-verify-print.png"), full_page=True)
    assert _violations(page) == []

    auditor = login(browser, live_server.url, "auditor")
    auditor.add_init_script(WATCH)
    auditor.goto(f"{live_server.url}/audit/")
    auditor.get_by_role("button", name="校验审计链").click()
    auditor.get_by_text("审计链完整").wait_for()
    auditor.screenshot(path=str(shots / "csp-3-audit-verify.png"), full_page=True)
    assert _violations(auditor) == []
    auditor.goto(f"{live_server.url}/api/docs")
    auditor.locator(".swagger-ui .info").wait_for()
    auditor.screenshot(path=str(shots / "csp-4-api-docs.png"))
    assert _violations(auditor) == []
    assert console == [] or all("__pwned" in c or "inline script" in c for c in console)


# The demo accounts whose menus reach the main pages of every workflow (README, "Try it").
LINKS = "els => els.map(e => e.getAttribute('href'))"
MAIN_ACCOUNTS = ["yn_filer", "yn_reviewer", "xd_secretary", "xd_inspector", "xd_reviewer", "auditadmin"]


def test_main_pages_of_the_demo_violate_no_policy(browser: Any, live_server: Any) -> None:
    """Each account's menu pages and the first record of each list, as a user opens them: nothing refused."""
    from soegov.demo.accounts import DEMO_PASSWORD
    from soegov.demo.load import load_demo

    load_demo()
    seen: dict[str, list[str]] = {}
    visited = 0
    for username in MAIN_ACCOUNTS:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.add_init_script(WATCH)
        page.goto(f"{live_server.url}/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.locator("nav.side").wait_for()
        menu = page.eval_on_selector_all("nav.side a", LINKS)
        for href in [h for h in menu if not SKIP_PATH.search(h)]:
            page.goto(f"{live_server.url}{href}")
            visited += 1
            seen.update({f"{username} {href}: {v}": [] for v in _violations(page)})
            records = [h for h in page.eval_on_selector_all("main table a[href^='/']", LINKS)
                       if not SKIP_PATH.search(h)]
            if records:
                target = records[0]
                page.goto(f"{live_server.url}{target}")
                visited += 1
                seen.update({f"{username} {target}: {v}": [] for v in _violations(page)})
        page.close()
    assert visited > 30
    assert list(seen) == []
