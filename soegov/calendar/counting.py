"""Deadlines in working days or natural hours, as the rules engine's `deadline` contract defines.

Rules (CONTRACT.md section 3, and the choices it leaves open):

- Everything is in Asia/Shanghai. A naive datetime is read as Shanghai time; an aware one is
  converted; a date alone ("2026-09-30") is read as 00:00 that day, the earliest moment it can
  mean, so an hours deadline is never later than the true one. Sub-second precision is dropped.
- N working days: counting starts on the next working day after `from` (the day of `from` never
  counts, whatever its time); the due time is 23:59:59 of the Nth working day. 0 working days
  means "the same day": due at 23:59:59 of `from`'s own day. So adding n and then m working days
  always equals adding n + m.
- `skipped` lists the rest days (weekends, statutory holidays) passed over between `from` and the
  due day. A make-up Saturday (调休) is a working day and is counted.
- `calendar_complete` is false when a day whose status the count depended on lies in a year with
  no held schedule; those years count plain weekends and a note names them. Natural hours never
  depend on the calendar, so an hours deadline is always complete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from soegov.calendar.model import IMPORTED, MAX_YEAR, MIN_YEAR, Note, Record
from soegov.calendar.store import CalendarView
from soegov.core.errors import InputError
from soegov.core.time import SHANGHAI

END_OF_DAY = time(23, 59, 59)

# Four years of working days and one leap year of hours: regulations state longer periods in
# months or years, so a larger number is a typo, and the bound keeps dates far from datetime's end.
MAX_WORKING_DAYS = 1000
MAX_HOURS = 8784

_DATE_ONLY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOC_KEYS = ("from", "working_days", "hours")


class DeadlineResult(Record):
    """A computed deadline: due time, whether the calendar was complete, rest days passed over."""

    __slots__ = _fields = ("start", "due", "calendar_complete", "skipped", "notes", "working_days", "hours")

    def __init__(
        self,
        start: datetime,
        due: datetime,
        calendar_complete: bool,
        skipped: list[date] | None = None,
        notes: list[Note] | None = None,
        working_days: int | None = None,
        hours: int | None = None,
    ) -> None:
        self.start = start
        self.due = due
        self.calendar_complete = calendar_complete
        self.skipped: list[date] = skipped if skipped is not None else []
        self.notes: list[Note] = notes if notes is not None else []
        self.working_days = working_days
        self.hours = hours

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The contract JSON of this deadline."""
        result: dict[str, Any] = {"from": self.start.isoformat()}
        if self.working_days is not None:
            result["working_days"] = self.working_days
        else:
            result["hours"] = self.hours
        result["due"] = self.due.isoformat()
        result["calendar_complete"] = self.calendar_complete
        result["skipped"] = [d.isoformat() for d in self.skipped]
        result["notes"] = [note.as_dict(lang) for note in self.notes]
        return result


def _err(code: str, path: str | None, zh: str, en: str) -> InputError:
    return InputError(code, zh, path, en)


def _in_range(moment: datetime) -> datetime:
    """`moment` if its year is one the system computes deadlines for."""
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise _err(
            "out_of_range",
            "from",
            f"from 的年份须在 {MIN_YEAR}–{MAX_YEAR} 之间",
            f"the year of from must be between {MIN_YEAR} and {MAX_YEAR}",
        )
    return moment


def to_shanghai(moment: datetime) -> datetime:
    """`moment` in Asia/Shanghai; a naive datetime is taken to be Shanghai time already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    elif moment.year in (1, 9999):
        # Converting near datetime's limits can overflow; such a year is rejected below anyway.
        return _in_range(moment)
    else:
        moment = moment.astimezone(SHANGHAI)
    return _in_range(moment.replace(microsecond=0))


def parse_from(value: Any) -> tuple[datetime, bool]:
    """The `from` of a deadline as a Shanghai datetime, and whether it was a date alone."""
    if isinstance(value, datetime):
        return to_shanghai(value), False
    if isinstance(value, date):
        return to_shanghai(datetime.combine(value, time())), True
    if not isinstance(value, str):
        raise _err(
            "invalid_datetime",
            "from",
            "from 必须是 ISO 8601 日期时间字符串，例如 2026-09-30T16:00:00+08:00",
            "from must be an ISO 8601 date-time string, e.g. 2026-09-30T16:00:00+08:00",
        )
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "…"  # the message stays one short line
        raise _err(
            "invalid_datetime",
            "from",
            f"from：“{shown}”不是有效的日期时间，应写作 2026-09-30T16:00:00+08:00 或 2026-09-30",
            f"from: '{shown}' is not a valid date-time; write 2026-09-30T16:00:00+08:00 or 2026-09-30",
        ) from None
    return to_shanghai(parsed), bool(_DATE_ONLY_RE.match(text))


def check_count(value: Any, path: str, maximum: int) -> int:
    """`value` as a whole number 0..maximum (a bool is not a number), or an InputError on `path`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(
            "not_an_integer",
            path,
            f"{path} 必须是整数",
            f"{path} must be a whole number",
        )
    if not 0 <= value <= maximum:
        shown = value if abs(value) < 10**12 else "…"  # keep the one-line message short
        raise _err(
            "out_of_range",
            path,
            f"{path} 须在 0–{maximum} 之间，收到 {shown}",
            f"{path} must be between 0 and {maximum}, got {shown}",
        )
    return value


def _start(start: Any) -> datetime:
    """The start of an add_* call: a datetime (naive means Shanghai) or a date."""
    if not isinstance(start, date):
        raise _err("invalid_datetime", "from", "from 必须是日期时间", "from must be a date-time")
    return parse_from(start)[0]


def _counting_notes(n: int, unknown: set[int], imported: dict[int, str]) -> list[Note]:
    """What a working-day count says about itself: a zero count, years without a schedule, imported years."""
    notes: list[Note] = []
    if n == 0:
        notes.append(
            Note(
                "same_day",
                "0 个工作日：截止于起算当日 23:59:59。",
                "0 working days: due at 23:59:59 of the starting day.",
            )
        )
    if unknown:
        years = sorted(unknown)
        shown = "、".join(str(y) for y in years)
        shown_en = ", ".join(str(y) for y in years)
        notes.append(
            Note(
                "calendar_incomplete",
                f"未掌握 {shown} 年的国务院节假日安排：该年只按周六、周日休息计算，截止时间可能不准。"
                "通知发布后请管理员用 soegov calendar import 导入，再重新计算。",
                f"no official holiday schedule is held for {shown_en}: only Saturdays and Sundays were "
                "treated as rest days there, so the due date may be wrong. Import the State Council "
                "notice with soegov calendar import and compute again.",
                {"years": years},
            )
        )
    for year, document in sorted(imported.items()):
        notes.append(
            Note(
                "imported_schedule",
                f"{year} 年按导入的节假日安排计算（{document}）。",
                f"{year} was counted with the imported holiday schedule ({document}).",
                {"year": year},
            )
        )
    return notes


def add_working_days(start: datetime, n: int) -> DeadlineResult:
    """The deadline `n` working days after `start`: 23:59:59 Shanghai time of the nth working day."""
    begin = _start(start)
    n = check_count(n, "working_days", MAX_WORKING_DAYS)
    view = CalendarView()
    day = begin.date()
    counted = 0
    skipped: list[date] = []
    unknown: set[int] = set()
    imported: dict[int, str] = {}
    while counted < n:
        day += timedelta(days=1)
        schedule = view.schedule(day.year)
        if schedule is None:
            unknown.add(day.year)
        elif schedule.origin == IMPORTED:
            imported[day.year] = schedule.document
        if view.is_workday(day):
            counted += 1
        else:
            skipped.append(day)
    notes = _counting_notes(n, unknown, imported)
    return DeadlineResult(
        start=begin,
        due=datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI),
        calendar_complete=not unknown,
        skipped=skipped,
        notes=notes,
        working_days=n,
    )


def add_hours(start: datetime, n: int) -> DeadlineResult:
    """The deadline `n` natural hours after `start` (weekends and holidays count like any hour)."""
    begin = _start(start)
    n = check_count(n, "hours", MAX_HOURS)
    due = (begin + timedelta(hours=n)).astimezone(SHANGHAI)
    note = Note(
        "natural_hours",
        "按自然小时计算：夜间、周末和节假日照常计入。",
        "natural hours: nights, weekends and holidays count like any other hour.",
    )
    return DeadlineResult(start=begin, due=due, calendar_complete=True, notes=[note], hours=n)


def deadline(
    start: datetime | str,
    *,
    working_days: int | None = None,
    hours: int | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    """The contract JSON of a deadline from `start`: exactly one of working_days or hours."""
    if lang not in ("zh", "en"):
        raise _err("invalid_lang", "lang", "lang 只能是 zh 或 en", "lang must be zh or en")
    if working_days is not None and hours is not None:
        raise _err(
            "conflicting_fields",
            "hours",
            "working_days 与 hours 只能给出其一",
            "give working_days or hours, not both",
        )
    begin, date_only = parse_from(start)
    if hours is not None:
        result = add_hours(begin, hours)
    elif working_days is not None:
        result = add_working_days(begin, working_days)
    else:
        raise _err(
            "missing_field",
            "working_days",
            "需要给出 working_days（工作日）或 hours（小时）之一",
            "give one of working_days or hours",
        )
    if date_only:
        result.notes.insert(
            0,
            Note(
                "date_only",
                "from 只给了日期，按当日 00:00（北京时间）起算。",
                "from gave a date only; it is read as 00:00 China Standard Time that day.",
            ),
        )
    return result.as_dict(lang)


def deadline_from_doc(doc: Mapping[str, Any], lang: str = "zh") -> dict[str, Any]:
    """The contract JSON of a deadline document {"from", "working_days" | "hours"}."""
    if not isinstance(doc, Mapping):
        raise _err(
            "invalid_document",
            None,
            "输入必须是 JSON 对象：{\"from\": …, \"working_days\": N} 或 {\"from\": …, \"hours\": N}",
            'the input must be a JSON object: {"from": …, "working_days": N} or {"from": …, "hours": N}',
        )
    for key in doc:
        if key not in _DOC_KEYS:
            raise _err(
                "unknown_field",
                str(key),
                f"未知字段 {key}（可用：from、working_days、hours）",
                f"unknown field {key} (allowed: from, working_days, hours)",
            )
    if doc.get("from") is None:
        raise _err("missing_field", "from", "缺少 from（起算时间）", "from (the starting time) is missing")
    return deadline(doc["from"], working_days=doc.get("working_days"), hours=doc.get("hours"), lang=lang)
