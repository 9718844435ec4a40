"""Issue 14.8: every response carries a Content-Security-Policy that forbids inline script and eval."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from tests.factories import UserFactory

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
    assert not any("unsafe-eval" in v or "*" in v or "http" in " ".join(v) for v in d.values())


def test_pages_have_no_inline_script(client: Any) -> None:
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER))
    html = client.get(reverse("matters:new")).content.decode()
    assert '"allowEval":false' in html and '"includeIndicatorStyles":false' in html
    scripts = html.count("<script")
    assert scripts == html.count("<script src=")
    assert " onclick=" not in html and "javascript:" not in html
