"""The one parser of typed values every service uses: both sides of each limit, and the error names the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from soegov.core.errors import InputError
from soegov.user_input import clean_date, clean_money, clean_text, clean_year

MONEY = [
    ("4,000,000", Decimal("4000000.00")),
    ("4，000，000.5", Decimal("4000000.50")),  # full-width commas as typed with a Chinese IME
    (" 30000 ", Decimal("30000.00")),
    ("0", Decimal("0.00")),
    ("999999999999999.99", Decimal("999999999999999.99")),
    (Decimal("12.3"), Decimal("12.30")),
]
BAD_MONEY = [
    ("1,2", "invalid_amount"),  # a decimal comma, never 12
    ("40,00,000", "invalid_amount"),
    ("-0.01", "invalid_amount"),
    ("1e15", "invalid_amount"),
    ("0.001", "invalid_amount"),
    ("abc", "invalid_amount"),
    ("NaN", "invalid_amount"),
    (1.5, "invalid_amount"),  # a float is never money
    ("", "required"),
]


@pytest.mark.parametrize(("raw", "expected"), MONEY)
def test_money_accepted(raw: Any, expected: Decimal) -> None:
    assert clean_money(raw, "amount", "金额") == expected


@pytest.mark.parametrize(("raw", "code"), BAD_MONEY)
def test_money_refused_naming_the_field(raw: Any, code: str) -> None:
    with pytest.raises(InputError) as exc:
        clean_money(raw, "performance_pay", "绩效年薪")
    assert (exc.value.code, exc.value.path) == (code, "performance_pay")
    assert "绩效年薪" in exc.value.message


def test_optional_money_and_date_may_be_empty() -> None:
    assert clean_money("", "amount", "金额", required=False) is None
    assert clean_date("", "due", "期限", required=False) is None


@pytest.mark.parametrize(("raw", "ok"), [("2000", True), ("1999", False), ("2100", True), ("2101", False), ("二〇二五", False)])
def test_year_bounds(raw: str, ok: bool) -> None:
    if ok:
        assert clean_year(raw) == int(raw)
    else:
        with pytest.raises(InputError) as exc:
            clean_year(raw)
        assert exc.value.path == "year"


def test_text_length_and_required() -> None:
    assert clean_text(" 议题 ", "title", "议题名称", 2) == "议题"
    with pytest.raises(InputError) as exc:
        clean_text("三个字", "title", "议题名称", 2)
    assert exc.value.code == "too_long"
    with pytest.raises(InputError) as exc:
        clean_text("  ", "title", "议题名称", 2)
    assert (exc.value.code, exc.value.message) == ("required", "请填写议题名称")


def test_dates() -> None:
    assert clean_date("2026-02-28", "d", "日期") == dt.date(2026, 2, 28)
    late_utc = dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC)  # 01:00 on 1 March in Beijing
    assert clean_date(late_utc, "d", "日期") == dt.date(2026, 3, 1)
    with pytest.raises(InputError) as exc:
        clean_date("2026-02-29", "held_on", "会议日期")
    assert exc.value.path == "held_on" and "会议日期" in exc.value.message
