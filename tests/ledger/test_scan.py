"""Ledger checks on small hand-made ledgers with known answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soegov.cli import main
from soegov.core.errors import InputError
from soegov.ledger.scan import scan_ledger

HEADER = "date,payee,amount,purpose,expense_class,contract_id\n"


def _ledger(tmp_path: Path, rows: list[str], name: str = "ledger.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _scan(path: Path, policy: str = "xundian-2020", **kw: Any) -> list[dict[str, Any]]:
    kw.setdefault("as_of", "2026-03-01")
    result = scan_ledger(path, policy=policy, level=1, ownership="sole", **kw)
    return result["findings"]


@pytest.mark.parametrize(("amount", "expense_class", "citation"), [
    ("30000", "non_production", None),               # 21.1: 3万元以下(含3万元), the leader's own authority
    ("30000.01", "non_production", "第21条第2项"),
    ("200000", "non_production", "第21条第2项"),
    ("200000.01", "non_production", "第21条第3项"),   # + filing with the county finance bureau
    ("500000", "non_production", "第21条第3项"),
    ("500000.01", "non_production", "第21条第4项"),
    ("100000", "production", None),
    ("100000.01", "production", "第21条第2项"),
    ("5000000", "production", "第21条第3项"),
    ("5000000.01", "production", "第21条第4项"),
])
def test_single_payment_tiers_xundian(tmp_path: Path, amount: str, expense_class: str, citation: str | None) -> None:
    findings = _scan(_ledger(tmp_path, [f"2026-03-02,甲公司,{amount},other,{expense_class},"]))
    if citation is None:
        assert findings == []
    else:
        assert [(f["code"], f["rows"]) for f in findings] == [("unrecorded_payment", [2])]
        assert findings[0]["citation"].endswith(citation)


@pytest.mark.parametrize(("amount", "purpose", "expected"), [
    ("2000000", "other", 0),              # 12.10: 一次性超过200万元 — exactly 2 million is not over
    ("2000000.01", "other", 1),
    ("9000000", "goods_payment", 0),      # goods payments are excluded from 12.10
])
def test_single_payment_yining(tmp_path: Path, amount: str, purpose: str, expected: int) -> None:
    findings = _scan(_ledger(tmp_path, [f"2026-03-02,甲公司,{amount},{purpose},production,"]), policy="yining-2024")
    assert len(findings) == expected
    if expected:
        assert findings[0]["citation"] == "yining-2024 第12条第10项"


def test_split_payment_inside_and_just_outside_the_window(tmp_path: Path) -> None:
    rows = [
        "2026-03-01,丙公司,20000,other,non_production,",
        "2026-03-30,丙公司,20000,other,non_production,",   # 29 days later: inside a 30-day window
        "2026-05-01,丁公司,20000,other,non_production,",
        "2026-05-31,丁公司,20000,other,non_production,",   # 30 days later: just outside
    ]
    findings = _scan(_ledger(tmp_path, rows), window_days=30)
    assert [(f["code"], f["payee"], f["rows"], f["total"]) for f in findings] == [
        ("split_payment", "丙公司", [2, 3], "40000.00")]
    assert findings[0]["citation"].endswith("第21条第2项")


def test_split_counts_only_parts_each_below_the_threshold_they_cross(tmp_path: Path) -> None:
    rows = ["2026-03-01,丙公司,30000.01,other,non_production,", "2026-03-02,丙公司,10,other,non_production,"]
    codes = [f["code"] for f in _scan(_ledger(tmp_path, rows))]
    assert codes == ["unrecorded_payment"]  # the big part is a finding of its own; the pair crosses no new tier


def test_split_by_contract_across_payees(tmp_path: Path) -> None:
    rows = ["2026-03-01,甲分公司,60000,goods_payment,production,HT-9",
            "2026-03-10,乙分公司,60000,goods_payment,production,HT-9"]
    findings = _scan(_ledger(tmp_path, rows))
    assert [(f["code"], f["key"], f["contract_id"]) for f in findings] == [("split_payment", "contract_id", "HT-9")]


def test_decisions_on_record_cover_payments_and_splits(tmp_path: Path) -> None:
    rows = ["2026-03-02,乙公司,150000,other,non_production,",
            "2026-03-05,丙公司,20000,other,non_production,HT-1",
            "2026-03-06,丙公司,20000,other,non_production,HT-1"]
    path = _ledger(tmp_path, rows)
    assert len(_scan(path)) == 2
    decisions = [{"ref": "会议2026-3#1", "payee": "乙公司", "amount": "150000", "date": "2026-03-01"},
                 {"ref": "会议2026-3#2", "contract_id": "HT-1", "amount": "40000", "date": "2026-03-04"}]
    assert _scan(path, decisions=decisions) == []
    late = [{**decisions[0], "date": "2026-03-03"}, {**decisions[1], "amount": "39999.99"}]
    assert sorted(f["code"] for f in _scan(path, decisions=late)) == ["split_payment", "unrecorded_payment"]


def test_guarantee_to_company_without_equity_relation_is_prohibited_by_yining(tmp_path: Path) -> None:
    rows = ["2026-03-07,戊公司,50000,guarantee,non_production,", "2026-03-07,子公司,50000,loan,non_production,"]
    findings = _scan(_ledger(tmp_path, rows), policy="yining-2024", related=["子公司"])
    assert [(f["code"], f["payee"], f["citation"]) for f in findings] == [
        ("prohibited_counterparty", "戊公司", "yining-2024 第16条第4项")]


def test_invalid_rows_are_named_and_nothing_is_checked_unless_skipped(tmp_path: Path) -> None:
    rows = ["2026-02-30,甲,100,other,non_production,", "2026-03-01,乙,-5,other,non_production,",
            "2026-03-01,丙,1.005,other,non_production,", "2026-03-01,丁,10,gift,non_production,",
            '2026-03-01,己,"1,2",other,non_production,',
            '2026-03-01,庚,"300,000",other,non_production,',
            "2026-03-01,戊,900000,other,non_production,"]
    path = _ledger(tmp_path, rows)
    with pytest.raises(InputError) as err:
        _scan(path)
    assert err.value.code == "invalid_rows" and err.value.path == "row 2.date"
    assert err.value.message == "台账有 5 行无法检查，改正后重新检查，或用 --skip-invalid 只检查其余各行"
    assert err.value.details[0].message == "第2行：日期“2026-02-30”不是 YYYY-MM-DD 格式的日期"
    assert err.value.details[3].message.startswith("第5行：用途“gift”无法识别")
    assert [(e.code, e.path) for e in err.value.details] == [
        ("invalid_date", "row 2.date"), ("negative_amount", "row 3.amount"), ("amount_too_precise", "row 4.amount"),
        ("unknown_purpose", "row 5.purpose"), ("invalid_amount", "row 6.amount")]
    result = scan_ledger(path, policy="xundian-2020", level=1, ownership="sole", skip_invalid=True, as_of="2026-03-01")
    assert result["stats"]["invalid_rows"] == 5 and [f["rows"] for f in result["findings"]] == [[7], [8]]
    assert [r["row"] for r in result["refused"]] == [2, 3, 4, 5, 6]
    assert result["refused"][1]["problems"] == [{
        "field": "amount", "problem": "negative_amount", "value": "-5", "message": "第3行：金额“-5”不能为负数",
        "message_en": "row 3: amount '-5' cannot be negative"}]


def test_xlsx_with_chinese_headers_and_aliases(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "收款方", "金额", "用途", "支出类别", "合同编号"])
    sheet.append(["2026-03-02", "甲公司", 250000, "其他", "非生产性", None])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    findings = _scan(path)
    assert [(f["code"], f["citation"]) for f in findings] == [("unrecorded_payment", "xundian-2020 第21条第3项")]


def test_cli_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _ledger(tmp_path, ["2026-03-02,乙公司,30000.01,other,non_production,"])
    assert main(["ledger", "check", str(path), "--policy", "xundian-2020", "--as-of", "2026-03-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"][0]["rows"] == [2]
    assert main(["ledger", "check", str(tmp_path / "none.csv"), "--policy", "xundian-2020", "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == "unreadable_file" and err.startswith("soegov ledger check：错误：无法读取台账")
    assert main(["ledger", "check", str(path), "--policy", "xundian-2020", "--window-days", "0", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["path"] == "window_days"
