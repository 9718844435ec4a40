"""The CLI contract of classify and meeting-check, the policy tools, and start-up hygiene."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from soegov.cli import main
from tests.web.page_text import internal_codes

CONTRACT_CLASSIFY = {"date": "2026-03-01", "enterprise": {"level": 2, "ownership": "controlled"},
                     "type": "asset_transfer", "amount": "4000000", "attributes": {}}
CONTRACT_MEETING = {
    "date": "2026-03-10",
    "body": {"kind": "board", "members": ["王", "李", "张", "赵", "刘"], "principal": "王"},
    "attendees": ["王", "李", "张"], "nonvoting_attendees": ["监事会主席"], "notice_sent": True,
    "items": [{"id": "1", "title": "关于处置闲置厂房的议题", "category": "major_decision", "on_agenda": True,
               "prepared": True, "materials_in_advance": True, "voting_method": "show_of_hands", "recused": [],
               "statements": ["李", "张", "王"], "votes": {"王": "for", "李": "for", "张": "against"}}],
}


def _run(args: list[str], doc: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    source = tmp_path / "in.json"
    source.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    status = main([*args, str(source)])
    out, err = capsys.readouterr()
    return status, out, err


def test_classify_contract_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--json"], CONTRACT_CLASSIFY, tmp_path, capsys)
    result = json.loads(out)
    assert status == 0
    assert result["policy"]["id"] == "yining-2024" and result["policy"]["in_force"] is True
    assert result["matter"] == {**result["matter"], "type": "asset_transfer", "label": "资产转让", "amount": "4000000"}
    first = result["obligations"][0]
    assert (first["kind"], first["authority"], first["via"]) == ("approval", "city_government", "sasac")
    assert first["citation"] == {"document": "yining-2024", "article": 12, "item": 6,
                                 "text": first["citation"]["text"]}
    assert first["citation"]["text"].startswith("市属国有企业涉及 400 万元及以上的资产转让事项")
    assert first["deadline"] is None
    assert first["attachments"] == ["request_letter", "internal_resolution", "valuation_and_audit", "legal_opinion"]
    assert "4,000,000 元 ≥ 4,000,000 元（400万元及以上）" in first["why"]
    assert result["uncovered"] is False



def test_explain_says_plainly_why_a_bound_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 4,000,000 is not "400万元以下": the report says what the item covers and what the matter is,
    # never "4,000,000 ≥ 4,000,000 (400万元以下), not met", which reads as a contradiction.
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--explain"], CONTRACT_CLASSIFY, tmp_path, capsys)
    assert status == 0
    assert "✘ 本项只适用于金额低于 4,000,000 元（400万元以下）；本事项金额 4,000,000 元，不在此列" in out
    assert "≥ 4,000,000 元（400万元以下）" not in out
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--explain", "--lang", "en"],
                          {**CONTRACT_CLASSIFY, "amount": "3999999.99"}, tmp_path, capsys)
    assert "the item covers only amounts of at least 4,000,000 (400万元及以上); this matter's 3,999,999.99 is not" in out

def test_json_numbers_stay_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 3999999.99 as a JSON number must not become a float that rounds up to 4 million.
    doc = json.dumps(CONTRACT_CLASSIFY).replace('"4000000"', "3999999.99")
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--json"], doc, tmp_path, capsys)
    assert status == 0
    assert next(o["citation"]["article"] for o in json.loads(out)["obligations"]) == 13


def test_date_flag_overrides_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--date", "2024-01-01", "--json"],
                          CONTRACT_CLASSIFY, tmp_path, capsys)
    result = json.loads(out)
    assert status == 0 and result["policy"]["in_force"] is False and result["uncovered"] is True


def test_readable_report_in_chinese_and_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["classify", "--policy", "yining-2024"], CONTRACT_CLASSIFY, tmp_path, capsys)
    assert status == 0
    assert "【审核批准】市政府（经国资监管机构审核报送）" in out
    # A reader sees the regulation by its title, as the pages cite it; the pack id is for --json and --policy.
    assert "依据：《伊宁市市属国有企业监督管理办法》第12条第6项" in out
    assert out.startswith("伊宁市市属国有企业监督管理办法（版本 2024.1，施行中）")
    assert "yining-2024" not in out and "national" not in out and internal_codes(out) == []
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--lang", "en"], CONTRACT_CLASSIFY, tmp_path, capsys)
    assert "[approval] city government (through state-asset supervisor (SASAC))" in out
    assert "Source: 《伊宁市市属国有企业监督管理办法》 art. 12(6)" in out
    assert out.startswith("《伊宁市市属国有企业监督管理办法》 (version 2024.1, in force)")
    assert "Layers applied: 《伊宁市市属国有企业监督管理办法》 (local measure, in force); national rules (in force)" in out
    assert "yining-2024" not in out


def test_explain_traces_every_rule_and_the_nearest_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {**CONTRACT_CLASSIFY, "amount": "3999999.99"}
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--explain", "--json"], doc, tmp_path, capsys)
    assert status == 0
    explain = json.loads(out)["explain"]
    tried = {t["rule"]: t["matched"] for t in explain["rules"]}
    assert tried["y12-6"] is False and tried["y13-10"] is True
    assert explain["nearest_threshold"]["bound"] == "4000000"
    assert explain["nearest_threshold"]["side"] == "below" and explain["nearest_threshold"]["distance"] == "0.01"
    status, out, _ = _run(["policy", "explain", "--policy", "yining-2024"], doc, tmp_path, capsys)
    assert status == 0
    assert "✘ 《伊宁市市属国有企业监督管理办法》第12条第6项 → 市政府审核批准" in out
    assert "✔ 《伊宁市市属国有企业监督管理办法》第13条第10项 → 国资监管机构审核批准" in out and "相差 0.01 元" in out
    assert internal_codes(out) == []


def test_meeting_check_contract_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["meeting-check", "--policy", "xundian-2020", "--json"], CONTRACT_MEETING, tmp_path, capsys)
    result = json.loads(out)
    assert status == 0
    assert result["quorum"] == {**result["quorum"], "members": 5, "present": 3, "required": 3, "met": True}
    item = result["items"][0]
    # A board decides by more than half of ALL directors (Company Law art. 73): 2 of 5 is not enough.
    assert (item["passed"], item["for"], item["against"], item["base"], item["required"]) == (False, 2, 1, 5, 3)
    assert result["violations"] == []


def test_meeting_check_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["meeting-check", "--policy", "xundian-2020"], CONTRACT_MEETING, tmp_path, capsys)
    assert status == 0 and "议题 1「关于处置闲置厂房的议题」：未通过" in out
    assert out.startswith("寻甸县县属国有及国有控股企业落实“三重一大”决策制度实施办法(试行) — 董事会")
    assert "国家层面规则 3（《中华人民共和国公司法（2023年修订）》第73条）" in out
    assert "xundian-2020" not in out and "prc-company-law-2023" not in out and internal_codes(out) == []


def test_meeting_check_applies_the_national_layer_where_the_local_text_has_no_meeting_rules(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Yining has no meeting rules of its own; its boards are still bound by the Company Law (national layer).
    status, out, _err = _run(["meeting-check", "--policy", "yining-2024", "--json"], CONTRACT_MEETING, tmp_path, capsys)
    result = json.loads(out)
    assert status == 0 and result["decided_by"] == "national"
    assert [(layer["id"], layer["layer"]) for layer in result["policy"]["layers"]] == [
        ("yining-2024", "local"), ("national", "national")]
    assert (result["quorum"]["required"], result["quorum"]["decided_by"]) == (3, "national")
    assert result["quorum"]["citation"]["document"] == "prc-company-law-2023"
    item = result["items"][0]
    assert (item["passed"], item["required"], item["decided_by"]) == (False, 3, "national")
    # No layer rules the GM office of a Yining enterprise: the body is refused, naming the field.
    gm = {**CONTRACT_MEETING, "body": {**CONTRACT_MEETING["body"], "kind": "gm_office"}}  # type: ignore[dict-item]
    status, out, _err = _run(["meeting-check", "--policy", "yining-2024", "--json"], gm, tmp_path, capsys)
    assert status == 2 and json.loads(out)["error"]["path"] == "body.kind"
    # The overlay alone is not a regulation to check a meeting or a matter against.
    status, out, _err = _run(["meeting-check", "--policy", "national", "--json"], CONTRACT_MEETING, tmp_path, capsys)
    assert status == 2 and json.loads(out)["error"]["code"] == "overlay_pack"
    status, out, _err = _run(["classify", "--policy", "national", "--json"], CONTRACT_CLASSIFY, tmp_path, capsys)
    assert status == 2 and json.loads(out)["error"]["code"] == "overlay_pack"


def test_stdin_and_unreadable_file(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(CONTRACT_CLASSIFY).encode())))
    assert main(["classify", "--policy", "yining-2024", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["obligations"]
    assert main(["classify", "--policy", "yining-2024", "/nonexistent/in.json", "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == "unreadable_file" and "无法读取" in err


def test_bad_input_message_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {**CONTRACT_CLASSIFY, "amount": "-1"}
    status, out, err = _run(["classify", "--policy", "yining-2024", "--json", "--lang", "en"], doc, tmp_path, capsys)
    assert status == 2
    assert json.loads(out) == {"error": {"code": "negative_amount", "message": "amount cannot be negative: -1",
                                         "path": "amount"}}
    assert err == "soegov classify: error: amount cannot be negative: -1\n"


def test_messages_are_words_without_codes_and_a_missing_file_is_said_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["classify", "--policy", "yining-2024"], {**CONTRACT_CLASSIFY, "amount": "-1"}, tmp_path, capsys)
    assert status == 2 and err == "soegov classify：错误：金额 不能为负数：-1\n"
    assert main(["classify", "--policy", "yining-2024", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err == f"soegov classify：错误：无法读取输入文件 {tmp_path / 'nope.json'}：文件不存在\n"
    assert main(["classify", "--policy", "yining-2024", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith("：这是一个目录，不是文件\n")


def test_the_documents_policy_field_is_used_and_the_option_overrides_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A file saved from the API's request body carries its policy.
    status, out, _ = _run(["classify", "--json"], {**CONTRACT_CLASSIFY, "policy": "yining-2024"}, tmp_path, capsys)
    assert status == 0 and json.loads(out)["policy"]["id"] == "yining-2024"
    status, out, _ = _run(["classify", "--json", "--policy", "yining-2024"], {**CONTRACT_CLASSIFY, "policy": "xundian-2020"},
                          tmp_path, capsys)
    assert status == 0 and json.loads(out)["policy"]["id"] == "yining-2024"
    status, out, _ = _run(["meeting-check", "--json"], {**CONTRACT_MEETING, "policy": "xundian-2020"}, tmp_path, capsys)
    assert status == 0 and "items" in json.loads(out)
    status, out, err = _run(["classify"], CONTRACT_CLASSIFY, tmp_path, capsys)
    assert status == 2 and err == "soegov classify：错误：缺少制度编号：请写 “policy” 字段（如 yining-2024），命令行也可用 “--policy” 指定\n"


def test_classify_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--help"]) == 0
    out = capsys.readouterr().out
    options = out.split("位置参数：", 1)[1]
    # One entry per option or argument (its help may wrap onto indented lines): each says what it is in Chinese.
    entries = [e for e in re.split(r"\n  (?=\S)", options) if e.strip()]
    assert len(entries) >= 7, out
    for entry in entries:
        assert any("\u4e00" <= c <= "\u9fff" for c in entry.split("  ", 1)[-1]), entry


def test_meeting_check_reports_every_bad_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {**CONTRACT_MEETING, "date": "2026-02-30", "form": "zoom",
           "items": [{**CONTRACT_MEETING["items"][0], "category": "x", "votes": {"甲": "yes"}}]}
    status, out, err = _run(["meeting-check", "--policy", "xundian-2020", "--json"], bad, tmp_path, capsys)
    assert status == 2
    paths = [e["path"] for e in json.loads(out)["errors"]]
    assert paths == ["date", "form", "items[0].category", "items[0].votes.甲"]
    assert err.count("\n") == 4 and err.startswith("soegov meeting-check：错误：日期 应为")


def test_missing_attribute_names_the_field_and_the_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {**CONTRACT_CLASSIFY, "type": "free_transfer"}
    status, out, err = _run(["classify", "--policy", "yining-2024", "--json"], doc, tmp_path, capsys)
    error = json.loads(out)["error"]
    assert status == 2 and error["path"] == "attributes.counterparty"
    # The field's Chinese name in the message (issue 18); the path stays the contract's.
    assert error["message"] == "缺少属性 划转对象：yining-2024 第12条第7项 依此确定义务，可选：government / intra_group"
    # A person reads the regulation's title on standard error; the values to type stay as they are typed.
    assert err == ("soegov classify：错误：缺少属性 划转对象：《伊宁市市属国有企业监督管理办法》第12条第7项 依此确定义务，"
                   "可选：government / intra_group\n")


def test_english_error_and_note_cite_the_regulation_by_title(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    doc = {**CONTRACT_CLASSIFY, "type": "free_transfer"}
    status, _, err = _run(["classify", "--policy", "yining-2024", "--lang", "en"], doc, tmp_path, capsys)
    assert status == 2
    assert err == ("soegov classify: error: missing attribute attributes.counterparty: 《伊宁市市属国有企业监督管理办法》"
                   " art. 12(7) depends on it; one of government, intra_group\n")
    status, out, _ = _run(["classify", "--policy", "yining-2024", "--lang", "en"],
                          {**CONTRACT_CLASSIFY, "date": "2020-03-01"}, tmp_path, capsys)
    assert status == 0
    assert ("- 《伊宁市市属国有企业监督管理办法》 is not in force on 2020-03-01 (in force 2024-08-13 to 2029-08-12);"
            " no rule was applied") in out


def test_policy_list_show_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "list", "--json"]) == 0
    ids = [p["id"] for p in json.loads(capsys.readouterr().out)]
    assert ids == ["national", "xundian-2020", "yining-2024"]
    assert main(["policy", "show", "yining-2024", "12.6"]) == 0
    out = capsys.readouterr().out
    assert "第12条第6项" in out and "400 万元及以上的资产转让" in out and "y12-6" in out
    assert main(["policy", "show", "xundian-2020", "21", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 5
    assert main(["policy", "show", "yining-2024", "99", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "unknown_article"
    assert main(["policy", "show", "yining-2024"]) == 0
    assert "in-force-date" in capsys.readouterr().out
    assert main(["policy", "types"]) == 0
    assert "asset_transfer" in capsys.readouterr().out


def test_shipped_packs_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "lint", "yining-2024", "xundian-2020"]) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().out


def test_lint_finds_a_hole_an_overlap_and_a_bad_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from soegov.policy.loader import PACKS_DIR

    pack = tmp_path / "broken"
    shutil.copytree(os.path.join(PACKS_DIR, "xundian-2020"), pack)
    with (pack / "parameters.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\nbroken_low: {description: {zh: 测试}, words: {gt: 4万元以上}, reference: {article: 21, item: 2},"
                 " values: {2020-03-27: '40000'}}\n"
                 "broken_high: {description: {zh: 测试}, words: {gt: 90万元以上}, reference: {article: 21, item: 3},"
                 " values: {2020-03-27: '900000'}}\n")
    rules = (pack / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace("amount: {gt: non_production_leader, lte:", "amount: {gt: broken_low, lte:")
    rules = rules.replace("amount: {gt: production_collective, lte:", "amount: {gt: broken_high, lte:")
    (pack / "rules.yaml").write_text(rules, encoding="utf-8")
    assert main(["policy", "lint", str(pack), "--json"]) == 1
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert any("overlapping ranges" in m and "900000.01" in m for m in messages)
    assert any("hole in the ranges" in m and "30000.01" in m for m in messages)
    (pack / "rules.yaml").write_text(rules.replace("[strategy_plan, main_business]", "[strategy_plan, mian_business]"),
                                     encoding="utf-8")
    assert main(["policy", "lint", str(pack)]) == 1
    assert "unknown matter type 'mian_business'" in capsys.readouterr().out
    # A threshold is named once in parameters.yaml: a number written into a rule is refused.
    (pack / "rules.yaml").write_text(rules.replace("{gt: broken_low,", '{gt: "30000",'), encoding="utf-8")
    assert main(["policy", "lint", str(pack)]) == 1
    assert "is not a parameter of the pack (parameters.yaml" in capsys.readouterr().out


def test_lint_checks_the_parameters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from tests.policy.conftest import TEST_PACKS

    pack = tmp_path / "demo"
    shutil.copytree(TEST_PACKS / "demo-county-2026", pack)
    params = (pack / "parameters.yaml").read_text(encoding="utf-8")
    # A value that starts in the middle of version 2026.1, and a parameter no rule reads.
    params = params.replace("2027-01-01: {value", "2026-06-01: {value")
    params += "unused_limit: {description: {zh: 测试}, words: {gte: 1元以上}, reference: {article: 3, item: 1}, values: {2026-02-01: '1'}}\n"
    (pack / "parameters.yaml").write_text(params, encoding="utf-8")
    assert main(["policy", "lint", str(pack), "--json"]) == 1
    found = {(f["level"], f["message"]) for f in json.loads(capsys.readouterr().out)["findings"]}
    assert ("error", "parameter approval_threshold changes value on 2026-06-01, inside a version of the rules: "
            "start a new version on that date") in found
    assert ("warning", "parameter unused_limit is named in parameters.yaml but no rule uses it") in found
    (pack / "parameters.yaml").write_text(params.replace("words: {gte: 100万元以上, lt: 100万元以下}",
                                                         "words: {gte: 100万元以上}"), encoding="utf-8")
    assert main(["policy", "lint", str(pack)]) == 1
    assert "gives no words for the `lt` side" in capsys.readouterr().out


def test_engine_commands_import_no_django_and_leave_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(CONTRACT_CLASSIFY), encoding="utf-8")
    code = ("import sys; from soegov.cli import main; status = main(['classify', '--policy', 'yining-2024', "
            f"{str(source)!r}, '--json']); assert 'django' not in sys.modules, 'django imported'; sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "soegov", "classify", "--policy", "yining-2024", str(bad)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "JSON" in done.stderr


def test_classify_with_a_built_pack_imports_no_pathlib_typing_zoneinfo_yaml_pickle_or_importlib(tmp_path: Path) -> None:
    # bench/classify.py measures the start-up (target <= 3x a bare Python); these imports each cost part of it,
    # and so does building the error-code enumerations (Enum classes) a valid classify never raises from.
    # Run without site (-S) as a wheel install is: the editable install's import hook itself imports pathlib.
    source = tmp_path / "in.json"
    source.write_text(json.dumps(CONTRACT_CLASSIFY), encoding="utf-8")
    assert main(["classify", "--policy", "yining-2024", str(source), "--json"]) == 0  # the pack built and cached
    root = str(Path(__file__).resolve().parents[2])
    code = (f"import sys; sys.path.insert(0, {root!r}); from soegov.cli import main; "
            f"status = main(['classify', '--policy', 'yining-2024', {str(source)!r}, '--json']); "
            "print(sorted({'pathlib', 'typing', 'zoneinfo', 'yaml', 'pickle', '_pickle', 'importlib', "
            "'soegov.core.error_codes', 'soegov.cli_error_codes'} & set(sys.modules)), "
            "file=sys.stderr); "
            "sys.exit(status)")
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"


def test_the_console_script_pauses_the_collector_for_a_classify_only(tmp_path: Path) -> None:
    # soegov.cli.run: what a one-shot command makes lives until it ends (its start-up is benchmarked); for another
    # command, and in main() itself (a process that goes on, as the tests do), the collector is left as it was.
    import gc
    import tomllib

    root = Path(__file__).resolve().parents[2]
    assert tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["soegov"] == "soegov.cli:run"
    source = tmp_path / "in.json"
    source.write_text(json.dumps(CONTRACT_CLASSIFY), encoding="utf-8")
    code = ("import gc, sys; from soegov.cli import run; sys.argv = ['soegov', *sys.argv[1:]]; status = run(); "
            "print(gc.isenabled(), file=sys.stderr); sys.exit(status)")
    for words, collecting in ((["classify", "--policy", "yining-2024", str(source), "--json"], "False"),
                              (["policy", "list", "--json"], "True")):
        done = subprocess.run([sys.executable, "-c", code, *words], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == collecting, words
    assert main(["classify", "--policy", "yining-2024", str(source), "--json"]) == 0
    assert gc.isenabled()


@pytest.mark.parametrize(("cases", "command"), [("yining-2024", "classify"), ("xundian-2020", "classify"),
                                                ("xundian-2020-meetings", "meeting-check")])
def test_no_report_of_the_law_cases_shows_an_internal_code(cases: str, command: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    # Every case of the law tests, read as a person reads it: regulations by title, notes and values in words.
    from soegov.policy.yaml_files import read_yaml

    policy = cases.removesuffix("-meetings")
    path = Path(__file__).resolve().parents[1] / "law" / "cases" / f"{cases}.yaml"
    for case in read_yaml(path):
        extra = ["--explain"] if command == "classify" else []
        doc = json.dumps(case["input"], default=str, ensure_ascii=False)  # YAML reads dates as dates
        _, out, _ = _run([command, "--policy", policy, *extra], doc, tmp_path, capsys)
        assert internal_codes(out) == [] and policy not in out and "提示 " not in out, (case["name"], out)


def test_a_level_out_of_range_is_refused_with_both_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {**CONTRACT_CLASSIFY, "enterprise": {**CONTRACT_CLASSIFY["enterprise"], "level": 99}}
    status, _, err = _run(["classify", "--policy", "yining-2024"], doc, tmp_path, capsys)
    # 99 is "1 及以上": the message must say the upper bound too, or it reads as wrong.
    assert status == 2
    assert err == "soegov classify：错误：企业层级 应为 1 至 20 的整数（1 = 国资监管机构直接出资的一级企业），收到 99\n"
    status, _, err = _run(["classify", "--policy", "yining-2024", "--lang", "en"], doc, tmp_path, capsys)
    assert err == "soegov classify: error: enterprise.level must be an integer from 1 (directly funded) to 20, got 99\n"
