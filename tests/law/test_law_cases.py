"""Law tests as data: every case in tests/law/cases/*.yaml, one per boundary, named by article."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from soegov.cli import main
from soegov.core.names import cited
from soegov.policy import classify, meeting_check
from soegov.policy.yaml_files import read_yaml

CASES = Path(__file__).parent / "cases"


def _load(name: str) -> list[dict[str, Any]]:
    return read_yaml(CASES / name)  # the C loader: the cases are read again in every test process


def _key(ob: dict[str, Any], policy: str) -> str:
    c = ob["citation"]
    ref = f"{c['article']}" if c.get("item") is None else f"{c['article']}.{c['item']}"
    # An overlay's duty names its document: "approval sasac prc-company-law-2023 172".
    document = "" if c["document"] == policy else f"{c['document']} "
    return f"{ob['kind']} {ob['authority']} {document}{ref}"


def _classify_case(policy: str, case: dict[str, Any]) -> None:
    result = classify(case["input"], policy=policy)
    expect = case["expect"]
    assert Counter(_key(ob, policy) for ob in result["obligations"]) == Counter(expect.get("obligations") or []), case["name"]
    assert result["uncovered"] is expect["uncovered"], case["name"]
    if "decided_by" in expect:
        assert result["decided_by"] == expect["decided_by"], case["name"]
    for key, via in (expect.get("via") or {}).items():
        assert [ob["via"] for ob in result["obligations"] if _key(ob, policy) == key] == [via], case["name"]
    if "notes" in expect:
        assert set(expect["notes"]) <= {n["code"] for n in result["notes"]}, case["name"]
    if "no_notes" in expect:
        assert not set(expect["no_notes"]) & {n["code"] for n in result["notes"]}, case["name"]


@pytest.mark.parametrize("case", _load("yining-2024.yaml"), ids=lambda c: c["name"])
def test_yining_classify(case: dict[str, Any]) -> None:
    _classify_case("yining-2024", case)


@pytest.mark.parametrize("case", _load("xundian-2020.yaml"), ids=lambda c: c["name"])
def test_xundian_classify(case: dict[str, Any]) -> None:
    _classify_case("xundian-2020", case)


MEETING_CASES = [(path.name.removesuffix("-meetings.yaml"), case)
                 for path in sorted(CASES.glob("*-meetings.yaml")) for case in _load(path.name)]


@pytest.mark.parametrize(("policy", "case"), MEETING_CASES, ids=lambda c: c["name"] if isinstance(c, dict) else c)
def test_meetings(policy: str, case: dict[str, Any]) -> None:
    """Each <policy>-meetings.yaml file: meeting-check against that pack (and the layers above it)."""
    result = meeting_check(case["input"], policy=policy)
    expect = case["expect"]
    assert result["quorum"]["met"] is expect["quorum_met"]
    for field in ("quorum_required", "quorum_decided_by"):
        if field in expect:
            assert result["quorum"][field.removeprefix("quorum_")] == expect[field], field
    if "decided_by" in expect:
        assert result["decided_by"] == expect["decided_by"]
    items = {item["id"]: item for item in result["items"]}
    for item_id, want in (expect.get("items") or {}).items():
        got = items[str(item_id)]
        for field in ("passed", "for", "against", "abstain", "base", "required", "decided_by"):
            if field in want:
                assert got[field] == want[field], f"item {item_id} {field}"
        if "violations" in want:
            assert Counter(v["code"] for v in got["violations"]) == Counter(want["violations"]), f"item {item_id}"
    if "violations" in expect:
        assert Counter(v["code"] for v in result["violations"]) == Counter(expect["violations"])
    codes = {n["code"] for n in result["notes"]} | {n["code"] for i in result["items"] for n in i["notes"]}
    if "notes" in expect:
        assert set(expect["notes"]) <= codes
    if "no_notes" in expect:
        assert not set(expect["no_notes"]) & codes


@pytest.mark.parametrize("case", _load("invalid.yaml"), ids=lambda c: c["name"])
def test_invalid_input_exits_2_naming_the_field(case: dict[str, Any], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "input.json"
    raw = case["input"]
    source.write_text(raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    status = main([case["command"], "--policy", case["policy"], str(source), "--json"])
    out, err = capsys.readouterr()
    assert status == 2
    error = json.loads(out)["error"]
    assert error["code"] == case["expect_error"]["code"]
    assert error["path"] == case["expect_error"]["path"]
    assert error["message"]
    # People read the words, not the code (the code is in the --json output above); a cited article names its
    # regulation by title there, where the JSON keeps the pack id.
    assert "Traceback" not in err and err.startswith(f"soegov {case['command']}：错误：{cited(error['message'])}")
    assert not re.search(r"(yining|xundian)-\d{4} 第", err)
