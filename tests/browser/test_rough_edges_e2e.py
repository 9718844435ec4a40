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
