"""The leaders index and the enterprise registry page, filter and search at province scale, and run as many
queries at ten times the enterprises (and their leaders) as at a few."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.enterprises.models import Enterprise
from soegov.leaders.models import GroupListing, Leader
from tests.factories import EnterpriseFactory
from tests.leaders.factories import reviewer, tree
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db

URLS = ["/leaders/", "/leaders/?q=子公司", "/leaders/?level=2", "/api/v1/leaders", "/enterprises/",
        "/enterprises/?q=子公司", "/enterprises/?page=2"]


def _grow(parent: Any, n: int, start: int) -> None:
    """n subsidiaries of the parent, each with a serving general manager; every third a listed group."""
    for i in range(start, start + n):
        e = EnterpriseFactory(parent=parent, name=f"伊宁市第{i}子公司")
        Leader.objects.create(enterprise=e, name=f"经理{i}", post="general_manager")
        if i % 3 == 0:
            GroupListing.objects.create(enterprise=e, listed=True)


def test_queries_do_not_grow_with_the_enterprises() -> None:
    t = tree()
    c = Client()
    c.force_login(reviewer(t["j"]))
    _grow(t["l1"], 6, 0)
    small = {u: queries(c, u) for u in URLS}
    _grow(t["l1"], 60, 6)
    large = {u: queries(c, u) for u in URLS}
    assert large == small, {u: query_texts(c, u) for u in URLS if large[u] != small[u]}


def test_the_leaders_index_pages_searches_and_shows_each_route() -> None:
    t = tree()
    c = Client()
    c.force_login(reviewer(t["j"]))
    _grow(t["l1"], 57, 0)  # 60 enterprises in scope with the tree's three
    r = c.get("/leaders/")
    html = r.content.decode()
    assert len(r.context["rows"]) == 50 and "共 60 条，第 1 / 2 页" in html and 'rel="next"' in html
    r = c.get("/leaders/?page=2")
    assert len(r.context["rows"]) == 10
    r = c.get("/leaders/", {"q": "第12子公司"})
    [row] = r.context["rows"]
    assert row["e"].name == "伊宁市第12子公司" and row["listed"] and [x.name for x in row["team"]] == ["经理12"]
    # The route read with the listing annotation is the route of the enterprise's own page.
    from soegov.leaders import appointments

    assert row["route"]["label"] == appointments.route_for(Enterprise.objects.get(pk=row["e"].pk))["label"]
    r = c.get("/leaders/?level=x")
    assert r.status_code == 200 and "筛选条件“层级”（level）应为正整数" in r.content.decode()


def test_the_registry_page_pages_its_tree_and_searches() -> None:
    t = tree()
    c = Client()
    c.force_login(reviewer(t["j"]))
    _grow(t["l1"], 57, 0)
    html = c.get("/enterprises/").content.decode()
    assert "共 60 条，第 1 / 2 页" in html and "伊宁市测试集团" in html
    html = c.get("/enterprises/?page=2").content.decode()
    assert html.count('href="/enterprises/') >= 10
    r = c.get("/enterprises/", {"q": "第12子公司"})
    assert [e.name for e in r.context["items"]] == ["伊宁市第12子公司"]
