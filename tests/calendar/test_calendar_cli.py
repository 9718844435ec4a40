"""`soegov deadline` and `soegov calendar …` through the real dispatcher: output, exit status, errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from soegov.cli import main

EXAMPLE = ["--from", "2026-09-30T16:00:00+08:00", "--working-days", "5"]
FAKE_2031 = {
    "year": 2031,
    "source": "TEST ONLY — not a real State Council notice",
    "holidays": {"2031-01-01": "测试假日"},
    "workdays": {"2031-01-04": "测试调休"},
}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SOEGOV_DATA_DIR for every test."""
    path = tmp_path / "data"
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    status, out, err = run(capsys, *argv, "--json")
    return status, json.loads(out), err


def test_deadline_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, doc, err = run_json(capsys, "deadline", *EXAMPLE)
    assert status == 0 and err == ""
    assert doc["due"] == "2026-10-13T23:59:59+08:00"
    assert doc["skipped"][-1] == "2026-10-11" and len(doc["skipped"]) == 8


def test_deadline_report_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "deadline", *EXAMPLE)
    assert status == 0
    assert "截止时间：2026-10-13 23:59:59 星期二" in out
    assert "2026-10-01 星期四  国庆节" in out
    assert "2026-10-11 星期日  周末" in out
    status, out, _ = run(capsys, "deadline", *EXAMPLE, "--lang", "en")
    assert status == 0
    assert "Due:   2026-10-13 23:59:59 Tuesday" in out
    assert "2026-10-01 Thursday  National Day" in out


def test_deadline_report_warns_when_incomplete(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "deadline", "--from", "2026-12-28T10:00", "--working-days", "10")
    assert status == 0
    assert "警告：未掌握 2027 年" in out


def test_deadline_hours(capsys: pytest.CaptureFixture[str]) -> None:
    status, doc, _ = run_json(capsys, "deadline", "--from", "2026-09-30T20:00", "--hours", "12")
    assert status == 0 and doc["due"] == "2026-10-01T08:00:00+08:00" and doc["hours"] == 12
    status, out, _ = run(capsys, "deadline", "--from", "2026-09-30T20:00", "--hours", "12")
    assert "12 个自然小时" in out


def test_deadline_from_file_and_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = {"from": "2026-09-30T16:00:00+08:00", "working_days": 5}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, from_file, _ = run_json(capsys, "deadline", str(path))
    assert status == 0 and from_file["due"] == "2026-10-13T23:59:59+08:00"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(doc).encode())))
    status, from_stdin, _ = run_json(capsys, "deadline", "-")
    assert status == 0 and from_stdin == from_file


BAD_ARGS = [
    (["--from", "2026-09-30", "--working-days", "-1"], "out_of_range", "working_days"),
    (["--from", "2026-09-30", "--working-days", "100000"], "out_of_range", "working_days"),
    (["--from", "2026-09-30", "--working-days", "2.5"], "not_an_integer", "working_days"),
    (["--from", "2026-09-30", "--working-days", "五"], "not_an_integer", "working_days"),
    (["--from", "2026-09-30", "--hours", "x"], "not_an_integer", "hours"),
    (["--from", "2026-09-30", "--working-days", "1", "--hours", "1"], "conflicting_fields", "hours"),
    (["--from", "2026-09-30"], "missing_field", "working_days"),
    (["--working-days", "5"], "missing_field", "from"),
    (["--from", "next tuesday", "--working-days", "5"], "invalid_datetime", "from"),
    (["--from", "2026-13-01", "--working-days", "5"], "invalid_datetime", "from"),
    (["--from", "1999-01-01", "--working-days", "5"], "out_of_range", "from"),
]


@pytest.mark.parametrize(("args", "code", "path"), BAD_ARGS)
def test_deadline_bad_flags(capsys: pytest.CaptureFixture[str], args: list[str], code: str, path: str) -> None:
    status, doc, err = run_json(capsys, "deadline", *args)
    assert status == 2
    assert doc["error"]["code"] == code and doc["error"]["path"] == path and doc["error"]["message"]
    assert err.count("\n") == 1 and err.startswith("soegov deadline：错误：") and code not in err


BAD_FILES: list[tuple[str | bytes | None, str, str | None]] = [
    ('{"from": "2026-09-30", "working_days": true}', "not_an_integer", "working_days"),
    ('{"from": "2026-09-30", "working_days": "5"}', "not_an_integer", "working_days"),
    ('{"from": "2026-09-30", "working_days": 5.0}', "not_an_integer", "working_days"),
    ('{"from": "2026-09-30", "hours": 1e400}', "not_an_integer", "hours"),
    ('{"from": "2026-09-30", "working_days": 5, "extra": 1}', "unknown_field", "extra"),
    ('{"from": "2026-09-30", "working_days": 5, "from": "2026-10-01"}', "duplicate_key", "from"),
    ('{"working_days": 5}', "missing_field", "from"),
    ("[1, 2]", "invalid_document", None),
    ('{"from": "2026-09-30", ', "invalid_json", None),
    ("[" * 100000, "invalid_json", None),
    ("", "invalid_json", None),
    (b"\xff\xfe{}", "file_unreadable", None),
    (None, "file_unreadable", None),  # the file does not exist
]


@pytest.mark.parametrize(("content", "code", "path"), BAD_FILES)
def test_deadline_bad_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | bytes | None, code: str, path: str | None
) -> None:
    file = tmp_path / "in.json"
    if isinstance(content, bytes):
        file.write_bytes(content)
    elif content is not None:
        file.write_text(content, encoding="utf-8")
    status, doc, err = run_json(capsys, "deadline", str(file))
    assert status == 2
    assert (doc["error"]["code"], doc["error"]["path"]) == (code, path)
    assert err.count("\n") == 1 and "Traceback" not in err


def test_deadline_file_and_flags_conflict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = tmp_path / "in.json"
    file.write_text('{"from": "2026-09-30", "working_days": 5}', encoding="utf-8")
    status, doc, _ = run_json(capsys, "deadline", str(file), "--hours", "3")
    assert status == 2 and doc["error"]["code"] == "conflicting_input"


def test_error_without_json_is_one_line_on_stderr_only(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "deadline", "--from", "x", "--working-days", "1", "--lang", "en")
    assert status == 2 and out == ""
    assert err.startswith("soegov deadline: error: ") and err.count("\n") == 1


def test_calendar_import_show_years(capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "2031.json"
    source.write_text(json.dumps(FAKE_2031, ensure_ascii=False), encoding="utf-8")
    status, out, _ = run(capsys, "calendar", "import", str(source))
    assert status == 0
    assert "已导入 2031 年节假日安排" in out and str(data_dir / "calendar" / "2031.json") in out

    status, doc, _ = run_json(capsys, "calendar", "show", "2031")
    assert status == 0
    assert doc["source"] == "imported" and doc["holidays"] == FAKE_2031["holidays"]

    status, doc, _ = run_json(capsys, "calendar", "years")
    assert status == 0
    years = {row["year"]: row for row in doc["years"]}
    assert years[2026]["source"] == "library" and years[2031]["source"] == "imported"
    assert 2027 not in years

    status, out, _ = run(capsys, "calendar", "years")
    assert "2004–2026" in out and "2031" in out and "导入" in out


def test_calendar_import_json_output_carries_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = {**FAKE_2031, "holidays": {"2031-01-01": "测试假日", "2031-01-05": "测试假日"}}
    source = tmp_path / "2031.yaml"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")  # JSON is valid YAML
    status, out, _ = run_json(capsys, "calendar", "import", str(source))
    assert status == 0
    assert out["year"] == 2031 and out["path"].endswith("2031.json")
    assert [w["code"] for w in out["warnings"]] == ["holiday_on_weekend"]


def test_calendar_show_library_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "calendar", "show", "2026")
    assert status == 0
    assert "2026-10-10 星期六  国庆节调休" in out and "chinesecalendar" in out
    status, doc, _ = run_json(capsys, "calendar", "show", "2027")
    assert status == 0 and doc["source"] == "none" and doc["calendar_complete"] is False


@pytest.mark.parametrize(
    ("argv", "code", "path"),
    [
        (["calendar", "show", "twenty"], "invalid_year", "year"),
        (["calendar", "show", "1999"], "invalid_year", "year"),
        (["calendar", "import", "/nonexistent/2031.yaml"], "file_unreadable", None),
    ],
)
def test_calendar_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], code: str, path: str | None) -> None:
    status, doc, err = run_json(capsys, *argv)
    assert status == 2 and (doc["error"]["code"], doc["error"]["path"]) == (code, path)
    assert err.count("\n") == 1


def test_calendar_import_bad_date(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(
        "year: 2031\nsource: test only\nholidays:\n  '2031-02-30': x\nworkdays: {}\n", encoding="utf-8"
    )
    status, doc, err = run_json(capsys, "calendar", "import", str(source))
    assert status == 2
    assert doc["error"]["path"] == "holidays.2031-02-30" and doc["error"]["code"] == "invalid_date"
    assert "2031-02-30" in err


def test_calendar_without_subcommand_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "calendar")
    assert status == 2 and "import" in err


def _subprocess_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SOEGOV_DATA_DIR"] = str(data_dir)
    return env


def test_subprocess_bad_input_exit_2_without_traceback(data_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "soegov", "deadline", "--from", "2026-02-30", "--working-days", "5", "--json"],
        capture_output=True,
        text=True,
        env=_subprocess_env(data_dir),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["path"] == "from"
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_subprocess_stdin_document(data_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "soegov", "deadline", "-", "--json"],
        input='{"from": "2026-09-30T16:00:00+08:00", "working_days": 5}',
        capture_output=True,
        text=True,
        env=_subprocess_env(data_dir),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["due"] == "2026-10-13T23:59:59+08:00"


def test_registering_commands_imports_nothing_heavy() -> None:
    # The dispatcher's start-up is benchmarked: registering the calendar's commands may load only
    # the calendar's cli module itself (checked in a fresh interpreter, apart from other areas).
    code = (
        "import argparse, sys; before = set(sys.modules); "
        "import soegov.calendar.cli as c; c.add_commands(argparse.ArgumentParser().add_subparsers()); "
        "print(sorted(set(sys.modules) - before))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(proc.stdout.replace("'", '"')))
    assert {m for m in loaded if m.startswith("soegov")} == {"soegov", "soegov.calendar", "soegov.calendar.cli"}
    heavy = {"chinese_calendar", "yaml", "zoneinfo", "dataclasses", "json", "datetime", "typing"}
    assert not loaded & heavy
