"""Oversight and meeting lists page and search, and run as many queries at 10x the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.oversight.models import Case, EventReport
from tests.bulk import make_events, make_findings, make_meetings
from tests.factories import BodyFactory
from tests.querycount import queries

pytestmark = pytest.mark.django_db

URLS = ["/oversight/events/", "/oversight/events/?q=事件", "/oversight/cases/", "/oversight/cases/?status=open",
        "/api/v1/oversight/events", "/api/v1/oversight/cases", "/api/v1/oversight/findings", "/meetings/",
        "/api/v1/meetings", "/meetings/topics/", "/meetings/decisions/", "/meetings/?q=董事会"]


def _load(yn: Any, user: Any, body: Any, n: int, seed: int) -> None:
    make_events([yn], n, seed=seed, actor=user)
    make_findings([yn], n, seed=seed, actor=user, cases_every=3)
    make_meetings([body], n, seed=seed, actor=user)


def test_queries_do_not_grow(yn: Any, yn_inspector: Any) -> None:
    c = Client()
    c.force_login(yn_inspector)
    body = BodyFactory(enterprise=yn)
    _load(yn, yn_inspector, body, 12, 1)
    small = {u: queries(c, u) for u in URLS}
    case = Case.objects.first()
    assert case is not None
    small_case = queries(c, f"/oversight/cases/{case.pk}/")
    _load(yn, yn_inspector, body, 120, 2)
    assert {u: queries(c, u) for u in URLS} == small
    assert queries(c, f"/oversight/cases/{case.pk}/") == small_case


def test_events_page_pages_and_searches(yn: Any, yn_inspector: Any) -> None:
    make_events([yn], 120, actor=yn_inspector)
    c = Client()
    c.force_login(yn_inspector)
    r = c.get("/oversight/events/")
    assert r.status_code == 200 and len(r.context["rows"]) == 50
    assert "共 120 条，第 1 / 3 页" in r.content.decode()
    title = EventReport.objects.order_by("pk").first().title  # type: ignore[union-attr]
    r = c.get("/oversight/events/", {"q": title})
    assert [row["e"].title for row in r.context["rows"]] == [title]
    r = c.get("/oversight/events/?year=abc")
    assert r.status_code == 400 and "筛选条件“发生年度”（year）应为2000–2100 之间的年份" in r.content.decode()


def test_figure_rows_page(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    from soegov.oversight import dashboard
    from tests.bulk import make_matters

    make_matters([yn], 400, actor=yn_filer)
    total = len(dashboard.rows(user=yn_inspector, kind="overdue"))
    assert total > 50
    c = Client()
    c.force_login(yn_inspector)
    r = c.get("/oversight/rows/overdue/")
    html = r.content.decode()
    assert f"共 {total} 条。" in html and html.split("<tbody>")[1].count("<tr>") == 50
    last = (total + 49) // 50
    r = c.get(f"/oversight/rows/overdue/?page={last}")
    assert r.content.decode().split("<tbody>")[1].count("<tr>") == total - 50 * (last - 1)
