"""Sanction tiers and pay deductions (xundian art. 32, yining art. 30) read from sanctions.yaml."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from soegov.core.errors import InputError
from soegov.policy.errors import PackError
from soegov.policy.loader import get_registry
from soegov.policy.sanctions import build_sanctions, deduction, sanctions_for, tier_list

D = Decimal


def test_xundian_lists_art31_nine_violations_with_item_citations() -> None:
    data = sanctions_for("xundian-2020")
    assert [v.code for v in data.violations] == [f"xd31_{n}" for n in range(1, 10)]
    assert [(v.citation.article, v.citation.item) for v in data.violations] == [(31, n) for n in range(1, 10)]
    assert "个人或少数人决定重大问题" in data.violation("xd31_2").citation.text
    assert {r.code for r in data.responsibility} == {"direct", "supervisory", "leadership", "collective"}
    assert data.dissent_exempts is not None and "会议记录中有明确记载" in data.dissent_exempts.text


def test_yining_lists_art29_six_violations_and_art30_measures() -> None:
    data = sanctions_for("yining-2024")
    assert [(v.citation.article, v.citation.item) for v in data.violations] == [(29, n) for n in range(1, 7)]
    codes = [t.code for t in tier_list("yining-2024")]
    assert codes[0] == "circulated_criticism"
    assert {"admonition_talk", "transfer", "demotion", "removal", "dismissal"} <= set(codes)
    assert all(not t.deducts for t in tier_list("yining-2024"))
    assert {r.code for r in data.referral} == {"discipline", "judicial"}


# tier, performance pay, tenure incentive, rate asked, expected (rate, performance deduction, tenure deduction)
CASES = [
    ("accountability", "200000", "0", None, ("0.10", "20000.00", "0.00")),
    ("accountability", "200000", "0", "0.10", ("0.10", "20000.00", "0.00")),   # at the cap
    ("accountability", "200000", "0", "0.05", ("0.05", "10000.00", "0.00")),   # below the cap
    ("accountability", "12345.67", "0", None, ("0.10", "1234.56", "0.00")),   # 1234.567 rounds down
    ("disciplinary", "200000", "0", "0.20", ("0.20", "40000.00", "0.00")),
    ("disciplinary", "200000", "0", "0.15", ("0.15", "30000.00", "0.00")),
    ("removal", "200000", "80000", None, ("0.50", "100000.00", "0.00")),       # tenure untouched
    ("criminal", "200000", "80000", None, ("1", "200000.00", "80000.00")),
]


@pytest.mark.parametrize(("tier", "pay", "tenure", "rate", "expected"), CASES)
def test_xundian_deductions(tier: str, pay: str, tenure: str, rate: str | None, expected: tuple[str, str, str]) -> None:
    t = sanctions_for("xundian-2020").tier(tier)
    d = deduction(t, performance_pay=D(pay), tenure_incentive=D(tenure), rate=rate)
    assert (d.rate, d.performance_pay_deduction, d.tenure_incentive_deduction) == tuple(D(x) for x in expected)
    assert d.total == d.performance_pay_deduction + d.tenure_incentive_deduction


@pytest.mark.parametrize(("tier", "over"), [("accountability", "0.1001"), ("disciplinary", "0.21")])
def test_a_rate_above_the_cap_is_refused(tier: str, over: str) -> None:
    t = sanctions_for("xundian-2020").tier(tier)
    with pytest.raises(InputError) as exc:
        deduction(t, performance_pay=D("100000"), rate=over)
    assert exc.value.code == "rate_above_cap" and "第32条" in exc.value.message


@pytest.mark.parametrize("rate", ["0.49", "0.51"])
def test_a_fixed_tier_takes_no_other_rate(rate: str) -> None:
    t = sanctions_for("xundian-2020").tier("removal")
    with pytest.raises(InputError) as exc:
        deduction(t, performance_pay=D("100000"), rate=rate)
    assert exc.value.code == "rate_fixed"


@pytest.mark.parametrize(("field", "value"), [("performance_pay", "-1"), ("performance_pay", "abc"), ("tenure_incentive", "-0.01"),
                                             ("performance_pay", "100.001"), ("performance_pay", "1000000000000")])
def test_bad_pay_is_an_input_error_naming_the_field(field: str, value: str) -> None:
    t = sanctions_for("xundian-2020").tier("criminal")
    kwargs = {"performance_pay": D("1"), "tenure_incentive": D("1"), field: value}
    with pytest.raises(InputError) as exc:
        deduction(t, **kwargs)
    assert exc.value.path == field


@pytest.mark.parametrize(("rate", "ok"), [("0.0999", True), ("0.09995", False)])
def test_a_rate_has_at_most_four_decimals(rate: str, ok: bool) -> None:
    t = sanctions_for("xundian-2020").tier("accountability")
    if ok:
        assert deduction(t, performance_pay=D("100000"), rate=rate).performance_pay_deduction == D("9990.00")
    else:
        with pytest.raises(InputError):
            deduction(t, performance_pay=D("100000"), rate=rate)


@pytest.mark.parametrize("typed", ["50%", "50 %", "５０％", "0.5", "0.50", " 50% "])
def test_a_rate_is_a_percentage_or_a_fraction_with_one_meaning(typed: str) -> None:
    t = sanctions_for("xundian-2020").tier("removal")  # fixed at 50 %
    d = deduction(t, performance_pay=D("200000"), rate=typed)
    assert (d.rate, d.performance_pay_deduction) == (D("0.5"), D("100000.00"))


@pytest.mark.parametrize(("typed", "words"), [("50", "50%"), ("abc", "50% 或 0.5"), ("-5%", "负数")])
def test_a_rate_that_could_mean_two_things_is_refused_with_both_spellings(typed: str, words: str) -> None:
    t = sanctions_for("xundian-2020").tier("removal")
    with pytest.raises(InputError) as exc:
        deduction(t, performance_pay=D("200000"), rate=typed)
    assert exc.value.code == "invalid_rate" and exc.value.path == "rate" and words in exc.value.message


def test_unknown_tier_names_the_known_ones() -> None:
    with pytest.raises(InputError) as exc:
        sanctions_for("xundian-2020").tier("nope")
    assert "accountability" in exc.value.message


def test_yining_tiers_deduct_nothing() -> None:
    t = sanctions_for("yining-2024").tier("circulated_criticism")
    assert deduction(t, performance_pay=D("300000")).total == D("0")


def test_a_citation_outside_the_articles_is_a_pack_error(tmp_path: Path) -> None:
    pack = get_registry().get("xundian-2020")
    folder = tmp_path / "xundian-2020"
    shutil.copytree(pack.path, folder)
    text = (folder / "sanctions.yaml").read_text(encoding="utf-8").replace("{article: 31, item: 9}", "{article: 31, item: 10}")
    (folder / "sanctions.yaml").write_text(text, encoding="utf-8")
    from soegov.policy.loader import load_pack

    with pytest.raises(PackError) as exc:
        build_sanctions(load_pack(folder))
    assert "no item 10" in exc.value.message
