"""Importing a year's schedule: validation, storage, and an imported year overriding or extending.

The schedules here are made up for the tests (2031, and a deliberately wrong 2026) and say so in
their `source`; the project ships no schedule of its own.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from soegov.calendar import (
    add_working_days,
    deadline,
    import_year,
    is_workday,
    known_years,
    show_year,
    year_known,
)
from soegov.core.errors import InputError

CST = timezone(timedelta(hours=8))
FAKE_SOURCE = "TEST ONLY — not a real State Council notice"

# 2031-01-01 is a Wednesday, 2031-01-04 a Saturday.
FAKE_2031: dict[str, Any] = {
    "year": 2031,
    "source": FAKE_SOURCE,
    "holidays": {"2031-01-01": "测试假日", "2031-01-02": "测试假日"},
    "workdays": {"2031-01-04": "测试调休"},
}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SOEGOV_DATA_DIR for every test."""
    path = tmp_path / "data"
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(path))
    return path


def write(tmp_path: Path, doc: Any, name: str = "schedule.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_extends_known_years(tmp_path: Path, data_dir: Path) -> None:
    assert not year_known(2031)
    schedule = import_year(write(tmp_path, FAKE_2031))
    assert schedule.year == 2031 and schedule.origin == "imported"
    assert schedule.path == data_dir / "calendar" / "2031.json"
    stored = json.loads(schedule.path.read_text(encoding="utf-8"))
    assert {k: stored[k] for k in FAKE_2031} == FAKE_2031
    assert "imported_at" in stored
    # The atomic write leaves no temporary file behind.
    assert sorted(p.name for p in (data_dir / "calendar").iterdir()) == ["2031.json"]

    assert year_known(2031) and 2031 in known_years()
    assert not is_workday(date(2031, 1, 1))
    assert is_workday(date(2031, 1, 4))

    result = deadline("2030-12-31T10:00:00+08:00", working_days=1)
    assert result["due"] == "2031-01-03T23:59:59+08:00"
    assert result["skipped"] == ["2031-01-01", "2031-01-02"]
    assert result["calendar_complete"] is True
    assert [n["code"] for n in result["notes"]] == ["imported_schedule"]
    assert FAKE_SOURCE in result["notes"][0]["message"]
    assert add_working_days(datetime(2030, 12, 31, 10, tzinfo=CST), 2).due.date() == date(2031, 1, 4)


def test_imported_year_overrides_library(tmp_path: Path) -> None:
    assert deadline("2026-09-30T16:00:00+08:00", working_days=5)["due"] == "2026-10-13T23:59:59+08:00"
    wrong_2026 = {
        "year": 2026,
        "source": FAKE_SOURCE,
        "holidays": {f"2026-10-0{d}": "国庆节" for d in range(1, 9)},
        "workdays": {},
    }
    schedule = import_year(write(tmp_path, wrong_2026))
    assert "overrides_library" in [n.code for n in schedule.warnings]
    # Oct 8 is now a holiday and Oct 10 an ordinary Saturday.
    result = deadline("2026-09-30T16:00:00+08:00", working_days=5)
    assert result["due"] == "2026-10-15T23:59:59+08:00"
    assert result["skipped"] == [*(f"2026-10-0{d}" for d in range(1, 9)), "2026-10-10", "2026-10-11"]
    shown = show_year(2026)
    assert shown["source"] == "imported" and shown["document"] == FAKE_SOURCE
    assert shown["workdays"] == {}
    assert [n["code"] for n in shown["notes"]] == ["overrides_library"]

    # Removing the file brings the library's schedule back.
    assert schedule.path is not None
    schedule.path.unlink()
    assert show_year(2026)["source"] == "library"
    assert deadline("2026-09-30T16:00:00+08:00", working_days=5)["due"] == "2026-10-13T23:59:59+08:00"


def test_reimport_replaces(tmp_path: Path) -> None:
    import_year(write(tmp_path, FAKE_2031))
    changed = {**FAKE_2031, "workdays": {}}
    schedule = import_year(write(tmp_path, changed, "again.json"))
    assert "replaces_import" in [n.code for n in schedule.warnings]
    assert is_workday(date(2031, 1, 4)) is False


def test_yaml_import_with_unquoted_dates(tmp_path: Path) -> None:
    text = f"""# 2031 (test only)
year: 2031
source: "{FAKE_SOURCE}"
holidays:
  2031-01-01: 测试假日
  2031-01-02: 测试假日
workdays:
  2031-01-04: 测试调休
"""
    schedule = import_year(write(tmp_path, text, "2031.yaml"))
    assert schedule.holidays == {date(2031, 1, 1): "测试假日", date(2031, 1, 2): "测试假日"}
    assert schedule.workdays == {date(2031, 1, 4): "测试调休"}


def test_warnings_for_weekend_holiday_and_weekday_workday(tmp_path: Path) -> None:
    doc = {
        "year": 2031,
        "source": FAKE_SOURCE,
        "holidays": {"2031-01-01": "测试假日", "2031-01-05": "测试假日"},  # Jan 5 is a Sunday
        "workdays": {"2031-01-06": "测试调休"},  # a Monday
    }
    schedule = import_year(write(tmp_path, doc))
    assert [(n.code, n.extra["path"]) for n in schedule.warnings] == [
        ("holiday_on_weekend", "holidays.2031-01-05"),
        ("workday_on_weekday", "workdays.2031-01-06"),
    ]


def test_show_library_year() -> None:
    shown = show_year(2026)
    assert shown["source"] == "library"
    assert shown["document"].startswith("chinesecalendar")
    assert shown["calendar_complete"] is True
    assert list(shown["workdays"]) == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert shown["holidays"]["2026-10-01"] == "国庆节"
    assert shown["workdays"]["2026-10-10"] == "国庆节调休"
    english = show_year(2026, "en")
    assert english["holidays"]["2026-02-17"] == "Spring Festival"
    assert english["workdays"]["2026-02-14"] == "Spring Festival make-up workday"


def test_show_unknown_year() -> None:
    shown = show_year(2027)
    assert shown["source"] == "none" and shown["calendar_complete"] is False
    assert shown["holidays"] == {} and shown["workdays"] == {}
    assert shown["notes"][0]["code"] == "calendar_incomplete"


def _doc(**changes: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(FAKE_2031))
    for key, value in changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return doc


BAD_DOCUMENTS = [
    (_doc(holidays={"2031-02-30": "x"}), "invalid_date", "holidays.2031-02-30"),
    (_doc(holidays={"2031-1-1": "x"}), "invalid_date", "holidays.2031-1-1"),
    (_doc(holidays={"20310101": "x"}), "invalid_date", "holidays.20310101"),
    (_doc(workdays={"tomorrow": "x"}), "invalid_date", "workdays.tomorrow"),
    (_doc(holidays={"2030-12-31": "x"}), "date_outside_year", "holidays.2030-12-31"),
    (_doc(workdays={"2031-01-01": "测试调休"}), "holiday_and_workday", "workdays.2031-01-01"),
    (_doc(holidays={"2031-01-01": ""}), "invalid_name", "holidays.2031-01-01"),
    (_doc(holidays={"2031-01-01": 1}), "invalid_name", "holidays.2031-01-01"),
    (_doc(holidays={}), "empty_holidays", "holidays"),
    (_doc(holidays=["2031-01-01"]), "invalid_field", "holidays"),
    (_doc(workdays=None), "missing_field", "workdays"),
    (_doc(year=None), "missing_field", "year"),
    (_doc(year=True), "invalid_year", "year"),
    (_doc(year="2031"), "invalid_year", "year"),
    (_doc(year=1999), "invalid_year", "year"),
    (_doc(source=None), "invalid_source", "source"),
    (_doc(source="  "), "invalid_source", "source"),
    (_doc(notice="x"), "unknown_field", "notice"),
    ([FAKE_2031], "invalid_document", None),
]


@pytest.mark.parametrize(("doc", "code", "path"), BAD_DOCUMENTS)
def test_bad_documents_are_rejected(tmp_path: Path, data_dir: Path, doc: Any, code: str, path: str | None) -> None:
    with pytest.raises(InputError) as caught:
        import_year(write(tmp_path, doc))
    assert (caught.value.code, caught.value.path) == (code, path)
    assert not (data_dir / "calendar").exists()  # nothing stored on a rejected import


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bad.json", '{"year": 2031,', "invalid_json"),
        ("dup.json", '{"year": 2031, "year": 2032}', "duplicate_key"),
        ("bad.yaml", "year: [2031\n", "invalid_yaml"),
        ("dup.yaml", "holidays:\n  2031-01-01: a\n  2031-01-01: b\n", "duplicate_key"),
        ("latin1.json", b'{"source": "\xe9"}', "file_unreadable"),
    ],
)
def test_unparseable_files(tmp_path: Path, name: str, content: str | bytes, code: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_year(path)
    assert caught.value.code == code


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        import_year(tmp_path / "nope.yaml")
    assert caught.value.code == "file_unreadable"


def test_broken_stored_file_is_reported(data_dir: Path) -> None:
    (data_dir / "calendar").mkdir(parents=True)
    (data_dir / "calendar" / "2031.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        deadline("2030-12-31T10:00:00+08:00", working_days=1)
    assert caught.value.code == "stored_calendar_invalid"
    assert "2031.json" in caught.value.message


def test_stored_file_for_another_year_is_reported(tmp_path: Path, data_dir: Path) -> None:
    schedule = import_year(write(tmp_path, FAKE_2031))
    assert schedule.path is not None
    schedule.path.rename(data_dir / "calendar" / "2032.json")
    with pytest.raises(InputError) as caught:
        year_known(2032)
    assert caught.value.code == "stored_calendar_invalid"


def test_data_dir_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_text("", encoding="utf-8")
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(not_a_dir))
    # Nothing can have been imported there: the library still answers.
    assert deadline("2026-09-30T16:00:00+08:00", working_days=5)["due"] == "2026-10-13T23:59:59+08:00"
    with pytest.raises(InputError) as caught:
        import_year(write(tmp_path, FAKE_2031))
    assert caught.value.code == "write_failed"
