"""A checklist point's evidence names the same records the dashboard figure of that fact counts (one test per
fact: an implementation before the answer, a decision with a violation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from soegov.oversight import dashboard, inspections
from tests.bulk import make_matters

pytestmark = pytest.mark.django_db


def test_implemented_early_evidence_is_the_dashboards(yn: Any, yn_inspector: Any, yn_filer: Any) -> None:
    """Implemented with no answer, or before the answer came, is evidence; implemented after it is not."""
    from soegov.matters.models import Matter

    make_matters([yn], 60, actor=yn_filer)
    year = timezone.localdate().year - 1
    asked = list(Matter.objects.filter(enterprise=yn, route__in=["approval", "prior_filing"], occurred_on__year=year,
                                       submitted_at__isnull=False))
    assert len(asked) >= 3
    for i, m in enumerate(asked):
        answer = m.answered_at or m.submitted_at + dt.timedelta(days=5)
        # In turn: answered after the start (early), never answered (early), started after the answer (not early).
        implemented, answered = [(answer - dt.timedelta(days=1), answer), (answer, None), (answer + dt.timedelta(days=1), answer)][i % 3]
        Matter.objects.filter(pk=m.pk).update(implemented_at=implemented, answered_at=answered)
    said = {e["text"] for e in inspections.evidence(yn, year, ["implemented_early"])}
    counted = {f"未经批准先行实施：“{r['title']}”" for r in dashboard.rows(user=yn_inspector, kind="implemented_early")
               if r["date"].year == year}
    assert said == counted and len(counted) == len(asked) - len(asked) // 3


def test_meeting_violation_evidence_is_the_dashboards(xd: Any, inspector: Any) -> None:
    """The year's decisions the engine flagged are the evidence, each with its violation; a clean one is not."""
    from soegov.meetings.models import AgendaItem, Meeting, Topic
    from tests.meetings.factories import make_body

    body = make_body(xd, kind="board", names=["张书记", "李委员", "王委员"])
    now = timezone.now()
    for i, violations in enumerate([[{"code": "no_quorum"}], [], [{"code": "ad_hoc_item"}], []]):
        meeting = Meeting.objects.create(enterprise=xd, body=body, title=f"第{i}次董事会", held_at=now - dt.timedelta(hours=i))
        topic = Topic.objects.create(enterprise=xd, title=f"议题{i}", category="major_decision", route=["board"])
        AgendaItem.objects.create(meeting=meeting, topic=topic, order=1, passed=True, violations=violations)
    year = timezone.localdate(now).year
    said = {e["text"] for e in inspections.evidence(xd, year, ["meeting_violations"])}
    assert said == {"第0次董事会：议题0：不足法定人数", "第2次董事会：议题2：临时动议"}
    counted = {f"{r['title']}：{r['note']}" for r in dashboard.rows(user=inspector, kind="decision_violations")
               if r["date"].year == year}
    assert said == counted
