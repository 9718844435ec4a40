"""A third jurisdiction is a folder of data: no engine change, versions picked by date."""

from __future__ import annotations

from soegov.cli import main
from soegov.policy import classify, meeting_check
from soegov.policy.loader import get_registry


def _asset(amount: str, day: str) -> dict[str, object]:
    return {"date": day, "enterprise": {"level": 1, "ownership": "sole"}, "type": "asset_transfer", "amount": amount}


def test_third_pack_is_listed_beside_the_shipped_ones(demo_county: str) -> None:
    assert get_registry().ids == ["demo-county-2026", "national", "xundian-2020", "yining-2024"]


def test_third_pack_classifies_with_its_own_thresholds_and_clock(demo_county: str) -> None:
    high = classify(_asset("1000000", "2026-06-01"), policy=demo_county)
    assert [(o["kind"], o["citation"]["item"]) for o in high["obligations"]] == [("approval", 1)]
    low = classify(_asset("999999.99", "2026-06-01"), policy=demo_county)
    assert [(o["kind"], o["citation"]["item"]) for o in low["obligations"]] == [("post_filing", 2)]
    assert low["obligations"][0]["deadline"]["working_days"] == 3


def test_version_in_force_on_the_matter_date_is_used(demo_county: str) -> None:
    before = classify(_asset("1500000", "2026-12-31"), policy=demo_county)
    after = classify(_asset("1500000", "2027-01-01"), policy=demo_county)
    assert before["policy"]["version"] == "2026.1" and before["obligations"][0]["kind"] == "approval"
    assert after["policy"]["version"] == "2027.1" and after["obligations"][0]["kind"] == "post_filing"


def test_before_any_version_nothing_is_applied_and_it_says_so(demo_county: str) -> None:
    result = classify(_asset("1500000", "2026-01-31"), policy=demo_county)
    assert result["policy"]["in_force"] is False
    assert result["obligations"] == [] and result["uncovered"] is True
    assert result["notes"][0]["code"] == "policy_not_in_force"


def test_out_of_scope_ownership_is_uncovered_with_the_scope_article(demo_county: str) -> None:
    result = classify({**_asset("5", "2026-06-01"), "enterprise": {"level": 1, "ownership": "minority"}},
                      policy=demo_county)
    assert result["uncovered"] is True
    assert result["notes"][0]["code"] == "out_of_scope" and result["notes"][0]["citation"]["article"] == 2


def test_unnamed_type_lists_the_packs_catch_all(demo_county: str) -> None:
    result = classify({**_asset("5", "2026-06-01"), "type": "donation"}, policy=demo_county)
    assert result["uncovered"] is True
    assert [n["citation"]["item"] for n in result["notes"] if n["code"] == "catch_all"] == [3]


def test_third_pack_meeting_rules(demo_county: str) -> None:
    result = meeting_check({"date": "2026-06-01", "body": {"kind": "board", "members": ["甲", "乙", "丙", "丁"]},
                            "attendees": ["甲", "乙"], "notice_sent": True, "items": []}, policy=demo_county)
    assert result["quorum"] == {**result["quorum"], "required": 3, "met": False}
    assert [v["code"] for v in result["violations"]] == ["no_quorum"]


def test_third_pack_lints_clean(demo_county: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.policy.conftest import TEST_PACKS

    assert main(["policy", "lint", str(TEST_PACKS / demo_county)]) == 0
    assert "0 个错误" in capsys.readouterr().out


def test_same_rule_id_in_two_versions_keeps_each_versions_own_duty(demo_county: str) -> None:
    # Both versions name their item-1 rule d3-1; results must never leak from one version to the other.
    old = classify(_asset("5000000", "2026-06-01"), policy=demo_county)["obligations"][0]
    new = classify(_asset("5000000", "2027-06-01"), policy=demo_county)["obligations"][0]
    again = classify(_asset("5000000", "2026-06-02"), policy=demo_county)["obligations"][0]
    assert (old["authority"], old["attachments"]) == ("sasac", ["request_letter"])
    assert (new["authority"], new["attachments"]) == ("county_government", ["request_letter", "legal_opinion"])
    assert again["authority"] == "sasac"
