"""The dashboard counts in SQL, and every figure equals the rows it links to (per enterprise, in total and by month)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from soegov.oversight import selectors
from tests.bulk import make_matters
from tests.factories import EnterpriseFactory
from tests.querycount import queries

pytestmark = pytest.mark.django_db


def test_figures_equal_their_rows(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    sub = EnterpriseFactory(parent=yn, name="伊宁市城投物业有限公司")
    make_matters([yn, sub], 300, actor=yn_filer)
    data = selectors.dashboard(user=yn_inspector)
    figures = {k: n for k, _, _, n in data["kinds"]}
    assert figures["overdue"] > 0 and figures["prohibited"] > 0 and figures["implemented_early"] >= 0
    trend = Counter[str]()
    for kind, total in figures.items():
        rows = selectors.rows(user=yn_inspector, kind=kind)
        assert total == len(rows), kind
        per_enterprise = Counter(r["enterprise"].pk for r in rows)
        for line in data["table"]:
            assert line["counts"][kind] == per_enterprise[line["enterprise"].pk], (kind, line["enterprise"])
        trend.update(f"{r['date'].year}-{r['date'].month:02d}" for r in rows if r["date"])
    # Each bar is titled with its month in Chinese (2026年3月) and labelled with the month alone (3月).
    bars = data["trend"]["bars"]
    assert all(b["title"].endswith(b["label"]) for b in bars)
    assert {b["title"]: b["count"] for b in bars} == {
        b["title"]: trend[f"{b['title'][:4]}-{int(b['title'][5:-1]):02d}"] for b in bars}


def test_dashboard_queries_do_not_grow(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    c = Client()
    c.force_login(yn_inspector)
    make_matters([yn], 10, actor=yn_filer)
    small = [queries(c, u) for u in ("/oversight/", "/api/v1/oversight/dashboard")]
    make_matters([yn], 990, seed=3, actor=yn_filer)
    assert [queries(c, u) for u in ("/oversight/", "/api/v1/oversight/dashboard")] == small
