"""Matter lists page, filter and search, and run as many queries at 1,000 matters as at 10."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.matters import selectors
from soegov.matters.models import Matter
from tests.bulk import make_matters
from tests.querycount import queries

pytestmark = pytest.mark.django_db

PAGES = ["/matters/", "/matters/?status=submitted", "/matters/?overdue=true", "/matters/?q=事项",
         "/matters/review/", "/api/v1/matters", "/api/v1/matters?overdue=true", "/api/v1/matters?limit=3&offset=3",
         "/api/v1/matters/queue", "/oversight/"]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_query_counts_do_not_grow(reviewer: Any, filer: Any, enterprise: Any) -> None:
    c = _client(reviewer)
    make_matters([enterprise], 10, actor=filer)
    small = {url: queries(c, url) for url in PAGES}
    make_matters([enterprise], 990, seed=17, actor=filer)
    assert Matter.objects.count() == 1000
    large = {url: queries(c, url) for url in PAGES}
    assert large == small
    one = Matter.objects.filter(status="submitted", authority="city_government").last()
    assert one is not None
    assert queries(c, f"/matters/{one.pk}/") == queries(c, f"/matters/{one.pk}/")


def test_pages_of_fifty_with_total(reviewer: Any, filer: Any, enterprise: Any) -> None:
    make_matters([enterprise], 120, actor=filer)
    c = _client(reviewer)
    r = c.get("/matters/")
    assert r.status_code == 200
    assert len(r.context["rows"]) == 50
    html = r.content.decode()
    assert "共 120 条，第 1 / 3 页" in html and 'rel="next"' in html
    r = c.get("/matters/?page=3")
    assert len(r.context["rows"]) == 20
    r = c.get("/matters/?page=99")  # past the end: the last page, not an error
    assert r.status_code == 200 and r.context["listing"].page.number == 3


def test_api_pages_with_headers(reviewer: Any, filer: Any, enterprise: Any) -> None:
    make_matters([enterprise], 120, actor=filer)
    c = _client(reviewer)
    r = c.get("/api/v1/matters?limit=50&offset=100")
    assert r.status_code == 200
    assert len(r.json()) == 20
    assert (r["X-Total-Count"], r["X-Total-Capped"], r["X-Limit"], r["X-Offset"]) == ("120", "false", "50", "100")
    assert 'rel="prev"' in r["Link"] and 'rel="next"' not in r["Link"]
    first = c.get("/api/v1/matters")
    assert len(first.json()) == 50 and "offset=50" in first["Link"]
    ids = [m["id"] for m in first.json()] + [m["id"] for m in c.get("/api/v1/matters?offset=50&limit=70").json()]
    assert len(set(ids)) == 120  # pages do not overlap or skip
    r = c.get("/api/v1/matters?limit=500")
    assert r.status_code == 400 and r.json()["error"]["path"] == "limit"
    r = c.get("/api/v1/matters?overdue=maybe")
    assert r.status_code == 400 and r.json()["error"]["path"] == "overdue"


def test_filters_and_search_agree_with_the_rows(reviewer: Any, filer: Any, enterprise: Any) -> None:
    make_matters([enterprise], 140, actor=filer)
    c = _client(reviewer)
    overdue = [m.pk for m in selectors.matter_list(user=reviewer) if selectors.is_overdue(m)]
    assert overdue  # the bulk rows include overdue ones, so the filter is tested on both sides
    r = c.get("/api/v1/matters?overdue=true&limit=200")
    assert sorted(m["id"] for m in r.json()) == sorted(overdue)
    assert all(m["overdue"] for m in r.json())
    r = c.get("/api/v1/matters?overdue=false&limit=200")
    assert not any(m["overdue"] for m in r.json()) and len(r.json()) == 140 - len(overdue)
    word = Matter.objects.order_by("pk").first().title[:4]  # type: ignore[union-attr]
    expected = Matter.objects.filter(title__contains=word).count()
    r = c.get(f"/api/v1/matters?q={word}&limit=200")
    assert len(r.json()) == expected and all(word in m["title"] for m in r.json())
    r = c.get("/api/v1/matters?q=伊宁市城市建设")  # the enterprise's name
    assert r["X-Total-Count"] == "140"
    r = c.get("/matters/?q=没有这样的事项")
    assert "没有事项" in r.content.decode()


def test_bad_filter_names_the_field(reviewer: Any, filer: Any, enterprise: Any) -> None:
    make_matters([enterprise], 4, actor=filer)
    c = _client(reviewer)
    r = c.get("/matters/?year=99999")
    assert r.status_code == 400
    assert "筛选条件“年度”（year）应为2000–2100 之间的年份：99999" in r.content.decode()
    assert len(r.context["rows"]) == 4  # the list still shows, without the bad filter
    r = c.get("/matters/?status=nonsense")
    assert r.status_code == 400 and "筛选条件“状态”（status）不是可选的取值" in r.content.decode()
