"""An intended 403 is one log line, not a traceback; the favicon is served locally (QA 19)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from soegov.accounts.roles import Role
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_intended_403_is_logged_as_one_line_without_traceback(client: Any, caplog: Any) -> None:
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/matters/calendar/").status_code == 403
    denials = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", None) == 403]
    assert denials, "the denial is still logged"
    assert all(r.exc_info is None for r in denials)
    assert all("Traceback" not in logging.Formatter().format(r) for r in denials)


def test_favicon_is_served_locally(client: Any) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"] == "/static/soegov/favicon.svg"
    path = finders.find("soegov/favicon.svg")
    assert path and Path(path).read_text(encoding="utf-8").startswith("<svg")
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert 'rel="icon"' in client.get("/").content.decode()


def test_sidebar_column_is_painted_the_whole_page_length() -> None:
    # A fixed menu ends at the first screen in full-page captures; the page's own background carries the column.
    path = finders.find("soegov/soegov.css")
    css = Path(str(path)).read_text(encoding="utf-8")
    assert "body:has(nav.side) { background: linear-gradient(to right, #fff 0, #fff 168px" in css
