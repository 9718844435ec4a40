"""Deadlines from the engine's working-day calendar (yining arts. 20–22), across National Day and Spring Festival."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from soegov.matters import lifecycle, selectors
from tests.matters.conftest import POST_FILING, attach_all, decide, make_matter

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_post_filing_due_five_working_days_after_a_decision_before_national_day(filer: Any, enterprise: Any) -> None:
    m = decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 30, 16, 0, tzinfo=SH))
    # 1–7 October are the holiday, 10 October (Saturday) a make-up working day, 11 October a rest day.
    assert m.due_at == dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=SH)
    assert "5 个工作日内" in m.due_note


def test_post_filing_across_spring_festival(filer: Any, enterprise: Any) -> None:
    m = decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 2, 13, 10, 0, tzinfo=SH))
    # 14 February (Saturday) is a make-up working day, 15–23 February the holiday.
    assert m.due_at == dt.datetime(2026, 2, 27, 23, 59, 59, tzinfo=SH)


def test_urgent_filing_is_due_in_twelve_natural_hours(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise, ("mid_level_appointment", None, {"urgent": True}))
    m = decide(filer, m, dt.datetime(2026, 9, 30, 20, 0, tzinfo=SH))
    assert m.due_at == dt.datetime(2026, 10, 1, 8, 0, tzinfo=SH)
    assert "12 小时内" in m.due_note


def test_work_safety_event_is_reported_at_once(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise, ("incident", None, {"work_safety": True}))
    assert m.route == "report"
    m = decide(filer, m, dt.datetime(2026, 10, 2, 9, 30, tzinfo=SH))
    assert m.due_at == dt.datetime(2026, 10, 2, 9, 30, tzinfo=SH)
    assert m.due_note.startswith("应立即报告")


def test_supervisor_answer_due_five_working_days_after_submission(filer: Any, enterprise: Any, monkeypatch: Any) -> None:
    m = attach_all(filer, decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 29, 9, 0, tzinfo=SH)))
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 9, 30, 15, 0, tzinfo=SH))
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert m.review_due_at == dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=SH)
    c = selectors.clock(m, dt.datetime(2026, 10, 14, 0, 0, tzinfo=SH))
    assert c is not None and c["side"] == "supervisor" and c["overdue"]
    assert not selectors.clock(m, dt.datetime(2026, 10, 13, 12, 0, tzinfo=SH))["overdue"]  # type: ignore[index]


def test_enterprise_clock_is_flagged_overdue(filer: Any, enterprise: Any) -> None:
    m = decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 30, 16, 0, tzinfo=SH))
    assert selectors.is_overdue(m, dt.datetime(2026, 10, 14, 0, 0, tzinfo=SH))
    assert not selectors.is_overdue(m, dt.datetime(2026, 10, 13, 23, 0, tzinfo=SH))


def test_approval_answer_due_five_working_days_after_the_party_committee(filer: Any, reviewer: Any, enterprise: Any,
                                                                           monkeypatch: Any) -> None:
    from tests.matters.conftest import submitted

    m = lifecycle.matter_start_review(actor=reviewer, matter=(s := submitted(filer, enterprise)), version=s.version)
    assert m.review_due_at is None and selectors.clock(m) is None
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version,
                                          passed_at=dt.datetime(2026, 2, 13, 16, 0, tzinfo=SH))
    # 14 February is a make-up working day, 15–23 February the Spring Festival holiday (art. 21).
    assert m.review_due_at == dt.datetime(2026, 2, 27, 23, 59, 59, tzinfo=SH)
    assert m.events.first().comment == "党委会议于 2026-02-13 16:00 研究通过"


def test_art21_clock_is_shown_with_working_days_left_after_the_committee(filer: Any, reviewer: Any, enterprise: Any) -> None:
    from django.test import Client

    from tests.matters.conftest import submitted

    m = lifecycle.matter_start_review(actor=reviewer, matter=(s := submitted(filer, enterprise)), version=s.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    c = selectors.clock(m)
    assert c is not None and c["due"] == m.review_due_at and c["days_left"] is not None and 1 <= c["days_left"] <= 6
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert "监管机构批复期限" in page and f"剩 {c['days_left']} 个工作日" in page and "当前无计时" not in page
    queue = client.get("/matters/review/").content.decode()
    assert timezone.localtime(m.review_due_at).strftime("%Y-%m-%d %H:%M") in queue


def test_working_days_left_counts_the_calendar() -> None:
    # 30 September 2026 (a Wednesday) to 13 October: 30 Sep, then 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert selectors.working_days_left(dt.datetime(2026, 9, 30, 9, 0, tzinfo=SH),
                                       dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=SH)) == 6
    assert selectors.working_days_left(dt.datetime(2026, 10, 14, 0, 0, tzinfo=SH),
                                       dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=SH)) == 0


def test_a_city_item_after_the_committee_says_it_is_to_be_forwarded(filer: Any, reviewer: Any, enterprise: Any) -> None:
    from django.test import Client

    from tests.matters.conftest import APPROVAL_CITY, submitted

    m = lifecycle.matter_start_review(actor=reviewer, matter=(s := submitted(filer, enterprise, APPROVAL_CITY)), version=s.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert "待转报市政府" in page and "当前无计时" not in page
    assert "待转报市政府" in client.get("/matters/review/").content.decode()
