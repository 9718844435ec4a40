"""Law in layers: the national overlay above every local pack, reusable by a third jurisdiction as data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from soegov.cli import main
from soegov.cli_support import in_words
from soegov.policy import classify, meeting_check
from soegov.policy.loader import get_registry, reset_registry
from soegov.policy.report import classify_text, meeting_text
from soegov.policy.sanctions import sanctions_for
from tests.policy.conftest import TEST_PACKS

SOLE_MERGER = {"date": "2026-03-01", "enterprise": {"level": 3, "ownership": "sole"}, "type": "restructuring",
               "attributes": {"form": "merger"}}
BOARD = {"date": "2026-06-01", "body": {"kind": "board", "members": ["甲", "乙", "丙", "丁", "戊"], "principal": "甲"},
         "attendees": ["甲", "乙", "丙"], "notice_sent": True,
         "items": [{"id": "1", "title": "议题", "category": "major_decision", "voting_method": "show_of_hands",
                    "statements": ["乙", "丙", "甲"], "votes": {"甲": "for", "乙": "for", "丙": "against"}}]}


def test_a_verdict_names_its_layers_and_the_one_that_decided() -> None:
    result = classify(SOLE_MERGER, policy="yining-2024")
    assert [(layer["id"], layer["layer"], layer["in_force"]) for layer in result["policy"]["layers"]] == [
        ("yining-2024", "local", True), ("national", "national", True)]
    assert result["decided_by"] == "national" and result["uncovered"] is True
    national = next(ob for ob in result["obligations"] if ob["layer"] == "national")
    # The overlay names a role; Yining maps it to its supervisor. The citation says where its text was read.
    assert (national["authority"], national["role"], national["pack"]) == ("sasac", "investor", "national")
    assert national["citation"]["document"] == "prc-company-law-2023" and national["citation"]["verified"] is False
    assert national["citation"]["source"].startswith("http")
    assert national["review_deadline"]["working_days"] == 5  # Yining's own reply clock (art. 21)
    assert {"uncovered", "catch_all"} <= {n["code"] for n in result["notes"]}
    text = classify_text(result)
    assert "决定层级：国家层面规则" in text and "［国家层面规则］" in text and "（原文未核对）" in text


def test_a_local_duty_that_meets_the_overlay_cites_both_layers() -> None:
    result = classify({**SOLE_MERGER, "enterprise": {"level": 1, "ownership": "sole"}}, policy="yining-2024")
    assert result["decided_by"] == "local"
    city = result["obligations"][0]
    assert (city["kind"], city["authority"], city["layer"]) == ("approval", "city_government", "local")
    assert [(c["document"], c["article"], c["layer"]) for c in city["also_cited"]] == [
        ("prc-company-law-2023", 172, "national")]
    assert "另依据（国家层面规则，本项义务已满足其要求）：《中华人民共和国公司法（2023年修订）》第172条" in \
        in_words(classify_text)(result, "zh")


def test_explain_shows_the_overlay_rules_tried() -> None:
    result = classify(SOLE_MERGER, policy="yining-2024", explain=True)
    layers = {t["rule"]: t["layer"] for t in result["explain"]["rules"]}
    assert layers["n172-sole"] == "national" and layers["y14-1"] == "local"
    assert "✔［国家层面规则］ 《中华人民共和国公司法（2023年修订）》第172条（原文未核对）" in in_words(classify_text)(result, "zh")
    assert "✔ n172-sole [national rules] prc-company-law-2023 art. 172 (text not verified)" in classify_text(result, "en")


def test_meeting_check_reports_every_layers_count_and_the_deciding_one(capsys: pytest.CaptureFixture[str]) -> None:
    result = meeting_check(BOARD, policy="xundian-2020")
    quorum = result["quorum"]
    assert [(q["layer"], q["required"]) for q in quorum["layers"]] == [("local", 3), ("national", 3)]
    assert quorum["decided_by"] == "local"  # equal counts: the stricter layer is not stricter here
    item = result["items"][0]
    assert [(q["layer"], q["required"]) for q in item["layers"]] == [("local", 3), ("national", 3)]
    four = {**BOARD, "body": {**BOARD["body"], "members": ["甲", "乙", "丙", "丁"]}}
    item = meeting_check(four, policy="xundian-2020")["items"][0]
    assert (item["required"], item["decided_by"]) == (3, "national")
    assert item["citation"]["document"] == "prc-company-law-2023"
    text = meeting_text(meeting_check(four, policy="xundian-2020"))
    assert "由国家层面规则决定" in text and "各层要求：地方办法 2" in text and "国家层面规则 3" in text


def test_the_national_texts_carry_their_source_and_unverified_ones_are_explained() -> None:
    national = get_registry().get("national")
    assert national.is_overlay and national.layer == "national"
    notes = " ".join(i.text for i in national.interpretations)
    for source in national.sources.values():
        for article in source.articles.values():
            assert article.source.startswith("http"), (source.document, article.number)
            if not article.verified:
                assert "未" in article.text or source.note, (source.document, article.number)
                assert source.note
    # Each unverified Company Law article has its own interpretation note naming it.
    assert "national-172-unverified" in {i.id for i in national.interpretations}
    assert "第一百八十五条" in notes and "第一百七十二条" in notes


def test_policy_list_and_show_describe_the_overlay(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "list", "--json"]) == 0
    packs = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    assert packs["national"]["layer"] == "national" and packs["yining-2024"]["overlays"] == ["national"]
    assert main(["policy", "show", "national"]) == 0
    out = capsys.readouterr().out
    assert "prc-company-law-2023" in out and "172（未核对）" in out
    assert main(["policy", "show", "national", "prc-company-law-2023:73", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["article"] == 73 and data["verified"] is True and "过半数的董事出席" in data["text"]


def _third(tmp_path: Path, **edits: str) -> Path:
    folder = tmp_path / "demo-county-2026"
    shutil.copytree(TEST_PACKS / "demo-county-2026", folder)
    meta = (folder / "pack.yaml").read_text(encoding="utf-8")
    meta = meta.replace("versions:", edits.get("head", "overlays: [national]\nroles: {investor: sasac}\n") + "versions:", 1)
    (folder / "pack.yaml").write_text(meta, encoding="utf-8")
    return folder


def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOEGOV_POLICY_PATH", str(tmp_path))
    monkeypatch.setenv("SOEGOV_CACHE_DIR", str(tmp_path / "cache"))
    reset_registry()


def test_a_third_jurisdiction_sits_under_the_overlay_with_no_code(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _third(tmp_path)
    _installed(tmp_path, monkeypatch)
    try:
        doc: dict[str, Any] = {**SOLE_MERGER, "date": "2026-06-01", "enterprise": {"level": 1, "ownership": "sole"}}
        result = classify(doc, policy="demo-county-2026")
        assert [(o["authority"], o["layer"]) for o in result["obligations"]] == [("sasac", "national")]
        assert result["decided_by"] == "national"
        board = meeting_check({**BOARD, "body": {**BOARD["body"], "members": ["甲", "乙", "丙", "丁"]}},
                              policy="demo-county-2026")
        assert [q["layer"] for q in board["quorum"]["layers"]] == ["local", "national"]
        # The third pack names no party-committee rules: the overlay's bind it all the same (a tie never carries).
        tie = meeting_check({"date": "2026-06-01", "body": {"kind": "party_committee", "members": ["甲", "乙", "丙", "丁"]},
                             "attendees": ["甲", "乙", "丙", "丁"], "notice_sent": True,
                             "items": [{"id": "1", "category": "major_decision", "voting_method": "show_of_hands",
                                        "votes": {"甲": "for", "乙": "for", "丙": "against", "丁": "against"}}]},
                            policy="demo-county-2026")
        assert tie["items"][0]["passed"] is False and tie["decided_by"] == "national"
        assert main(["policy", "lint", str(tmp_path / "demo-county-2026")]) == 0
    finally:
        reset_registry()


@pytest.mark.parametrize(("head", "message"), [
    ("overlays: [national]\n", "maps no authority"),  # the lint names the missing role
    ("overlays: [provincial]\n", "overlay provincial is not installed"),
    ("overlays: [xundian-2020]\n", "xundian-2020 is a local pack, not an overlay"),
])
def test_lint_checks_what_a_pack_says_of_its_overlays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], head: str,
                                                      message: str) -> None:
    folder = _third(tmp_path, head=head)
    _installed(tmp_path, monkeypatch)
    try:
        assert main(["policy", "lint", str(folder)]) == 1
        out = capsys.readouterr().out
        assert message in out or (message == "maps no authority" and "map it to an authority" in out)
    finally:
        reset_registry()


def test_lint_finds_a_legal_opinion_note_the_attachments_do_not_agree_with(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from soegov.policy.loader import PACKS_DIR

    pack = tmp_path / "yining"
    shutil.copytree(os.path.join(PACKS_DIR, "yining-2024"), pack)
    rules = (pack / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace("approval_party: &approval_party [request_letter, internal_resolution, legal_opinion]",
                          "approval_party: &approval_party [request_letter, internal_resolution]")
    (pack / "rules.yaml").write_text(rules, encoding="utf-8")
    assert main(["policy", "lint", str(pack)]) == 1
    assert "the note legal_opinion_required asks for legal_opinion" in capsys.readouterr().out


def test_verdicts_point_to_the_lawful_route_and_the_documents_the_rule_needs() -> None:
    headcount = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                          "type": "headcount_change"}, policy="yining-2024")
    route = next(n for n in headcount["notes"] if n["code"] == "lawful_route")
    assert (route["citation"]["article"], route["citation"]["item"]) == (14, 9)
    small = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"}, "type": "expenditure",
                      "amount": "150000", "attributes": {"purpose": "other"}}, policy="yining-2024")
    below = next(n for n in small["notes"] if n["code"] == "below_threshold")
    assert (below["citation"]["article"], below["citation"]["item"]) == (15, 1) and "事后备案" in below["message"]
    valuation = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                          "type": "valuation_report", "attributes": {"act_approved_by": "city_government"}},
                         policy="yining-2024")
    assert "government_approval" in valuation["obligations"][0]["attachments"]


def test_sanctions_carry_art_30_consequences_and_dissent_only_may_exempt() -> None:
    yining = sanctions_for("yining-2024")
    removal = yining.tier("removal")
    assert [c.code for c in removal.consequences] == ["pay_stops", "income_recovered", "losses_repaid"]
    assert yining.tier("circulated_criticism").consequences == ()
    assert "collective" in [r.code for r in yining.responsibility]
    xundian = sanctions_for("xundian-2020")
    assert xundian.dissent_exempts is not None and xundian.dissent_exemption_automatic is False


@pytest.mark.parametrize(("act_approved_by", "attached"), [("city_government", True), ("sasac", True), ("enterprise", False)])
def test_the_approval_documents_of_18_7_go_where_the_valuation_serves_an_approved_act(act_approved_by: str,
                                                                                      attached: bool) -> None:
    """13.15 (the act approved by the city or the supervisor) carries 18(7)'s approval; 14.8 (the enterprise's own act) not."""
    result = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"}, "type": "valuation_report",
                       "attributes": {"act_approved_by": act_approved_by}}, policy="yining-2024")
    [duty] = [o for o in result["obligations"] if o["authority"] == "sasac"]
    assert duty["citation"]["item"] == (15 if attached else 8)
    assert ("government_approval" in duty["attachments"]) is attached


def test_a_body_no_layer_sets_a_quorum_for_is_not_reported_as_met(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Yining sets no meeting rules and the party rules no quorum for a party committee: the report says so."""
    source = tmp_path / "meeting.json"
    source.write_text(json.dumps({"date": "2026-03-10", "body": {"kind": "party_committee", "members": ["甲", "乙", "丙"]},
                                  "attendees": ["甲"], "notice_sent": True, "items": []}), encoding="utf-8")
    assert main(["meeting-check", "--policy", "yining-2024", str(source)]) == 0
    out = capsys.readouterr().out
    assert "适用的各层规则均未规定，未检查" in out and "至少需 0 人" not in out
