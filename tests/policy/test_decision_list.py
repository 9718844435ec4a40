"""The decision list (事项清单) generated from a pack."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from soegov.cli import main
from soegov.policy.decision_list import amount_floor_allowed, decision_list


def _by_rule(policy: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["rule"]: e for e in decision_list(policy, on="2026-03-01")["entries"]}


def test_xundian_fund_tiers_with_bodies_and_the_duties_that_follow() -> None:
    entries = _by_rule("xundian-2020")
    tier = entries["x21-3-non-production"]
    assert tier["category"] == "large_fund" and tier["bodies"] == ["party_committee", "board"]
    assert "> 200,000 元（20万元以上(不含20万元)） 且 ≤ 500,000 元（50万元以下）" in tier["condition"]
    assert [(t["kind"], t["authority"]) for t in tier["then"]] == [("post_filing", "county_finance_bureau")]
    assert tier["limits"]["amount_floor"] == "200000"
    leader = entries["x21-1-non-production"]
    assert leader["decision"] == "leader_approval" and leader["bodies"] == []


def test_personnel_entries_are_voted_by_ballot() -> None:
    assert _by_rule("xundian-2020")["x5-2"]["voting_method"] == "ballot"


def test_yining_entries_are_the_resolutions_before_each_approval_or_filing() -> None:
    entries = _by_rule("yining-2024")
    entry = entries["y12-6"]
    assert entry["decision"] == "collective_decision" and entry["bodies"] == ["party_committee", "board"]
    assert [(t["kind"], t["authority"], t["citation"]["article"]) for t in entry["then"]] == [
        ("approval", "city_government", 12)]
    assert "y13-9" not in entries  # routine reports carry no resolution
    assert "y17-1" not in entries  # nor do event reports


@pytest.mark.parametrize(("floor", "allowed"), [("199999.99", True), ("200000", True), ("200000.01", False)])
def test_an_enterprise_may_only_lower_a_threshold(floor: str, allowed: bool) -> None:
    assert amount_floor_allowed("200000", Decimal(floor)) is allowed


def test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "decision-list", "xundian-2020", "--date", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "县财政局(县国资委)事后备案" in out and "xundian-2020" not in out
    assert out.startswith("《寻甸县县属国有及国有控股企业落实“三重一大”决策制度实施办法(试行)》事项清单（")
    assert "｜所有情形｜“三重一大”集体决策：党委会 → 董事会｜第4条第1项" in out
    # Conditions read in words, the values of a choice too (not 经济行为批准机构为市政府、sasac).
    assert main(["policy", "decision-list", "yining-2024", "--date", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "经济行为批准机构为市政府、国资监管机构" in out and not any("a" <= c <= "z" for c in out)
    assert main(["policy", "decision-list", "xundian-2020", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"]
    assert main(["policy", "decision-list", "nope", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "unknown_policy"
