"""Rough edges a new user hits, in a real browser: a 600-character title without spaces wraps in the matters
list instead of stretching the page."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.matters.models import Matter
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_600_character_title_wraps_in_the_matters_list(browser: Any, live_server: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    e = EnterpriseFactory()
    title = "关于" + "长" * 596 + "的请示"
    Matter.objects.create(enterprise=e, policy="yining-2024", matter_type="donation", title=title,
                          occurred_on=dt.date(2026, 3, 2), status="draft", route="approval")
    user = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    page = login(browser, live_server.url, user.username)
    for path in ("/matters/", f"/matters/{Matter.objects.get().pk}/", "/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
    page.goto(f"{live_server.url}/matters/")
    assert page.locator("main a", has_text=title[:20]).first.is_visible()
    page.screenshot(path=str(shots / "matters-long-title.png"))


# (account, what to print) — the demo's signed 9th meeting, its enterprise's filed decision list, a closed case.
PRINTED = [("xd_secretary", "meeting"), ("xd_secretary", "decision_list"), ("xd_reviewer", "case")]


def test_minutes_decision_lists_and_case_files_print_on_a4_without_the_menu(
        browser: Any, live_server: Any, tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    from soegov.accounts.validators import DEMO_PASSWORD
    from soegov.demo.load import load_demo
    from soegov.meetings.models import DecisionList, Meeting
    from soegov.oversight.models import Case

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    load_demo()
    meeting = Meeting.objects.get(title="2026年第9次党委会")
    case = Case.objects.filter(status="closed", enterprise__jurisdiction__code="xundian").first()
    assert case is not None
    paths = {"meeting": (f"/meetings/{meeting.pk}/", meeting.title),
             "decision_list": (f"/meetings/lists/{DecisionList.objects.filter(enterprise=meeting.enterprise).first().pk}/",
                               "事项清单"),
             "case": (f"/oversight/cases/{case.pk}/", case.title)}
    for username, what in PRINTED:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        path, heading = paths[what]
        page.goto(f"{live_server.url}{path}")
        page.emulate_media(media="print")
        for chrome in ("header.top", "nav.side", "footer.site"):
            assert not page.locator(chrome).is_visible(), (what, chrome)
        assert page.locator("main h1").first.is_visible()
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (shots / f"print-{what}.pdf").write_bytes(pdf)
        page.screenshot(path=str(shots / f"print-{what}.png"), full_page=True)
        reader = PdfReader(io.BytesIO(pdf))
        for sheet in reader.pages:  # A4: 210 × 297 mm
            assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (595, 842), what
        text = "".join("".join(sheet.extract_text().split()) for sheet in reader.pages)
        assert "".join(heading.split()) in text, what
        for menu in ("主菜单", "退出", "修改密码", "English"):
            assert menu not in text, (what, menu)
        if what == "meeting":  # the on-screen download links and the verify hint are for the screen only
            page.emulate_media(media="screen")
            assert page.locator("#documents").is_visible() and page.locator("#verify-hint").is_visible()
            for on_screen in ("Word(.docx)", "soegovverify", "签名验证中"):
                assert on_screen not in text, on_screen
        page.close()
