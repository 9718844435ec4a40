"""Logging in to a running `soegov serve` over HTTP, as a browser does (CSRF cookie and token)."""

from __future__ import annotations

import re
from typing import Any


def login(base: str, username: str, password: str) -> Any:
    """A requests session logged in as username on the server at base."""
    import requests

    s = requests.Session()
    page = s.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    r = s.post(f"{base}/accounts/login/", data={"username": username, "password": password,
                                               "csrfmiddlewaretoken": token.group(1)},
               headers={"Referer": f"{base}/accounts/login/"}, timeout=30, allow_redirects=False)
    assert r.status_code == 302, r.text[:800]
    return s
