"""The interface language: zh-Hans by default whatever the browser asks; English once the user picks it in the
header, for the menu and the inbox; back to Chinese the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.matters.models import Matter
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_chinese_by_default_english_when_chosen_and_back() -> None:
    e = EnterpriseFactory()
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    Matter.objects.create(enterprise=e, policy="yining-2024", matter_type="donation", title="对外捐赠",
                          occurred_on=dt.date(2026, 3, 2), status="draft", route="approval",
                          due_at=dt.datetime(2026, 12, 31, 9, 0, tzinfo=dt.UTC))
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    c.force_login(filer)
    page = c.get(reverse("home")).content.decode()
    assert '<html lang="zh-Hans">' in page and "我的待办" in page and "重大事项" in page and "集体决策后报送" in page
    assert "2026年12月31日 17:00" in page

    switched = c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    page = c.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "2026-12-31 17:00" in page and "2026年12月31日" not in page
    for words in ["My to-do list", "To do (1)", "Major matters", "Submit after the collective decision", "Due",
                  "Log out", ">中文<"]:
        assert words in page, words
    assert "我的待办" not in page and "集体决策后报送" not in page
    # What was recorded stays as recorded: the matter's own title is not translated.
    assert "对外捐赠" in page

    c.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "我的待办" in c.get(reverse("home")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese() -> None:
    c = Client()
    c.cookies["django_language"] = "fr"
    c.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()))
    assert "我的待办" in c.get(reverse("home")).content.decode()
