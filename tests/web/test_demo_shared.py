"""The demo shared by the tests (tests/conftest.py): what one test writes into it, the next does not see; a test that
does not ask for it finds the database empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from soegov.accounts.models import User
from soegov.enterprises import services
from soegov.enterprises.models import Enterprise
from soegov.enterprises.uscc import make_uscc
from soegov.meetings.models import Meeting
from tests.demo_db import DemoDatabase

# What the writing test saw before it wrote, for the test after it (the same process, the same load).
SEEN: dict[str, Any] = {}


def _rows() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_a_test_may_change_the_demo(demo: list[tuple[str, str, str]], demo_db: DemoDatabase) -> None:
    SEEN.update(rows=_rows(), loads=demo_db.loads, accounts=demo)
    # Through a page (audited, as a user would) and straight in the database.
    reviewer = User.objects.get(username="xd_reviewer")
    client = Client()
    client.force_login(reviewer)
    assert client.post("/accounts/language/", {"language": "en"}).status_code in (200, 302)
    Meeting.objects.update(title="改过的会议")
    User.objects.filter(username="yn_filer").update(full_name="改过的名字")
    services.enterprise_create(actor=None, jurisdiction=reviewer.jurisdiction, parent=None, name="测试写入的企业",
                               uscc=make_uscc("91", "530129", "MA000999"), ownership="sole")
    assert _rows() != SEEN["rows"]


def test_the_next_test_sees_the_demo_as_loaded(demo: list[tuple[str, str, str]], demo_db: DemoDatabase) -> None:
    if not SEEN:
        pytest.skip("the writing test ran in another process")
    assert demo_db.loads == SEEN["loads"]  # the same load, not a fresh one
    assert _rows() == SEEN["rows"] and demo == SEEN["accounts"]
    assert Meeting.objects.filter(title="2026年第10次党委会").exists()
    assert User.objects.get(username="yn_filer").full_name == "马晓东"
    assert User.objects.get(username="xd_reviewer").language != "en"
    assert not Enterprise.objects.filter(name="测试写入的企业").exists()


def test_rolling_the_demo_back_leaves_the_database_empty(django_db_setup: None, django_db_blocker: Any,
                                                          tmp_path: Path) -> None:
    with django_db_blocker.unblock():
        empty = _rows()
    state = DemoDatabase(django_db_blocker, tmp_path)
    state.load()
    try:
        with django_db_blocker.unblock():
            assert Enterprise.objects.exists() and Meeting.objects.exists()
    finally:
        state.unload()
    with django_db_blocker.unblock():
        assert _rows() == empty
    assert not state.loaded
