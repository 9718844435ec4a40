"""The `soegov` dispatcher: only the command's own area is loaded, argparse speaks Chinese (English with
--lang en), errors name fields in Chinese while the JSON keeps the contract's paths, every error of a file is
reported, and bad values on the command line never end in a traceback."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from soegov.cli import COMMAND_MODULES, COMMANDS, build_parser, main
from soegov.cli_parser import Parser

LEDGER = "date,payee,amount,purpose,expense_class,contract_id\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_every_command_is_in_the_table_under_the_module_that_registers_it() -> None:
    registered = {}
    for name in COMMAND_MODULES:
        sub = Parser(prog="soegov").add_subparsers(dest="command")
        importlib.import_module(name).add_commands(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMANDS


@pytest.mark.parametrize(("command", "absent"), [
    ("classify", ("soegov.ledger", "soegov.calendar", "soegov.web", "duckdb", "django", "yaml")),
    ("deadline", ("soegov.policy", "soegov.ledger", "soegov.web", "duckdb", "django")),
    ("ledger", ("soegov.calendar", "soegov.web", "duckdb", "django")),
])
def test_building_the_parser_loads_only_the_command_s_own_area(command: str, absent: tuple[str, ...]) -> None:
    code = (f"import sys; from soegov.cli import build_parser; build_parser([{command!r}, '--help']); "
            "print(' '.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not [m for m in loaded if m.startswith(absent)]


def test_missing_arguments_and_values_are_told_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "classify")
    assert status == 2 and out == ""
    assert err.startswith("用法：soegov classify [-h] [--policy POLICY]")
    assert err.rstrip().endswith("soegov classify：错误：缺少必需的参数：FILE")
    status, _, err = _run(capsys, "classify", "x.json", "--policy")
    assert status == 2 and "参数 --policy：需要一个值" in err
    status, _, err = _run(capsys, "ledger", "check", "x.csv", "--policy", "xundian-2020", "--bogus")
    assert status == 2 and "无法识别的参数：--bogus" in err
    status, _, err = _run(capsys, "ledger", "check", "x.csv", "--policy", "xundian-2020", "--level", "一")
    assert status == 2 and "参数 --level：应为整数，收到 '一'" in err
    status, _, err = _run(capsys, "clasify")
    assert status == 2 and "参数 命令：无效的选项 'clasify'（可选：'classify'," in err


def test_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "classify", "--lang", "en")
    assert status == 2 and err.startswith("usage: soegov classify")
    assert "soegov classify: error: the following arguments are required: FILE" in err
    status, out, _ = _run(capsys, "ledger", "check", "--help", "--lang=en")
    assert status == 0 and "positional arguments:" in out and "show this help message and exit" in out


def test_help_headings_are_chinese_and_argparse_is_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "ledger", "check", "--help")
    assert status == 0
    assert out.startswith("用法：soegov ledger check") and "位置参数：" in out and "选项：" in out
    assert "-h, --help            显示本帮助并退出" in out
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]  # gettext's again, for the rest of the process


def test_argument_errors_under_json_are_the_contract_s_error_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "ledger", "check", "x.csv", "--policy", "xundian-2020", "--window-days", "x", "--json")
    assert status == 2
    assert json.loads(out) == {"error": {"code": "invalid_arguments", "path": None,
                                         "message": "参数 --window-days：应为整数，收到 'x'"}}


def test_error_messages_name_fields_in_chinese_and_keep_the_path(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "m.json"
    doc.write_text(json.dumps({"date": "2026-03-01", "enterprise": {"level": 2, "ownership": "controlled"},
                               "type": "asset_transfer", "amount": "-5"}), encoding="utf-8")
    status, out, err = _run(capsys, "classify", "--policy", "yining-2024", str(doc), "--json")
    assert status == 2
    assert json.loads(out)["error"] == {"code": "negative_amount", "path": "amount", "message": "金额 不能为负数：-5"}
    assert err == "soegov classify：错误：金额 不能为负数：-5\n"  # words for a person; the code is in the JSON
    status, out, err = _run(capsys, "classify", "--policy", "yining-2024", str(doc), "--json", "--lang", "en")
    assert json.loads(out)["error"]["message"] == "amount cannot be negative: -5"


def test_every_error_of_a_ledger_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "l.csv"
    path.write_text(LEDGER + "2026-02-30,甲,-5,other,production,\n2026-03-01,乙,10,gift,production,\n", encoding="utf-8")
    status, out, err = _run(capsys, "ledger", "check", str(path), "--policy", "xundian-2020", "--as-of", "2026-03-01",
                            "--json")
    assert status == 2
    doc = json.loads(out)
    assert doc["error"]["code"] == "invalid_rows" and doc["error"]["path"] == "row 2.date"
    assert [(e["code"], e["path"]) for e in doc["errors"]] == [
        ("invalid_date", "row 2.date"), ("negative_amount", "row 2.amount"), ("unknown_purpose", "row 3.purpose")]
    lines = err.splitlines()
    assert lines[0] == ("soegov ledger check：错误：台账有 2 行无法检查，改正后重新检查，"
                        "或用 --skip-invalid 只检查其余各行")
    assert lines[1:3] == ["  第2行：日期“2026-02-30”不是 YYYY-MM-DD 格式的日期",
                          "  第2行：金额“-5”不能为负数"]
    assert lines[3].startswith("  第3行：用途“gift”无法识别")


def test_readable_report_names_findings_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "l.csv"
    path.write_text(LEDGER + "2026-03-01,丙公司,20000,other,non_production,\n"
                    "2026-03-20,丙公司,20000,other,non_production,\n2026-03-21,丁公司,x,other,non_production,\n",
                    encoding="utf-8")
    status, out, _ = _run(capsys, "ledger", "check", str(path), "--policy", "xundian-2020", "--as-of", "2026-03-01",
                          "--skip-invalid")
    assert status == 0
    assert "【疑似化整为零（拆分支付）】收款方 丙公司 在 30 天内分 2 笔支付合计 40000.00 元" in out
    assert "split_payment" not in out and "台账行：2、3" in out
    assert "（《寻甸县县属国有及国有控股企业落实“三重一大”决策制度实施办法(试行)》第21条第2项）" in out and "xundian-2020" not in out
    assert "无法检查的行（1 行）：\n   第4行：金额“x”不是数字" in out
    status, out, _ = _run(capsys, "ledger", "check", str(path), "--policy", "xundian-2020", "--as-of", "2026-03-01",
                          "--skip-invalid", "--lang", "en")
    assert "[split payment] 2 payments to payee 丙公司" in out and "row 4: amount 'x' is not a number" in out


@pytest.mark.parametrize(("flags", "code"), [
    (["--level", "99999999999999999999"], "invalid_level"),
    (["--level", "-1"], "invalid_level"),
    (["--window-days", "100000000000000000000000"], "invalid_window"),
    (["--window-days", "0"], "invalid_window"),
    (["--as-of", "99999-01-01"], "invalid_date"),
    (["--as-of", "1900-01-01"], "policy_not_in_force"),
    (["--ownership", "国有"], "unknown_ownership"),
])
def test_out_of_range_command_line_values_are_named_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], code: str) -> None:
    path = tmp_path / "l.csv"
    path.write_text(LEDGER + "2026-03-01,乙,10,other,production,\n", encoding="utf-8")
    status, out, err = _run(capsys, "ledger", "check", str(path), "--policy", "xundian-2020", "--json", *flags)
    assert status == 2 and json.loads(out)["error"]["code"] == code
    assert err.startswith("soegov ledger check：错误：") and code not in err and "Traceback" not in err


@pytest.mark.parametrize(("message", "path", "named"), [
    ("amount 不能为负数：-5", "amount", "金额 不能为负数：-5"),
    ("缺少事项类型 type", "type", "缺少事项类型"),
    ("type 不是已知的事项类型：\"date\"（见 soegov policy types）", "type", "事项类型 不是已知的事项类型：\"date\"（见 soegov policy types）"),
    ("缺少 enterprise.level", "enterprise.level", "缺少 企业层级"),
    ("主要负责人 '王' 不在 body.members 中", "body.principal", "主要负责人 '王' 不在 决策机构成员 中"),
    ("items[0].votes.王 未知的表决：'x'", "items[0].votes.王", "第1个议题的表决（王） 未知的表决：'x'"),
    ("working_days 必须是整数，收到“abc”", "working_days", "工作日数 必须是整数，收到“abc”"),
    ("decisions[1].date 应为 YYYY-MM-DD 格式的日期", "decisions[1].date", "第2条决策记录的日期 应为 YYYY-MM-DD 格式的日期"),
    ("第3行：金额“-5”不能为负数", "row 3.amount", "第3行：金额“-5”不能为负数"),
])
def test_field_paths_become_chinese_names(message: str, path: str, named: str) -> None:
    from soegov.field_labels import in_chinese

    assert in_chinese(message, path) == named


def test_every_bad_field_of_a_classify_document_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "m.json"
    doc.write_text(json.dumps({"date": "2026-02-30", "enterprise": {"level": 0}, "type": "asset_transfer",
                               "amount": "1.005"}), encoding="utf-8")
    status, out, err = _run(capsys, "classify", "--policy", "yining-2024", str(doc), "--json")
    assert status == 2
    result = json.loads(out)
    assert result["error"]["path"] == "date"
    assert [(e["code"], e["path"]) for e in result["errors"]] == [
        ("invalid_date", "date"), ("invalid_level", "enterprise.level"), ("missing_field", "enterprise.ownership"),
        ("invalid_amount", "amount")]
    assert [e["message"].split(" ", 1)[0] for e in result["errors"]] == ["日期", "企业层级", "缺少", "金额"]
    lines = err.splitlines()
    assert lines[0].startswith("soegov classify：错误：日期 应为 YYYY-MM-DD")
    assert [line.split(" ", 3)[2] for line in lines[1:]] == ["企业层级", "缺少", "金额"]
    doc.write_text(json.dumps({"date": "2026-02-30", "enterprise": {"level": 1, "ownership": "sole"},
                               "type": "asset_transfer"}), encoding="utf-8")
    status, out, err = _run(capsys, "classify", "--policy", "yining-2024", str(doc), "--json")
    assert status == 2 and "errors" not in json.loads(out) and len(err.splitlines()) == 1


def test_every_bad_decision_on_record_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(LEDGER + "2026-03-01,乙,10,other,production,\n", encoding="utf-8")
    decisions = tmp_path / "d.csv"
    decisions.write_text("ref,payee,contract_id,amount,date\n会议1,乙,,abc,2026-03-01\n会议2,乙,,5,2026-02-30\n"
                         "会议3,乙,,5,2026-03-01\n", encoding="utf-8")
    status, out, err = _run(capsys, "ledger", "check", str(ledger), "--policy", "xundian-2020", "--as-of", "2026-03-01",
                            "--decisions", str(decisions), "--json")
    assert status == 2
    assert [(e["code"], e["path"]) for e in json.loads(out)["errors"]] == [
        ("invalid_amount", "decisions[0].amount"), ("invalid_date", "decisions[1].date")]
    assert err.splitlines()[0].startswith("soegov ledger check：错误：第1条决策记录的金额 不是数字")
    assert err.splitlines()[1].startswith("  第2条决策记录的日期 应为 YYYY-MM-DD")


def test_a_module_with_add_command_builds_only_the_command_being_run() -> None:
    def commands(argv: list[str]) -> set[str]:
        parser = build_parser(argv)
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return set(sub.choices)

    assert commands(["classify", "x.json"]) == {"classify"}
    assert commands(["policy", "list"]) == {"policy"}
    assert {"classify", "meeting-check", "policy", "ledger"} <= commands(["--help"])
