"""The system administrator's account list pages, searches, and runs as many queries at ten times the accounts."""

from __future__ import annotations

import pytest
from django.test import Client

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from tests.factories import EnterpriseFactory, UserFactory
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db

URLS = ["/accounts/users/", "/accounts/users/?q=填报员", "/accounts/users/?page=2"]


def _grow(n: int, start: int) -> None:
    """n enterprise filers of one enterprise (no password: the list does not read it)."""
    e = EnterpriseFactory()
    User.objects.bulk_create(User(username=f"filer{i:03}", full_name=f"填报员{i}", role=Role.ENTERPRISE_FILER,
                                  enterprise=e) for i in range(start, start + n))


def test_the_users_list_runs_the_same_queries_at_ten_times_the_accounts() -> None:
    c = Client()
    c.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    _grow(6, 0)
    small = {u: queries(c, u) for u in URLS}
    _grow(60, 6)
    large = {u: queries(c, u) for u in URLS}
    assert large == small, {u: query_texts(c, u) for u in URLS if large[u] != small[u]}


def test_the_users_list_pages_and_searches() -> None:
    c = Client()
    c.force_login(UserFactory(role=Role.SYSTEM_ADMIN, username="sysadmin"))
    _grow(59, 0)  # 60 accounts with the administrator
    r = c.get("/accounts/users/")
    html = r.content.decode()
    assert len(r.context["listing"].page) == 50 and "共 60 条，第 1 / 2 页" in html and 'rel="next"' in html
    assert len(c.get("/accounts/users/?page=2").context["listing"].page) == 10
    r = c.get("/accounts/users/", {"q": "填报员12"})
    assert [u.username for u in r.context["listing"].page] == ["filer012"]
