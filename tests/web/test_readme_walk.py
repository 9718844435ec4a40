"""What the README's walk through the demo showed a new user: pages offer only what works and say what is true."""

from __future__ import annotations

import pytest
from django.test import Client

from soegov.accounts.models import User
from soegov.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_bodies_page_offers_member_import_only_to_those_allowed_to_import(demo: object) -> None:
    # An inspector may read the bodies but not import members: no button leading to a 403.
    inspector = _client("xd_inspector")
    page = inspector.get("/enterprises/bodies/").content.decode()
    assert "/enterprises/import/members/" not in page
    assert inspector.get("/enterprises/import/members/").status_code == 403
    secretary = _client("xd_secretary")
    assert "/enterprises/import/members/" in secretary.get("/enterprises/bodies/").content.decode()
    assert secretary.get("/enterprises/import/members/").status_code == 200


def test_meeting_agenda_does_not_say_there_are_no_topics_when_they_are_on_it(demo: object) -> None:
    ready = Meeting.objects.get(title="2026年第10次党委会")
    assert ready.items.count() == 2
    page = _client("xd_secretary").get(f"/meetings/{ready.pk}/").content.decode()
    assert "已准备的议题均已列入议程，没有其他可列入的议题。" in page
    assert "没有可列入的议题。" not in page


def test_meeting_pages_name_the_xundian_measures_by_their_title(demo: object) -> None:
    title = "《寻甸县县属国有及国有控股企业落实“三重一大”决策制度实施办法(试行)》"
    for username, url in [("xd_secretary", "/meetings/"), ("xd_member", "/meetings/my-votes/"),
                          ("xd_inspector", "/oversight/events/")]:
        page = _client(username).get(url).content.decode()
        assert title in page, (username, url)
        assert "寻甸县国有企业“三重一大”" not in page and "寻甸县县属国有企业“三重一大”" not in page
