"""The interface language: zh-Hans by default whatever the browser asks; English once the user picks it in the
header, for the menu and the inbox; back to Chinese the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.error_codes import CoreError
from soegov.core.forms import page_message
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


def test_the_choice_is_kept_on_the_account_and_followed_on_another_device() -> None:
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory())
    phone = Client()
    phone.force_login(filer)
    phone.post(reverse("set_language"), {"language": "en", "next": "/"})
    filer.refresh_from_db()
    assert filer.language == "en"
    entry = AuditEntry.objects.filter(action="user.language").latest("seq")
    assert entry.actor_id == filer.pk and entry.before == {"language": ""} and entry.after == {"language": "en"}

    # A second device with no cookie: English after login, and the cookie follows so the login page after
    # logging out stays English on this device too.
    desk = Client()
    desk.force_login(filer)
    response = desk.get(reverse("home"))
    assert '<html lang="en">' in response.content.decode()
    assert response.cookies["django_language"].value == "en"
    desk.post(reverse("accounts:logout"))
    assert '<html lang="en">' in desk.get(reverse("accounts:login")).content.decode()

    # The account's choice wins over an older cookie of the device.
    desk.cookies["django_language"] = "zh-hans"
    desk.force_login(filer)
    assert '<html lang="en">' in desk.get(reverse("home")).content.decode()


def test_anonymous_pages_follow_the_cookie() -> None:
    c = Client()
    assert '<html lang="zh-Hans">' in c.get(reverse("accounts:login")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in c.get(reverse("accounts:login")).content.decode()


def test_the_language_page_saves_the_choice_and_names_a_bad_one_in_the_page_language() -> None:
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory())
    c = Client()
    c.force_login(filer)
    page = c.get(reverse("accounts:language")).content.decode()
    assert "界面语言" in page and 'value="zh-hans" checked' in page
    saved = c.post(reverse("accounts:language"), {"language": "en"}, follow=True).content.decode()
    assert '<html lang="en">' in saved and "Language saved." in saved and 'value="en" checked' in saved
    filer.refresh_from_db()
    assert filer.language == "en"

    refused = c.post(reverse("accounts:language"), {"language": "fr"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "the interface language must be one of: en, zh-hans" in text and "界面语言只能是" not in text
    filer.refresh_from_db()
    assert filer.language == "en"
    assert AuditEntry.objects.filter(action="user.language").count() == 1


def test_a_refusal_is_shown_in_the_language_of_the_page() -> None:
    error = CoreError.INVALID_VERSION.error(path="version", seen="x")
    with translation.override("en"):
        assert page_message(error) == error.message_en
    with translation.override("zh-hans"):
        assert page_message(error) == error.message
