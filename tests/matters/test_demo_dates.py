"""The demo's matters agree with themselves whenever the demo is loaded: a matter's 决策或发生日期 is the day of the
collective decision recorded on it (the walk of issue 13 loaded the demo at 00:33 and read 日期 2026年12月7日 beside
董事会 · 2026-12-06 21:33, in the page and in the 请示)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.core.time import SHANGHAI
from soegov.matters.models import Matter

pytestmark = pytest.mark.django_db


def test_a_demo_loaded_just_after_midnight_dates_each_matter_on_the_day_of_its_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    from soegov.demo.load import load_demo

    moment = dt.datetime(2026, 6, 2, 0, 33, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
    load_demo()
    decided = Matter.objects.exclude(decided_at=None)
    assert decided.count() >= 4
    for m in decided:
        assert m.occurred_on == timezone.localtime(m.decided_at).date(), (m.title, m.occurred_on, m.decided_at)
