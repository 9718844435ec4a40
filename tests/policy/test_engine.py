"""Engine behaviours beyond the law tables: notes, defaults, the pack cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from soegov.core.errors import InputError
from soegov.policy import classify
from soegov.policy.loader import PACKS_DIR, load_pack_cached

BASE = {"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"}}


def _codes(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [n["code"] for n in result["notes"]]


def test_approval_notes_follow_only_approvals_by_the_supervisor_or_city() -> None:
    by_group = classify({**BASE, "enterprise": {"level": 3, "ownership": "controlled"}, "type": "pay_distribution"},
                        policy="yining-2024")
    assert ("approval", "level1_enterprise") in {(o["kind"], o["authority"]) for o in by_group["obligations"]}
    assert "one_matter_per_request" not in _codes(by_group)
    by_city = classify({**BASE, "type": "fiscal_fund_application"}, policy="yining-2024")
    assert {"one_matter_per_request", "legal_opinion_required"} <= set(_codes(by_city))


def test_a_default_used_is_said_and_an_unknown_attribute_is_noted() -> None:
    result = classify({**BASE, "type": "decision_report", "attributes": {"colour": "red"}}, policy="yining-2024")
    assert "unknown_attribute" in _codes(result)
    assert "assumed_default" in _codes(result)  # urgent / major_emergency / work_safety pick the art. 20 clock
    urgent = next(n for n in result["notes"] if n.get("attribute") == "urgent")
    assert urgent["message"] == "未填写“特殊紧急情况”（attributes.urgent），按“否”处理；如不符请补充"
    assert result["obligations"][0]["deadline"]["working_days"] == 5


@pytest.mark.parametrize(("attributes", "expected"), [
    ({"urgent": True}, {"hours": 12}),
    ({"work_safety": True}, {"immediate": True}),
    ({"major_emergency": True, "urgent": True}, {"immediate": True}),
    ({}, {"working_days": 5}),
])
def test_art_20_clock_variants(attributes: dict, expected: dict) -> None:  # type: ignore[type-arg]
    result = classify({**BASE, "type": "incident", "attributes": attributes}, policy="yining-2024")
    deadline = result["obligations"][0]["deadline"]
    assert {k: deadline[k] for k in expected} == expected
    assert deadline["citation"]["article"] == 20


def test_uncovered_lists_catch_alls_with_their_text() -> None:
    result = classify({**BASE, "type": "procurement"}, policy="yining-2024")
    assert result["uncovered"] is True and result["obligations"] == []
    catch = [n for n in result["notes"] if n["code"] == "catch_all"]
    assert [(n["citation"]["article"], n["citation"]["item"]) for n in catch] == [(12, 11), (13, 19), (14, 12), (15, 9), (17, 4)]


def test_missing_amount_names_the_field_only_when_a_rule_needs_it() -> None:
    with pytest.raises(InputError) as err:
        classify({**BASE, "type": "asset_transfer"}, policy="yining-2024")
    assert (err.value.code, err.value.path) == ("missing_field", "amount")
    assert "第12条第6项" in err.value.message
    assert classify({**BASE, "type": "wage_budget"}, policy="yining-2024")["uncovered"] is False


def test_pack_cache_is_rebuilt_when_a_pack_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOEGOV_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "xundian-2020"
    shutil.copytree(os.path.join(PACKS_DIR, "xundian-2020"), folder)
    first = load_pack_cached(folder)
    assert (tmp_path / "cache" / "soegov" / "packs" / "xundian-2020.marshal").is_file()
    again = load_pack_cached(folder)
    assert [r.id for r in again.rules] == [r.id for r in first.rules]
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("id: x6-4,", "id: x6-4-renamed,"), encoding="utf-8")
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 10**9))
    changed = load_pack_cached(folder)
    assert "x6-4-renamed" in {r.id for r in changed.rules}


@pytest.mark.parametrize(("amount", "ok"), [("4,000,000", True), ("4,000,000.00", True), ("1,2", False),
                                            ("40,00,000", False)])
def test_commas_only_as_thousands_separators(amount: str, ok: bool) -> None:
    doc = {**BASE, "type": "asset_transfer", "amount": amount}
    if ok:
        assert classify(doc, policy="yining-2024")["matter"]["amount"] == amount.replace(",", "")
    else:
        with pytest.raises(InputError) as err:
            classify(doc, policy="yining-2024")
        assert (err.value.code, err.value.path) == ("invalid_amount", "amount")
