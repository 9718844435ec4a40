"""Deadlines in working days and hours across real holiday schedules (2025, 2026) and past them.

Expected dates are worked out by hand from the State Council notices (国办发明电〔2024〕12号 for
2025, 国办发明电〔2025〕7号 for 2026), not read back from the library under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soegov.calendar import (
    add_hours,
    add_working_days,
    deadline,
    deadline_from_doc,
    is_workday,
    known_years,
    year_known,
)
from soegov.core.errors import InputError

CST = timezone(timedelta(hours=8))


@pytest.fixture(autouse=True, scope="module")
def _empty_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Module scope so hypothesis tests may use it; no imported year may leak in from the machine.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOEGOV_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        yield


def days(first: str, last: str) -> list[str]:
    """Every date from first to last inclusive, as ISO strings."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


# from, working days, due day, skipped
WORKING_DAY_CASES = [
    # The contract's worked example: Oct 10 2026 is a make-up Saturday.
    ("2026-09-30T16:00:00+08:00", 5, "2026-10-13", [*days("2026-10-01", "2026-10-07"), "2026-10-11"]),
    # Sun Sep 20 2026 is a make-up day before National Day.
    ("2026-09-18T09:00:00+08:00", 1, "2026-09-20", ["2026-09-19"]),
    ("2026-09-30T16:00:00+08:00", 1, "2026-10-08", days("2026-10-01", "2026-10-07")),
    ("2026-09-30T16:00:00+08:00", 3, "2026-10-10", days("2026-10-01", "2026-10-07")),
    # Spring Festival 2026: Sat Feb 14 and Sat Feb 28 are make-up days, Feb 15–23 off.
    ("2026-02-13T10:00:00+08:00", 1, "2026-02-14", []),
    ("2026-02-13T10:00:00+08:00", 2, "2026-02-24", days("2026-02-15", "2026-02-23")),
    ("2026-02-24T10:00:00+08:00", 4, "2026-02-28", []),
    ("2026-02-24T10:00:00+08:00", 5, "2026-03-02", ["2026-03-01"]),
    # Spring Festival 2025: Sun Jan 26 and Sat Feb 8 are make-up days, Jan 28 – Feb 4 off.
    ("2025-01-24T17:30:00+08:00", 3, "2025-02-05", ["2025-01-25", *days("2025-01-28", "2025-02-04")]),
    # National Day and Mid-Autumn 2025: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 are make-up days.
    ("2025-09-26T09:00:00+08:00", 2, "2025-09-29", ["2025-09-27"]),
    ("2025-09-30T09:00:00+08:00", 3, "2025-10-11", days("2025-10-01", "2025-10-08")),
    # New Year 2026: Jan 1–3 off, Sun Jan 4 a make-up day.
    ("2025-12-31T12:00:00+08:00", 1, "2026-01-04", days("2026-01-01", "2026-01-03")),
    # An ordinary week: Friday + 1 is Monday.
    ("2026-03-06T12:00:00+08:00", 1, "2026-03-09", ["2026-03-07", "2026-03-08"]),
]


@pytest.mark.parametrize(("start", "n", "due_day", "skipped"), WORKING_DAY_CASES)
def test_working_days(start: str, n: int, due_day: str, skipped: list[str]) -> None:
    result = deadline(start, working_days=n)
    assert result == {
        "from": start,
        "working_days": n,
        "due": f"{due_day}T23:59:59+08:00",
        "calendar_complete": True,
        "skipped": skipped,
        "notes": [],
    }


def test_contract_keys_and_order() -> None:
    result = deadline_from_doc({"from": "2026-09-30T16:00:00+08:00", "working_days": 5})
    assert list(result) == ["from", "working_days", "due", "calendar_complete", "skipped", "notes"]
    result = deadline_from_doc({"from": "2026-09-30T16:00:00+08:00", "hours": 12})
    assert list(result) == ["from", "hours", "due", "calendar_complete", "skipped", "notes"]


def test_year_end_into_unknown_year_is_incomplete() -> None:
    result = deadline("2026-12-28T10:00:00+08:00", working_days=10)
    # Dec 29–31 count, then 2027 on plain weekends: Jan 1 (a Friday) counts as a working day.
    assert result["due"] == "2027-01-11T23:59:59+08:00"
    assert result["skipped"] == ["2027-01-02", "2027-01-03", "2027-01-09", "2027-01-10"]
    assert result["calendar_complete"] is False
    [note] = result["notes"]
    assert note["code"] == "calendar_incomplete"
    assert note["years"] == [2027]
    assert "2027" in note["message"]
    english = deadline("2026-12-28T10:00:00+08:00", working_days=10, lang="en")["notes"][0]["message"]
    assert "2027" in english and "no official holiday schedule" in english


def test_span_ending_in_known_year_is_complete_even_if_from_is_next_to_unknown() -> None:
    result = deadline("2026-12-30T10:00:00+08:00", working_days=1)
    assert result["due"] == "2026-12-31T23:59:59+08:00"
    assert result["calendar_complete"] is True


def test_from_in_unknown_year() -> None:
    result = deadline("2030-06-03T10:00:00+08:00", working_days=5)
    assert result["calendar_complete"] is False
    assert result["notes"][0]["years"] == [2030]


def test_zero_working_days_is_end_of_the_same_day() -> None:
    result = deadline("2026-10-01T09:00:00+08:00", working_days=0)
    assert result["due"] == "2026-10-01T23:59:59+08:00"
    assert result["skipped"] == []
    assert [n["code"] for n in result["notes"]] == ["same_day"]


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Across midnight into a holiday: natural hours ignore the calendar.
        ("2026-09-30T20:00:00+08:00", 12, "2026-10-01T08:00:00+08:00"),
        ("2026-09-30T20:00:00", 12, "2026-10-01T08:00:00+08:00"),
        # UTC in, Shanghai out.
        ("2026-09-30T12:00:00Z", 12, "2026-10-01T08:00:00+08:00"),
        ("2026-12-31T23:00:00+08:00", 24, "2027-01-01T23:00:00+08:00"),
        ("2026-02-16T08:00:00+08:00", 0, "2026-02-16T08:00:00+08:00"),
    ],
)
def test_hours(start: str, hours: int, due: str) -> None:
    result = deadline(start, hours=hours)
    assert result["due"] == due
    assert result["hours"] == hours
    assert result["skipped"] == []
    # Hours never consult the calendar, so an unknown year does not make them incomplete.
    assert result["calendar_complete"] is True
    assert [n["code"] for n in result["notes"]] == ["natural_hours"]


def test_naive_datetime_is_shanghai_time() -> None:
    assert deadline("2026-09-30T16:00:00", working_days=5)["from"] == "2026-09-30T16:00:00+08:00"
    naive = add_working_days(datetime(2026, 9, 30, 16, 0), 5)  # noqa: DTZ001 - naive on purpose
    assert naive.due == datetime(2026, 10, 13, 23, 59, 59, tzinfo=CST)
    assert naive.start.utcoffset() == timedelta(hours=8)


def test_day_boundary_is_shanghai_midnight() -> None:
    # 17:00 UTC on Sep 30 is already 01:00 on Oct 1 in Shanghai: Oct 1 is the starting day.
    late = deadline("2026-09-30T17:00:00Z", working_days=5)
    assert late["from"] == "2026-10-01T01:00:00+08:00"
    assert late["skipped"][0] == "2026-10-02"
    early = deadline("2026-09-30T15:59:59Z", working_days=5)
    assert early["from"] == "2026-09-30T23:59:59+08:00"
    assert early["skipped"][0] == "2026-10-01"


def test_date_only_from_is_midnight() -> None:
    result = deadline("2026-09-30", hours=12)
    assert result["from"] == "2026-09-30T00:00:00+08:00"
    assert result["due"] == "2026-09-30T12:00:00+08:00"
    assert result["notes"][0]["code"] == "date_only"


def test_add_hours_result() -> None:
    result = add_hours(datetime(2026, 9, 30, 20, 0, tzinfo=CST), 12)
    assert result.due == datetime(2026, 10, 1, 8, 0, tzinfo=CST)
    assert result.calendar_complete and result.skipped == []


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-10-10", True),  # make-up Saturday
        ("2026-09-20", True),  # make-up Sunday
        ("2026-10-01", False),
        ("2026-10-05", False),  # a Monday inside the holiday
        ("2026-10-11", False),
        ("2026-10-12", True),
        ("2025-01-26", True),
        ("2025-02-04", False),
        ("2027-01-01", True),  # unknown year: a Friday on plain weekends
        ("2027-01-02", False),
    ],
)
def test_is_workday(day: str, working: bool) -> None:
    assert is_workday(date.fromisoformat(day)) is working


def test_known_years() -> None:
    years = known_years()
    assert years[0] == 2004
    assert {2025, 2026} <= set(years)
    assert year_known(2026) and not year_known(2027)
    # Nobody ships 2027 yet: the system must not pretend to know it.
    assert 2027 not in years


@pytest.mark.parametrize(
    ("kwargs", "code", "path"),
    [
        ({"working_days": -1}, "out_of_range", "working_days"),
        ({"working_days": 1001}, "out_of_range", "working_days"),
        ({"working_days": True}, "not_an_integer", "working_days"),
        ({"working_days": 2.0}, "not_an_integer", "working_days"),
        ({"working_days": "5"}, "not_an_integer", "working_days"),
        ({"hours": False}, "not_an_integer", "hours"),
        ({"hours": 8785}, "out_of_range", "hours"),
        ({"hours": -3}, "out_of_range", "hours"),
        ({}, "missing_field", "working_days"),
        ({"working_days": 1, "hours": 1}, "conflicting_fields", "hours"),
        ({"working_days": 1, "lang": "fr"}, "invalid_lang", "lang"),
    ],
)
def test_bad_counts(kwargs: dict[str, object], code: str, path: str) -> None:
    with pytest.raises(InputError) as caught:
        deadline("2026-09-30T16:00:00+08:00", **kwargs)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.path) == (code, path)


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("yesterday", "invalid_datetime"),
        ("2026-02-30T10:00:00", "invalid_datetime"),
        ("2026-09-30T25:00", "invalid_datetime"),
        ("", "invalid_datetime"),
        (20260930, "invalid_datetime"),
        (None, "invalid_datetime"),
        ("1999-12-31T10:00:00", "out_of_range"),
        ("3000-01-01", "out_of_range"),
        ("9999-12-31T23:59:59-12:00", "out_of_range"),
        ("0001-01-01T00:00:00+14:00", "out_of_range"),
    ],
)
def test_bad_from(start: object, code: str) -> None:
    with pytest.raises(InputError) as caught:
        deadline(start, working_days=1)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.path) == (code, "from")


@pytest.mark.parametrize(
    ("doc", "code", "path"),
    [
        ([], "invalid_document", None),
        ("2026-09-30", "invalid_document", None),
        ({"working_days": 5}, "missing_field", "from"),
        ({"from": None, "working_days": 5}, "missing_field", "from"),
        ({"from": "2026-09-30"}, "missing_field", "working_days"),
        ({"from": "2026-09-30", "working_days": 5, "hours": 2}, "conflicting_fields", "hours"),
        ({"from": "2026-09-30", "working_day": 5}, "unknown_field", "working_day"),
        ({"from": "2026-09-30", "working_days": [5]}, "not_an_integer", "working_days"),
    ],
)
def test_bad_documents(doc: object, code: str, path: str | None) -> None:
    with pytest.raises(InputError) as caught:
        deadline_from_doc(doc)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.path) == (code, path)


# ---------------------------------------------------------------- properties

starts = st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2028, 12, 31))  # noqa: DTZ001
counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=150, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_due_is_a_working_day_after_from(start: datetime, n: int) -> None:
    result = add_working_days(start, n)
    assert result.due >= result.start
    assert result.due.time() == time(23, 59, 59)
    assert is_workday(result.due.date())
    # Every day after from up to due is either counted or listed as skipped, never both.
    span = (result.due.date() - result.start.date()).days
    assert span == n + len(result.skipped)
    assert all(not is_workday(d) for d in result.skipped)
    # Complete exactly when every examined year is held; from's own day is never examined.
    first_examined = result.start.date() + timedelta(days=1)
    held = all(year_known(y) for y in range(first_examined.year, result.due.year + 1))
    assert result.calendar_complete is held


@settings(max_examples=150, deadline=None)
@given(start=starts, n=counts, m=counts)
def test_adding_is_additive(start: datetime, n: int, m: int) -> None:
    first = add_working_days(start, n)
    assert add_working_days(first.due, m).due == add_working_days(start, n + m).due


@settings(max_examples=100, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=500))
def test_hours_are_plain_arithmetic(start: datetime, n: int) -> None:
    result = add_hours(start, n)
    assert result.due - result.start == timedelta(hours=n)
    assert result.due.utcoffset() == timedelta(hours=8)
