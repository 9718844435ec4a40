"""The dashboard counts in SQL, and every figure equals the rows it links to (per enterprise, in total and by month)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from soegov.oversight import dashboard
from tests.bulk import make_matters
from tests.factories import EnterpriseFactory
from tests.querycount import queries

pytestmark = pytest.mark.django_db


def test_figures_equal_their_rows(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    sub = EnterpriseFactory(parent=yn, name="伊宁市城投物业有限公司")
    make_matters([yn, sub], 300, actor=yn_filer)
    figures = figures_equal_their_rows(yn_inspector)
    assert figures["overdue"] > 0 and figures["prohibited"] > 0 and figures["implemented_early"] >= 0


def test_the_page_and_the_api_give_each_figure_the_same_total(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    # The page adds up its grouped counts; the API counts each source once: two ways to one fact.
    make_matters([yn, EnterpriseFactory(parent=yn)], 120, actor=yn_filer)
    page = {k: n for k, _, _, n in dashboard.dashboard(user=yn_inspector)["kinds"]}
    api = {k: n for k, _, _, n in dashboard.figure_totals(user=yn_inspector)}
    assert page == api and sum(page.values()) > 0
    client = Client()
    client.force_login(yn_inspector)
    assert {f["kind"]: f["count"] for f in client.get("/api/v1/oversight/dashboard").json()} == page


def figures_equal_their_rows(user: Any) -> dict[str, int]:
    """Assert each figure equals its rows in total, per enterprise and in the monthly trend; the figures."""
    data = dashboard.dashboard(user=user)
    figures = {k: n for k, _, _, n in data["kinds"]}
    trend = Counter[str]()
    for kind, total in figures.items():
        rows = dashboard.rows(user=user, kind=kind)
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
    return figures


def test_a_time_counts_in_its_shanghai_month(yn: Any, yn_inspector: Any) -> None:
    """The trend places an event by its Shanghai date: 00:30 on a month's first day (the day before in UTC) in
    that month, 23:30 on its last day in it too, and the first moment of the oldest month shown inside the window."""
    import datetime as dt

    from django.utils import timezone

    from soegov.oversight.models import EventReport

    today = timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=40)
    first = first.replace(day=1)  # the first day of the month before last
    oldest = dt.date(today.year - 1 + (today.month == 12), today.month % 12 + 1, 1)  # the trend's first month
    moments = [dt.datetime.combine(first, dt.time(0, 30)), dt.datetime.combine(first - dt.timedelta(days=1), dt.time(23, 30)),
               dt.datetime.combine(oldest, dt.time()), dt.datetime.combine(oldest, dt.time()) - dt.timedelta(seconds=1)]
    for i, moment in enumerate(moments):
        occurred = timezone.make_aware(moment)
        EventReport.objects.create(enterprise=yn, policy="yining-2024", category="safety_incident", title=f"事件{i}",
                                   description="", occurred_at=occurred, due_at=occurred + dt.timedelta(hours=12),
                                   citation={"document": "伊宁办法", "article": 17})
    figures = figures_equal_their_rows(yn_inspector)
    assert figures["events_overdue"] == 4
    bars = {b["month"]: b["count"] for b in dashboard.dashboard(user=yn_inspector)["trend"]["bars"]}
    before = (first - dt.timedelta(days=1)).replace(day=1)
    assert (bars[first], bars[before], bars[oldest]) == (1, 1, 1) and sum(bars.values()) == 3


def test_dashboard_queries_do_not_grow(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    c = Client()
    c.force_login(yn_inspector)
    make_matters([yn], 10, actor=yn_filer)
    small = [queries(c, u) for u in ("/oversight/", "/api/v1/oversight/dashboard")]
    make_matters([yn], 990, seed=3, actor=yn_filer)
    assert [queries(c, u) for u in ("/oversight/", "/api/v1/oversight/dashboard")] == small


def test_decision_and_self_inspection_figures_equal_their_rows(xd: Any, inspector: Any) -> None:
    """Xundian's figures counted in SQL (decision violations, self-inspection) against their rows, for every
    combination of recorded violations, result, route, body and pre-study evidence."""
    import datetime as dt
    import itertools

    from django.utils import timezone

    from soegov.meetings.models import AgendaItem, Meeting, Topic
    from soegov.oversight.models import Inspection
    from tests.meetings.factories import make_body

    sub = EnterpriseFactory(parent=xd, name="寻甸县城投物业有限公司")
    other = EnterpriseFactory(parent=xd, name="寻甸县水务有限公司")
    now = timezone.now()
    bodies = {(e.pk, kind): make_body(e, kind=kind, names=["张书记", "李委员", "王委员"])
              for e in (xd, sub) for kind in ("party_committee", "board")}
    prestudy_meeting = Meeting.objects.create(enterprise=xd, body=bodies[(xd.pk, "party_committee")], title="前置研究",
                                              held_at=now - dt.timedelta(days=400))
    prestudy_item = AgendaItem.objects.create(meeting=prestudy_meeting, order=1, passed=True, topic=Topic.objects.create(
        enterprise=xd, title="前置研究议题", category="major_decision", route=["party_committee"]))
    combos = itertools.product([[], [{"code": "no_quorum"}], [{"code": "ad_hoc_item"}, {"code": "no_notice"}]],
                               [None, True, False], [[], ["board"], ["party_committee", "board"]],
                               ["party_committee", "board"], ["linked", "done", "undone", "none"])
    for i, (violations, passed, route, kind, evidence) in enumerate(combos):
        ent = (xd, sub)[i % 2]
        meeting = Meeting.objects.create(enterprise=ent, body=bodies[(ent.pk, kind)], title=f"第{i}次会议",
                                         held_at=now - dt.timedelta(days=(i * 7) % 500))
        topic = Topic.objects.create(
            enterprise=ent, title=f"议题{i}", category="major_decision", route=route,
            prestudy=prestudy_item if evidence == "linked" else None,
            preparation={"prestudy": {"done": evidence == "done"}} if evidence in ("done", "undone") else {})
        AgendaItem.objects.create(meeting=meeting, topic=topic, order=1, passed=passed, violations=violations)
    year = timezone.localdate().year
    Inspection.objects.create(enterprise=sub, policy="xundian-2020", year=year, status="completed")
    draft = Inspection.objects.create(enterprise=other, policy="xundian-2020", year=year, status="draft")

    figures = figures_equal_their_rows(inspector)
    assert figures["decision_violations"] > 50 and figures["self_inspection"] == 2
    # Every item the SQL leaves out has no violation by the rows' own test.
    from soegov.oversight.decision_figures import violation_q

    left_out = AgendaItem.objects.exclude(passed__isnull=True).exclude(violation_q())
    assert all(not r for r in _labels(left_out)) and left_out.count() > 20
    pending = {r["enterprise"].pk: r["url"] for r in dashboard.rows(user=inspector, kind="self_inspection")}
    assert pending == {xd.pk: "/oversight/inspections/", other.pk: f"/oversight/inspections/{draft.pk}/"}


def _labels(items: Any) -> list[str]:
    """The violation notes the rows' Python test gives each item (empty: none)."""
    from soegov.meetings.preparation import required_steps, step_done

    out = []
    for item in items.select_related("meeting__body", "topic"):
        labels = list(item.violations or [])
        if "prestudy" in required_steps(item.topic, item.meeting.body.kind) and not step_done(item.topic, "prestudy"):
            labels.append("prestudy")
        out.append("、".join(map(str, labels)))
    return out
