"""Where schedules come from and go: the chinesecalendar package, imported files, lookups, import.

A year's schedule comes from one of two places. The `chinesecalendar` package ships the
official schedules from 2004 to the last year it knows; an administrator imports a newer notice
(or a correction) into data_dir()/calendar/<year>.json with `soegov calendar import`. An
imported year wins over the package, so a new notice needs no package upgrade. A year that
neither holds falls back to plain weekends, and `year_known` says so: callers must report it.

`chinese_calendar` is imported only when a schedule is actually needed, because the CLI's
start-up time is benchmarked and most commands never look at a calendar.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from soegov.calendar.model import (
    IMPORTED,
    LIBRARY,
    LIBRARY_NAMES_ZH,
    MAKEUP_SUFFIX,
    NONE,
    Note,
    YearSchedule,
    display_name,
)
from soegov.calendar.model import calendar_error as _err
from soegov.calendar.parse import check_year, load_document, parse_schedule
from soegov.core.errors import InputError
from soegov.paths import data_dir, private_dir

_STORED_RE = re.compile(r"^(\d{4})\.json$")


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
            holidays.setdefault(d.year, {})[d] = LIBRARY_NAMES_ZH.get(name, name)
        for d, name in chinese_calendar.workdays.items():
            workdays.setdefault(d.year, {})[d] = LIBRARY_NAMES_ZH.get(name, name) + MAKEUP_SUFFIX
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


# ---------------------------------------------------------------- import and show


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader never sees a half-written file."""
    import tempfile  # lazy: it pulls in random, only an import writes files

    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
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
