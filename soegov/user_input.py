"""Values typed into forms and API bodies, checked once for every service: text, dates, years and money.

Each error is an InputError naming the field (`path`) with a Chinese message built from its label, so a bad
value never reaches the database and the page can show the message beside the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from django.utils import timezone

from soegov.core.errors import InputError
from soegov.core.time import SHANGHAI
from soegov.policy.inputs import in_thousands

FEN = Decimal("0.01")
# Above any real amount of a state-owned enterprise's matter (10^15 yuan), and within the database's Decimal fields.
MONEY_MAX = Decimal("1e15")
YEARS = (2000, 2100)


def clean_text(value: Any, path: str, label: str, max_length: int, required: bool = True) -> str:
    """Stripped text no longer than max_length characters; required unless told otherwise."""
    text = str(value or "").strip()
    if required and not text:
        raise InputError("required", f"请填写{label}", path, f"{path} is required")
    if len(text) > max_length:
        raise InputError("too_long", f"{label}不能超过 {max_length} 个字", path, f"{path} is too long")
    return text


@overload
def clean_date(value: Any, path: str, label: str, required: Literal[True] = ...) -> dt.date: ...
@overload
def clean_date(value: Any, path: str, label: str, required: bool) -> dt.date | None: ...
def clean_date(value: Any, path: str, label: str, required: bool = True) -> dt.date | None:
    """A date (a date object or YYYY-MM-DD); None for an empty optional value."""
    if isinstance(value, dt.datetime):
        # The day as Beijing sees it: 2026-03-01T01:00+08:00 is 1 March even when stored as 28 February UTC.
        return (value.astimezone(SHANGHAI) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    if value in (None, "") and not required:
        return None
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        shown = f"“{value}”" if value not in (None, "") else ""
        raise InputError("invalid_date", f"{label}{shown}应为 YYYY-MM-DD 格式的日期", path, f"{path} must be a date") from None


def clean_datetime(value: Any, path: str, label: str = "时间", *, not_future: bool = False) -> dt.datetime:
    """An aware date-time (a datetime or ISO text; a naive one is Beijing time), if told not later than now."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputError("invalid_datetime", f"请填写{label}（YYYY-MM-DD HH:MM）", path, f"{path} must be a date-time") from None
    if not isinstance(value, dt.datetime):
        raise InputError("invalid_datetime", f"请填写{label}（YYYY-MM-DD HH:MM）", path, f"{path} must be a date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=SHANGHAI)
    # A few minutes' grace: the form's "now" was filled in before the click reached the server.
    if not_future and value > timezone.now() + dt.timedelta(minutes=5):
        raise InputError("future_datetime", f"{label}不能晚于现在", path, f"{path} is in the future")
    return value


def clean_year(value: Any, path: str = "year", label: str = "年度") -> int:
    """A four-digit year between 2000 and 2100."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise InputError("invalid_year", f"{label}应为四位数字的年份（如 2025），收到“{value}”", path,
                         f"{path} must be a year") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise InputError("invalid_year", f"{label}应在 {YEARS[0]} 至 {YEARS[1]} 年之间，收到 {year}", path,
                         f"{path} is out of range")
    return year


@overload
def clean_money(value: Any, path: str, label: str, required: Literal[True] = ...) -> Decimal: ...
@overload
def clean_money(value: Any, path: str, label: str, required: bool) -> Decimal | None: ...
def clean_money(value: Any, path: str, label: str, required: bool = True) -> Decimal | None:
    """Yuan as an exact Decimal to the fen; commas only as thousands separators ("1,2" is refused, never 12)."""
    if isinstance(value, (bool, float)):
        raise InputError("invalid_amount", f"{label}应以数字字符串填写（单位：元）", path, f"{path} must be a decimal string")
    text = str(value if value is not None else "").strip().replace("，", ",")
    if not text:
        if required:
            raise InputError("required", f"请填写{label}（单位：元）", path, f"{path} is required")
        return None
    if "," in text:
        if not in_thousands(text):
            raise InputError("invalid_amount", f"{label}“{value}”中的逗号只能作千位分隔符（如 4,000,000）", path,
                             f"{path}: commas are allowed only as thousands separators")
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InputError("invalid_amount", f"{label}“{value}”不是有效数字（单位：元）", path, f"{path} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise InputError("invalid_amount", f"{label}应为不小于 0 的有限数（单位：元）", path, f"{path} must be non-negative")
    if amount >= MONEY_MAX:
        raise InputError("invalid_amount", f"{label}超出可处理的范围", path, f"{path} is out of range")
    if amount != amount.quantize(FEN):
        raise InputError("invalid_amount", f"{label}“{value}”最多精确到分（两位小数）", path, f"{path} has more than two decimals")
    return amount.quantize(FEN)


def optional_int(raw: str | None) -> int | None:
    """An id from a query string or form field; None when it is missing or not all digits."""
    return int(raw) if raw and raw.isdigit() else None
