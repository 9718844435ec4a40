"""The browser tests' chromium: Debian's package, never a browser downloaded by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser(live_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """A headless chromium for one test; CI fails without it, elsewhere the test is skipped."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (scripts/test installs it)")
        pytest.skip("Debian chromium not installed")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in another.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))
    from playwright.sync_api import expect, sync_playwright

    # CI runs two test workers, their live servers and chromium on two cores: a page that answers in 100 ms when
    # quiet can take several seconds there, longer than Playwright's 5 s default for an assertion to come true.
    expect.set_options(timeout=20_000)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def login(browser: Any, url: str, username: str) -> Any:
    """A new page logged in as the user (the test factories' password)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(f"{url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page
