"""Which days are working days in mainland China: the State Council holiday schedules by year.

A year's schedule comes from one of two places. The `chinesecalendar` package ships the
official schedules from 2004 to the last year it knows; an administrator imports a newer notice
(or a correction) into data_dir()/calendar/<year>.json with `soegov calendar import`. An
imported year wins over the package, so a new notice needs no package upgrade. A year that
neither holds falls back to plain weekends, and `year_known` says so: callers must report it.

`chinese_calendar` and `yaml` are imported only when a schedule is actually needed, because the
CLI's start-up time is benchmarked and most commands never look at a calendar.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from soegov.errors import InputError
from soegov.paths import data_dir

# The years the calendar works in. Asia/Shanghai had summer time until 1991, so "+08:00 always"
# holds only from 1992; the package starts at 2004 and no act of this system is older than 2000.
# Past 2999 a year is a typo, and the bound keeps date arithmetic far from datetime's limits.
MIN_YEAR = 2000
MAX_YEAR = 2999

LIBRARY = "library"
IMPORTED = "imported"
NONE = "none"

_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# chinesecalendar names its holidays in English; its own Chinese names are abbreviated
# (清明, 端午), so the full names used in official notices are kept here.
_LIBRARY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
_NAMES_EN = {zh: en for en, zh in _LIBRARY_NAMES_ZH.items()}
_MAKEUP_SUFFIX = "调休"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STORED_RE = re.compile(r"^(\d{4})\.json$")
_DOC_KEYS = ("year", "source", "holidays", "workdays")
# Written by import_year into the stored file; accepted back so a stored file re-validates.
_STORED_ONLY_KEYS = ("imported_at",)


class Record:
    """Base of the calendar's small data classes: repr and equality over their fields.

    Deliberately not @dataclass: importing dataclasses (it pulls in inspect) and generating the
    classes costs the `deadline` command some 30 ms of start-up, which is benchmarked.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    __hash__ = None  # type: ignore[assignment]  # mutable containers inside: not hashable


class Note(Record):
    """A remark attached to a result: a stable code and the same message in Chinese and English."""

    __slots__ = _fields = ("code", "zh", "en", "extra")

    def __init__(self, code: str, zh: str, en: str, extra: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.extra: Mapping[str, Any] = extra or {}

    def text(self, lang: str = "zh") -> str:
        """The message in the requested language."""
        return self.en if lang == "en" else self.zh

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form: {"code", "message", ...extra}."""
        return {"code": self.code, "message": self.text(lang), **self.extra}


class YearSchedule(Record):
    """One year's statutory holidays and make-up working days, and where they come from.

    `origin` is "library" (the chinesecalendar package) or "imported"; `document` is the
    State Council notice (the import file's `source`) or the package and its version.
    """

    __slots__ = _fields = (
        "year", "origin", "document", "holidays", "workdays", "warnings", "imported_at", "path",
    )

    def __init__(
        self,
        year: int,
        origin: str,
        document: str,
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
        warnings: tuple[Note, ...] = (),
        imported_at: str | None = None,
        path: Path | None = None,
    ) -> None:
        self.year = year
        self.origin = origin
        self.document = document
        self.holidays = holidays
        self.workdays = workdays
        self.warnings = warnings
        self.imported_at = imported_at
        self.path = path

    def is_workday(self, d: date) -> bool:
        """Whether `d` (a day of this year) is a working day under this schedule."""
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def name(self, d: date) -> str | None:
        """The holiday or make-up name of `d`, or None for an ordinary day."""
        return self.workdays.get(d) or self.holidays.get(d)

    def as_document(self) -> dict[str, Any]:
        """The import-file form of this schedule (what is stored under data_dir())."""
        doc: dict[str, Any] = {
            "year": self.year,
            "source": self.document,
            "holidays": {d.isoformat(): n for d, n in sorted(self.holidays.items())},
            "workdays": {d.isoformat(): n for d, n in sorted(self.workdays.items())},
        }
        if self.imported_at:
            doc["imported_at"] = self.imported_at
        return doc


# ---------------------------------------------------------------- the chinesecalendar package

_library_cache: dict[int, YearSchedule] | None = None


def _library() -> dict[int, YearSchedule]:
    """Every year the chinesecalendar package holds, converted once per process."""
    global _library_cache
    if _library_cache is None:
        import chinese_calendar  # lazy: about 5 ms, only for commands that count days

        version = str(getattr(chinese_calendar, "__version__", "")).strip()
        document = f"chinesecalendar {version}".strip()
        holidays: dict[int, dict[date, str]] = {}
        workdays: dict[int, dict[date, str]] = {}
        for d, name in chinese_calendar.holidays.items():
            holidays.setdefault(d.year, {})[d] = _LIBRARY_NAMES_ZH.get(name, name)
        for d, name in chinese_calendar.workdays.items():
            workdays.setdefault(d.year, {})[d] = _LIBRARY_NAMES_ZH.get(name, name) + _MAKEUP_SUFFIX
        # A year counts as held only if it has holidays: every real year does, and a package
        # that lists a lone make-up day of next year has not published next year's schedule.
        _library_cache = {
            year: YearSchedule(year, LIBRARY, document, days, workdays.get(year, {}))
            for year, days in holidays.items()
        }
    return _library_cache


def library_years() -> list[int]:
    """The years the chinesecalendar package holds."""
    return sorted(_library())


# ---------------------------------------------------------------- imported schedules

_stored_cache: dict[Path, tuple[tuple[int, int, int], YearSchedule]] = {}


def calendar_dir() -> Path:
    """Where imported schedules are stored: data_dir()/calendar."""
    return data_dir() / "calendar"


def stored_path(year: int) -> Path:
    """The file an imported schedule for `year` is stored in."""
    return calendar_dir() / f"{year}.json"


def imported_years() -> list[int]:
    """The years with an imported schedule file."""
    try:
        names = os.listdir(calendar_dir())
    except (FileNotFoundError, NotADirectoryError):  # nothing imported yet
        return []
    except OSError as exc:
        raise _stored_error(calendar_dir(), str(exc)) from exc
    years = []
    for name in names:
        match = _STORED_RE.match(name)
        if match:
            years.append(int(match.group(1)))
    return sorted(years)


def _stored_error(path: Path, detail: str) -> InputError:
    """The error for a stored schedule that cannot be used: the administrator must fix it."""
    return InputError(
        "stored_calendar_invalid",
        f"已导入的节假日安排文件 {path} 无法使用：{detail}；请重新导入该年安排。",
        None,
        f"the imported holiday schedule {path} cannot be used: {detail}; import that year again.",
    )


def imported_schedule(year: int) -> YearSchedule | None:
    """The imported schedule of `year`, or None; re-read only when the file changes."""
    path = stored_path(year)
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        _stored_cache.pop(path, None)
        return None
    except OSError as exc:
        raise _stored_error(path, str(exc)) from exc
    # The inode changes on every import (atomic replace), even within one mtime tick.
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    cached = _stored_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        schedule = parse_schedule(doc, origin=IMPORTED, path=path)
    except InputError as exc:
        raise _stored_error(path, exc.message) from exc
    except (OSError, ValueError) as exc:
        raise _stored_error(path, str(exc)) from exc
    if schedule.year != year:
        raise _stored_error(path, f"文件中的年份是 {schedule.year}")
    _stored_cache[path] = (stamp, schedule)
    return schedule


# ---------------------------------------------------------------- lookups


def schedule_for(year: int) -> YearSchedule | None:
    """The schedule in force for `year`: imported first, then the package; None if neither."""
    return imported_schedule(year) or _library().get(year)


class CalendarView:
    """One consistent look at the held schedules for one computation (each year read once)."""

    def __init__(self) -> None:
        self._years: dict[int, YearSchedule | None] = {}

    def schedule(self, year: int) -> YearSchedule | None:
        """The schedule of `year`, or None when no schedule is held for it."""
        if year not in self._years:
            self._years[year] = schedule_for(year)
        return self._years[year]

    def is_workday(self, d: date) -> bool:
        """Whether `d` is a working day; plain weekends in a year without a schedule."""
        schedule = self.schedule(d.year)
        return schedule.is_workday(d) if schedule else d.weekday() < 5

    def name(self, d: date) -> str | None:
        """The holiday or make-up name of `d`, if its year's schedule gives one."""
        schedule = self.schedule(d.year)
        return schedule.name(d) if schedule else None


def is_workday(d: date) -> bool:
    """Whether `d` is a working day in mainland China (plain weekends outside known years)."""
    if isinstance(d, datetime):
        d = d.date()
    return CalendarView().is_workday(d)


def year_known(year: int) -> bool:
    """Whether an official schedule (imported or from the package) is held for `year`."""
    return schedule_for(year) is not None


def known_years() -> list[int]:
    """Every year with a held schedule, imported or from the package, ascending."""
    return sorted(set(library_years()) | set(imported_years()))


def display_name(name: str, lang: str = "zh") -> str:
    """A holiday or make-up name in the requested language (imported names stay as given)."""
    if lang != "en":
        return name
    if name in _NAMES_EN:
        return _NAMES_EN[name]
    if name.endswith(_MAKEUP_SUFFIX) and name[: -len(_MAKEUP_SUFFIX)] in _NAMES_EN:
        return _NAMES_EN[name[: -len(_MAKEUP_SUFFIX)]] + " make-up workday"
    return name


def weekday_name(d: date, lang: str = "zh") -> str:
    """The day of the week of `d`, in Chinese or English."""
    return (_WEEKDAYS_EN if lang == "en" else _WEEKDAYS_ZH)[d.weekday()]


# ---------------------------------------------------------------- validation


def _err(code: str, path: str | None, zh: str, en: str) -> InputError:
    return InputError(code, zh, path, en)


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
    imported_at = doc.get("imported_at")
    return YearSchedule(
        year=year,
        origin=origin,
        document=source.strip(),
        holidays=holidays,
        workdays=workdays,
        warnings=tuple(warnings),
        imported_at=imported_at if isinstance(imported_at, str) else None,
        path=path,
    )


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


# ---------------------------------------------------------------- import and show


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader never sees a half-written file."""
    import tempfile  # lazy: it pulls in random, only an import writes files

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; the web app may run as another user and must read it.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_year(path: str | Path) -> YearSchedule:
    """Validate a schedule file (YAML or JSON) and store it as that year's imported schedule."""
    schedule = parse_schedule(load_document(path), origin=IMPORTED)
    target = stored_path(schedule.year)
    notes = list(schedule.warnings)
    if schedule.year in _library():
        notes.append(
            Note(
                "overrides_library",
                f"{schedule.year} 年的导入安排将取代 chinesecalendar 库中的数据",
                f"the imported {schedule.year} schedule replaces the chinesecalendar package's data",
            )
        )
    if target.exists():
        notes.append(
            Note(
                "replaces_import",
                f"替换了此前导入的 {schedule.year} 年安排",
                f"replaces the {schedule.year} schedule imported earlier",
            )
        )
    stamp = datetime.now(timezone(timedelta(hours=8))).isoformat(timespec="seconds")
    stored = YearSchedule(
        schedule.year, IMPORTED, schedule.document, schedule.holidays, schedule.workdays,
        tuple(notes), stamp, target,
    )
    try:
        _write_atomically(target, json.dumps(stored.as_document(), ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _err(
            "write_failed", None, f"无法保存到 {target}：{reason}", f"cannot save to {target}: {reason}"
        ) from None
    return stored


def show_year(year: int, lang: str = "zh") -> dict[str, Any]:
    """A year's holidays, make-up workdays and source ("library", "imported" or "none")."""
    year = check_year(year)
    schedule = schedule_for(year)
    if schedule is None:
        return {
            "year": year,
            "source": NONE,
            "document": None,
            "calendar_complete": False,
            "holidays": {},
            "workdays": {},
            "notes": [
                Note(
                    "calendar_incomplete",
                    f"未掌握 {year} 年的国务院节假日安排：该年只按周六、周日休息计算。"
                    "通知发布后请用 soegov calendar import 导入。",
                    f"no official holiday schedule is held for {year}: only Saturdays and Sundays "
                    "count as rest days. Import the notice with soegov calendar import once it is out.",
                    {"years": [year]},
                ).as_dict(lang)
            ],
        }
    notes = []
    if schedule.origin == IMPORTED and year in _library():
        notes.append(
            Note(
                "overrides_library",
                f"导入的安排取代了 chinesecalendar 库中的 {year} 年数据",
                f"the imported schedule replaces the chinesecalendar package's {year} data",
            ).as_dict(lang)
        )
    result: dict[str, Any] = {
        "year": year,
        "source": schedule.origin,
        "document": schedule.document,
        "calendar_complete": True,
        "holidays": {d.isoformat(): display_name(n, lang) for d, n in sorted(schedule.holidays.items())},
        "workdays": {d.isoformat(): display_name(n, lang) for d, n in sorted(schedule.workdays.items())},
        "notes": notes,
    }
    if schedule.imported_at:
        result["imported_at"] = schedule.imported_at
    return result


def list_years() -> list[dict[str, Any]]:
    """Every held year with its source and document, ascending."""
    rows = []
    for year in known_years():
        schedule = schedule_for(year)
        if schedule is None:  # a stored file removed between the listing and the read
            continue
        row: dict[str, Any] = {"year": year, "source": schedule.origin, "document": schedule.document}
        if schedule.origin == IMPORTED:
            row["overrides_library"] = year in _library()
        rows.append(row)
    return rows
