"""The stored overdue_from (computed by the database) and is_overdue() agree on every combination of status and
deadlines, and so do an event's overdue_from and the reporting rule it replaces in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soegov.matters import selectors
from soegov.matters.models import Matter, Status
from tests.bulk import make_matters

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
# Times around NOW, or none: hours before or after it.
moments = st.one_of(st.none(), st.integers(-400, 400).map(lambda h: NOW + dt.timedelta(hours=h)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([s for s, _ in Status.choices]), due=moments, submitted=moments, review_due=moments,
       answered=moments)
def test_overdue_from_agrees_with_is_overdue(enterprise: Any, filer: Any, status: str, due: Any, submitted: Any,
                                             review_due: Any, answered: Any) -> None:
    if not Matter.objects.exists():
        make_matters([enterprise], 1, actor=filer)
    Matter.objects.update(status=status, due_at=due, submitted_at=submitted, review_due_at=review_due,
                          answered_at=answered, committee_passed_at=NOW)
    expected = {m.pk for m in Matter.objects.all() if selectors.is_overdue(m, NOW)}
    assert set(Matter.objects.filter(selectors.overdue_q(NOW)).values_list("pk", flat=True)) == expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(due=st.integers(-400, 400), reported=st.one_of(st.none(), st.integers(-400, 400)), immediate=st.booleans())
def test_event_overdue_from_is_the_reporting_rule(enterprise: Any, filer: Any, due: int, reported: int | None,
                                                  immediate: bool) -> None:
    from soegov.oversight.models import EventReport
    from tests.bulk import make_events

    if not EventReport.objects.exists():
        make_events([enterprise], 1, actor=filer)
    due_at = NOW + dt.timedelta(hours=due)
    reported_at = None if reported is None else NOW + dt.timedelta(hours=reported)
    EventReport.objects.update(due_at=due_at, reported_at=reported_at, immediate=immediate)
    rule = (reported_at is None and due_at <= NOW) or (reported_at is not None and reported_at > due_at and not immediate)
    assert EventReport.objects.filter(overdue_from__lte=NOW).count() == (EventReport.objects.count() if rule else 0)


def test_now_is_the_default(enterprise: Any, filer: Any) -> None:
    make_matters([enterprise], 1, actor=filer)
    Matter.objects.update(status="draft", due_at=timezone.now() - dt.timedelta(minutes=1))
    assert Matter.objects.filter(selectors.overdue_q()).count() == Matter.objects.count()
