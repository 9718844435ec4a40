"""Issue 14.8: every response carries a Content-Security-Policy that forbids inline script and eval."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from tests.factories import UserFactory
from tests.web.page_text import INLINE_STYLE

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/matters/", "/audit/", "/api/v1/matters", "/healthz",
                                 "/no-such-page/"])
def test_every_response_has_a_strict_policy(client: Any, url: str) -> None:
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER))
    resp = client.get(url)
    d = _directives(resp["Content-Security-Policy"])
    assert d["script-src"] == ["'self'"]
    assert d["style-src"] == ["'self'"]
    assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"] and d["form-action"] == ["'self'"] and d["base-uri"] == ["'self'"]
    assert d["style-src-attr"] == ["'none'"]
    assert not any("unsafe" in " ".join(v) or "*" in v or "http" in " ".join(v) for v in d.values())


def test_pages_have_no_inline_script(client: Any) -> None:
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER))
    html = client.get(reverse("matters:new")).content.decode()
    assert '"allowEval":false' in html and '"includeIndicatorStyles":false' in html
    scripts = html.count("<script")
    assert scripts == html.count("<script src=")
    assert " onclick=" not in html and "javascript:" not in html



def test_no_template_styles_inline() -> None:
    """The policy refuses style="" and <style>: every template lays out with soegov.css classes instead."""
    import soegov

    root = Path(soegov.__file__).parent
    found = [f"{p.relative_to(root)}:{n}" for p in sorted(root.rglob("templates/**/*.html"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if INLINE_STYLE.search(line)]
    assert found == []
    assert INLINE_STYLE.search('<div class="x" style="color:red">') and INLINE_STYLE.search("<style>")
    assert not INLINE_STYLE.search('<link rel="stylesheet" href="/static/soegov/soegov.css">')
