"""Every page of the demo, crawled as each demo account, reads as Chinese: no pack ids, rule ids, type or fact
codes, login names or digests in what a person sees (the administrators' account pages excepted, where a login
name or a certificate's fingerprint is what the page is about); and no page styles inline (test_csp.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from soegov.accounts.models import User
from tests.web.page_text import INLINE_STYLE, crawl_order, internal_codes, visible_text

pytestmark = pytest.mark.django_db

# (role, path pattern) where a login name or a digest is the subject of the page.
ADMIN_PAGES = re.compile(r"^/(?:accounts/users|accounts/security|identity|audit|hrsync|signatures/$|signatures/\?)")
ADMINS = {"system_admin", "security_admin", "audit_admin"}


def _codes_on_pages(user: Any) -> dict[str, set[str]]:
    client = Client()
    client.force_login(user)
    logins = set(User.objects.values_list("username", flat=True))

    def get(path: str) -> tuple[str | None, str]:
        resp = client.get(path)
        if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
            return None, str(resp.status_code)
        return resp.content.decode(), ""

    found: dict[str, set[str]] = {}
    pages = 0
    for path, html in crawl_order(get, "/"):
        pages += 1
        # The same crawl checks that no page styles inline, which the Content-Security-Policy would refuse.
        if INLINE_STYLE.search(html):
            found.setdefault("style=", set()).add(path)
        if user.role in ADMINS and ADMIN_PAGES.search(path):
            continue
        text = visible_text(html)
        codes = internal_codes(text) + [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]+", text) if w in logins]
        for code in codes:
            found.setdefault(code, set()).add(path)
    assert pages > 3, f"{user.username}: only {pages} pages reached"
    return found


def test_internal_code_pattern_catches_what_it_must_and_spares_chinese_text() -> None:
    for code in ["yining-2024", "xundian-2020", "y12-6", "x5-3", "art-12-6", "asset_transfer", "within_annual_plan",
                 "968887da9ccdbd358e08", "575dff34d712201a4d36a7ea6d187cac934a1178215fbd74569fa1f0b867e6b3"]:
        assert internal_codes(f"见 {code}。") == [code], code
    for text in ["第13条第18项", "伊市政办规〔2024〕3号", "2026-12-06 17:35", "91650000MA7XXXXX1A", "金额 4,000,000 元",
                 "SM2", "PDF", "202612061735"]:
        assert internal_codes(text) == [], text
    assert visible_text('<p>甲<script>var a_b = 1</script><span title="yining-2024">乙</span></p>') == "甲 乙"


def test_no_page_of_the_demo_shows_an_internal_code(demo: list[tuple[str, str, str]]) -> None:
    accounts = demo
    problems = {}
    for username, _role, _scope in accounts:
        found = _codes_on_pages(User.objects.get(username=username))
        if found:
            problems[username] = {code: sorted(paths)[:3] for code, paths in found.items()}
    assert problems == {}
