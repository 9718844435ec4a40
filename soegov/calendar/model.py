"""The calendar's plain data: a year's schedule, notes, the years it works in, names of days.

Deliberately free of I/O: parse.py validates documents into these records and store.py reads and
writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from soegov.core.errors import InputError

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
LIBRARY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
_NAMES_EN = {zh: en for en, zh in LIBRARY_NAMES_ZH.items()}
MAKEUP_SUFFIX = "调休"


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



def display_name(name: str, lang: str = "zh") -> str:
    """A holiday or make-up name in the requested language (imported names stay as given)."""
    if lang != "en":
        return name
    if name in _NAMES_EN:
        return _NAMES_EN[name]
    if name.endswith(MAKEUP_SUFFIX) and name[: -len(MAKEUP_SUFFIX)] in _NAMES_EN:
        return _NAMES_EN[name[: -len(MAKEUP_SUFFIX)]] + " make-up workday"
    return name


def weekday_name(d: date, lang: str = "zh") -> str:
    """The day of the week of `d`, in Chinese or English."""
    return (_WEEKDAYS_EN if lang == "en" else _WEEKDAYS_ZH)[d.weekday()]



def calendar_error(code: str, path: str | None, zh: str, en: str) -> InputError:
    """An InputError of the calendar, with its message in Chinese and English."""
    return InputError(code, zh, path, en)
