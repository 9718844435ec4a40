"""At 360 px (the narrowest phones in use) every main page of the demo fits the screen: the header wraps without
overlapping, the menu folds behind 菜单, wide tables scroll inside themselves, nothing makes the page wider
than the phone. Screenshots go to $SOEGOV_SCREENSHOT_DIR."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360
# (account, pages) in the order the README workflows use them; {matter}, {meeting} are filled from the demo.
TOURS = {
    "yn_filer": ["/", "/matters/", "/matters/{matter}/", "/matters/new/", "/advisor/", "/oversight/inspections/",
                 "/followup/", "/enterprises/"],
    "yn_reviewer": ["/", "/matters/review/", "/matters/{matter}/", "/oversight/", "/meetings/decisions/",
                    "/search/?q=伊宁市 公司", "/search/?q=公司&kind=enterprises"],
    "xd_member": ["/", "/meetings/", "/meetings/{meeting}/", "/meetings/my-votes/", "/meetings/sign/", "/signatures/mine",
                  "/search/?q=党委会"],
    "xd_secretary": ["/", "/meetings/", "/meetings/{meeting}/", "/meetings/topics/", "/meetings/lists/"],
    "xd_reviewer": ["/exchange/"],
}
# Pages whose lists read as cards on a phone (like 审核队列): no column is cut, a file name keeps a line's width.
CARDS = {"/exchange/": ["#received-meetings", "#received-packages"]}


def _reads_as_cards(page: Any, table: str) -> None:
    """The table's header is hidden and each row is a card as wide as the screen's content."""
    assert page.locator(f"{table} thead").is_hidden(), table
    rows = page.locator(f"{table} tbody tr")
    assert rows.count() > 0, table
    for i in range(min(rows.count(), 3)):
        box = rows.nth(i).bounding_box()
        assert box and box["width"] >= WIDTH - 40, (table, box)
        first = rows.nth(i).locator("td").first.bounding_box()
        assert first and first["width"] >= WIDTH - 60, (table, first)


def _phone(browser: Any, url: str, username: str) -> Any:
    from soegov.demo.accounts import DEMO_PASSWORD

    page = browser.new_page(viewport={"width": WIDTH, "height": 780}, is_mobile=True, has_touch=True)
    page.goto(f"{url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_every_demo_page_fits_a_360_px_phone(browser: Any, live_server: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from soegov.demo.load import load_demo
    from soegov.matters.models import Matter
    from soegov.meetings.models import Meeting

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    load_demo()
    ids = {"matter": Matter.objects.filter(enterprise__jurisdiction__code="yining").order_by("pk").first().pk,
           "meeting": Meeting.objects.get(title="2026年第10次党委会").pk}
    wide = []
    for username, paths in TOURS.items():
        page = _phone(browser, live_server.url, username)
        # The menu is folded: its links are hidden until 菜单 is pressed, and the button is below the header.
        menu = page.get_by_role("navigation", name="主菜单")
        expect(menu).to_be_hidden()
        header, button = page.locator("header.top").bounding_box(), page.locator(".nav-button").bounding_box()
        assert header and button and header["y"] + header["height"] <= button["y"] + 1
        page.locator(".nav-button").click()
        expect(menu).to_be_visible()
        expect(menu.get_by_role("link").first).to_be_visible()
        for n, path in enumerate(paths):
            page.goto(live_server.url + path.format(**ids))
            assert page.locator("h1").first.is_visible(), path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide.append((username, path, width))
            for table in CARDS.get(path, []):
                _reads_as_cards(page, table)
            page.screenshot(path=str(shots / f"phone-{username}-{n}.png"), full_page=True)
        page.close()
    assert wide == []
