"""Reading and validating holiday-schedule documents (the files `soegov calendar import` takes).

Every fault is an InputError naming the field, in Chinese and English; a valid document becomes a
YearSchedule. `yaml` is imported only for a YAML file, as the CLI's start-up time is benchmarked.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from soegov.calendar.model import IMPORTED, MAX_YEAR, MIN_YEAR, Note, YearSchedule, weekday_name
from soegov.calendar.model import calendar_error as _err

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOC_KEYS = ("year", "source", "holidays", "workdays")
# Written by import_year into the stored file; accepted back so a stored file re-validates.
_STORED_ONLY_KEYS = ("imported_at",)


def check_year(value: Any, path: str = "year") -> int:
    """`value` as a calendar year in the supported range, or an InputError naming `path`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err("invalid_year", path, f"{path} 必须是整数年份", f"{path} must be an integer year")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _err(
            "invalid_year",
            path,
            f"{path} 须在 {MIN_YEAR}–{MAX_YEAR} 之间，收到 {value}",
            f"{path} must be between {MIN_YEAR} and {MAX_YEAR}, got {value}",
        )
    return value


def _parse_day(key: Any, year: int, section: str) -> date:
    """A date key of `holidays` or `workdays`: YYYY-MM-DD inside `year`."""
    path = f"{section}.{key}"
    if isinstance(key, datetime):
        raise _err("invalid_date", path, f"{path}：应为日期 YYYY-MM-DD，不是时间", f"{path}: expected a date YYYY-MM-DD, not a time")
    if isinstance(key, date):  # YAML reads an unquoted 2027-01-01 as a date
        day = key
    else:
        text = str(key)
        try:
            if not _DATE_RE.match(text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            raise _err(
                "invalid_date",
                path,
                f"{path}：“{text}”不是有效日期（格式 YYYY-MM-DD）",
                f"{path}: '{text}' is not a valid date (format YYYY-MM-DD)",
            ) from None
    if day.year != year:
        raise _err(
            "date_outside_year",
            path,
            f"{path}：日期不在 {year} 年内",
            f"{path}: the date is not in {year}",
        )
    return day


def _parse_days(doc: Mapping[str, Any], section: str, year: int) -> dict[date, str]:
    """One of the two date → name sections of a schedule document."""
    if section not in doc:
        raise _err(
            "missing_field",
            section,
            f"缺少 {section}（日期到名称的映射；没有时写 {{}}）",
            f"{section} is missing (a mapping of date to name; write {{}} if there are none)",
        )
    raw = doc[section]
    if not isinstance(raw, Mapping):
        raise _err(
            "invalid_field",
            section,
            f"{section} 必须是日期到名称的映射",
            f"{section} must be a mapping of date to name",
        )
    days: dict[date, str] = {}
    for key, name in raw.items():
        day = _parse_day(key, year, section)
        path = f"{section}.{day.isoformat()}"
        if day in days:
            raise _err("duplicate_date", path, f"{path}：日期重复", f"{path}: the date is given twice")
        if not isinstance(name, str) or not name.strip() or "\n" in name:
            raise _err(
                "invalid_name",
                path,
                f"{path}：名称必须是非空的单行文字",
                f"{path}: the name must be a non-empty single line of text",
            )
        days[day] = name.strip()
    return days


def parse_schedule(doc: Any, *, origin: str = IMPORTED, path: Path | None = None) -> YearSchedule:
    """Validate a schedule document ({"year", "source", "holidays", "workdays"}) into a YearSchedule."""
    if not isinstance(doc, Mapping):
        raise _err(
            "invalid_document",
            None,
            "节假日安排必须是一个对象：{year, source, holidays, workdays}",
            "a holiday schedule must be an object: {year, source, holidays, workdays}",
        )
    for key in doc:
        if key not in _DOC_KEYS and key not in _STORED_ONLY_KEYS:
            raise _err(
                "unknown_field",
                str(key),
                f"未知字段 {key}（可用：{', '.join(_DOC_KEYS)}）",
                f"unknown field {key} (allowed: {', '.join(_DOC_KEYS)})",
            )
    if "year" not in doc:
        raise _err("missing_field", "year", "缺少 year", "year is missing")
    year = check_year(doc["year"])
    source = doc.get("source")
    if not isinstance(source, str) or not source.strip() or "\n" in source:
        raise _err(
            "invalid_source",
            "source",
            "source 必须写明国务院办公厅通知的文号或标题（单行文字）",
            "source must name the State Council notice (number or title, one line)",
        )
    holidays = _parse_days(doc, "holidays", year)
    workdays = _parse_days(doc, "workdays", year)
    if not holidays:
        raise _err(
            "empty_holidays",
            "holidays",
            "holidays 为空：每年都有法定节假日，请按通知填写",
            "holidays is empty: every year has statutory holidays; copy them from the notice",
        )
    warnings = _schedule_warnings(holidays, workdays)
    imported_at = doc.get("imported_at")
    return YearSchedule(
        year=year,
        origin=origin,
        document=source.strip(),
        holidays=holidays,
        workdays=workdays,
        warnings=warnings,
        imported_at=imported_at if isinstance(imported_at, str) else None,
        path=path,
    )


def _schedule_warnings(holidays: Mapping[date, str], workdays: Mapping[date, str]) -> tuple[Note, ...]:
    """Refuse a day listed both ways; warn of holidays on weekends and make-up days on weekdays."""
    warnings: list[Note] = []
    for day in sorted(holidays):
        if day in workdays:
            p = f"workdays.{day.isoformat()}"
            raise _err(
                "holiday_and_workday",
                p,
                f"{p}：同一天不能既是节假日又是调休工作日",
                f"{p}: a day cannot be both a holiday and a make-up workday",
            )
        if day.weekday() >= 5:
            warnings.append(
                Note(
                    "holiday_on_weekend",
                    f"holidays.{day.isoformat()}：{weekday_name(day)}本就休息，列为节假日不改变计算",
                    f"holidays.{day.isoformat()}: a {weekday_name(day, 'en')} is a rest day anyway; "
                    "listing it changes no count",
                    {"path": f"holidays.{day.isoformat()}"},
                )
            )
    for day in sorted(workdays):
        if day.weekday() < 5:
            warnings.append(
                Note(
                    "workday_on_weekday",
                    f"workdays.{day.isoformat()}：{weekday_name(day)}本就上班，调休工作日通常是周末，请核对",
                    f"workdays.{day.isoformat()}: a {weekday_name(day, 'en')} is a working day anyway; "
                    "make-up workdays are normally weekend days, please check",
                    {"path": f"workdays.{day.isoformat()}"},
                )
            )
    return tuple(warnings)


# ---------------------------------------------------------------- reading import files


def read_text(source: str | Path) -> str:
    """The text of a file, or of standard input for "-"; unreadable input is an InputError."""
    try:
        data = sys.stdin.buffer.read() if str(source) == "-" else Path(source).read_bytes()
        # utf-8-sig: files saved by Windows Notepad start with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _err(
            "file_unreadable", None, f"{source}：不是 UTF-8 编码的文本", f"{source}: not UTF-8 text"
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _err(
            "file_unreadable", None, f"无法读取 {source}：{reason}", f"cannot read {source}: {reason}"
        ) from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json object hook: a key given twice is an error, not a silent last-one-wins."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _err("duplicate_key", key, f"键 {key} 重复", f"the key {key} is given twice")
        result[key] = value
    return result


def parse_json(text: str, name: str) -> Any:
    """Parse JSON text; a syntax error is an InputError giving the line and column."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _err(
            "invalid_json",
            None,
            f"{name} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}",
            f"{name} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _err("invalid_json", None, f"{name} 不是有效的 JSON：{exc}", f"{name} is not valid JSON: {exc}") from None


def _parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text safely, rejecting a key given twice (PyYAML would keep the last)."""
    import yaml  # lazy: about 20 ms, needed only for YAML imports

    class _StrictLoader(yaml.SafeLoader):
        pass

    def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                shown = key.isoformat() if isinstance(key, date) else key
                raise _err("duplicate_key", str(shown), f"键 {shown} 重复", f"the key {shown} is given twice")
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    _StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
        where_en = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        raise _err(
            "invalid_yaml",
            None,
            f"{name} 不是有效的 YAML：{where}{exc.problem}",
            f"{name} is not valid YAML: {where_en}{exc.problem}",
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise _err("invalid_yaml", None, f"{name} 不是有效的 YAML：{exc}", f"{name} is not valid YAML: {exc}") from None


def load_document(source: str | Path) -> Any:
    """Read a schedule file: JSON for *.json, otherwise YAML (which also reads JSON)."""
    text = read_text(source)
    name = "标准输入" if str(source) == "-" else str(source)
    if str(source).lower().endswith(".json"):
        return parse_json(text, name)
    return _parse_yaml(text, name)
