"""English as a person uses it (issue 18): the filer switches with the footer's English button on a desktop; on
his phone, with no cookie yet, the pages are English from the login on, because the choice is on his account.
The workflow pages fit 1440 px and a 390 px phone in English too (longer words must not widen the page), and at
1440 px the English header keeps to one line as the Chinese one does.
Screenshots go to $SOEGOV_SCREENSHOT_DIR."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOURS = {
    "yn_filer": ["/", "/matters/", "/matters/{matter}/", "/matters/new/"],
    "xd_secretary": ["/meetings/", "/meetings/{meeting}/"],
}


def _login(browser: Any, url: str, username: str, width: int) -> Any:
    from soegov.demo.accounts import DEMO_PASSWORD

    phone = width < 600
    page = browser.new_page(viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone,
                            has_touch=phone)
    page.goto(f"{url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


# Each header item's height and its middle's distance from the header's middle: a wrapped item is taller, an item
# pushed to a second line sits off the middle.
HEADER_ITEMS = """() => { const top = document.querySelector('header.top').getBoundingClientRect();
  return [...document.querySelectorAll('header.top .brand, header.top a, header.top button, header.top .me')]
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
    .map(r => [Math.round(r.height), Math.round(Math.abs(r.top + r.height / 2 - (top.top + top.height / 2)))]); }"""


def test_english_chosen_on_the_desktop_follows_to_the_phone(browser: Any, live_server: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from soegov.demo.load import load_demo
    from soegov.matters.models import Matter
    from soegov.meetings.models import Meeting

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    load_demo()
    ids = {"matter": Matter.objects.filter(enterprise__jurisdiction__code="yining", status="returned").get().pk,
           "meeting": Meeting.objects.get(title="2026年第10次党委会").pk}
    wide = []
    for username, paths in TOURS.items():
        desk = _login(browser, live_server.url, username, 1440)
        expect(desk.locator("html")).to_have_attribute("lang", "zh-Hans")
        desk.get_by_role("button", name="English").click()
        expect(desk.locator("html")).to_have_attribute("lang", "en")
        expect(desk.get_by_role("navigation", name="Main menu")).to_be_visible()
        phone = _login(browser, live_server.url, username, 390)
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        expect(phone.get_by_text("Menu", exact=False).first).to_be_visible()
        for page, width in ((desk, 1440), (phone, 390)):
            for n, path in enumerate(paths):
                page.goto(live_server.url + path.format(**ids))
                assert page.locator("html").get_attribute("lang") == "en", path
                assert page.locator("h1").first.is_visible(), path
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    wide.append((username, width, path))
                if width == 1440 and any(h > 38 or off > 6 for h, off in page.evaluate(HEADER_ITEMS)):
                    wide.append((username, width, path, "header on two lines"))
                page.screenshot(path=str(shots / f"english-{username}-{width}-{n}.png"), full_page=True)
            page.close()
    assert wide == []
