"""Reading ledgers: every row checked or refused with its row number, the typed fast way agreeing with the
per-row checks, Parquet giving what CSV gives, and bad values (out of range too) named without a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soegov.cli import main
from soegov.core.errors import InputError
from soegov.ledger.scan import scan_ledger
from soegov.ledger.source import load_ledger
from soegov.ledger.validation import validated_sql

HEADER = ["date", "payee", "amount", "purpose", "expense_class", "contract_id"]


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _scan(path: Path, **kw: Any) -> dict[str, Any]:
    return scan_ledger(path, policy="xundian-2020", level=1, ownership="sole", as_of="2026-03-01", **kw)


def _loaded(path: Path) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The valid rows and the (row, field, problem) refusals load_ledger makes of a file."""
    con = duckdb.connect()
    try:
        load_ledger(con, path)
        valid = {(r, d, p, c, str(pu), str(ec), ct) for r, d, p, c, pu, ec, ct in con.execute(
            "SELECT row_no, date, payee, cents, purpose, expense_class, contract_id FROM ledger").fetchall()}
        errors = set(con.execute("SELECT row_no, field, problem FROM ledger_errors").fetchall())
    finally:
        con.close()
    return valid, errors


def _checked_slowly(rows: list[list[str]]) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The same rows put through the per-row checks alone, without DuckDB's CSV reader."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE raw (row_no BIGINT, date VARCHAR, payee VARCHAR, amount VARCHAR, purpose VARCHAR, "
                    "expense_class VARCHAR, contract_id VARCHAR)")
        con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", [(n + 2, *r) for n, r in enumerate(rows)])
        checked = con.execute(f"SELECT row_no, date, payee, cents, purpose, expense_class, contract_id, problems "
                              f"FROM ({validated_sql('raw')})").fetchall()
    finally:
        con.close()
    valid = {tuple(r[:7]) for r in checked if r[7] is None}
    errors = {(r[0], p["field"], p["problem"]) for r in checked if r[7] for p in r[7]}
    return valid, errors


def test_a_bad_row_among_three_is_refused_with_its_number_and_the_others_checked(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.csv", [["2026-03-02", "甲公司", "250000", "other", "non_production", ""],
                                       ["2026-03-03", "乙公司", "一百万", "other", "non_production", ""],
                                       ["2026-03-04", "丙公司", "250000", "other", "non_production", ""]])
    result = _scan(path, skip_invalid=True)
    assert result["stats"]["rows"] == 2 and result["stats"]["invalid_rows"] == 1
    assert [f["rows"] for f in result["findings"]] == [[2], [4]]
    assert result["refused"] == [{"row": 3, "problems": [{
        "field": "amount", "problem": "invalid_amount", "value": "一百万",
        "message": "第3行：金额“一百万”不是数字（单位：元；逗号只能作千位分隔符，如 4,000,000）",
        "message_en": "row 3: amount '一百万' is not a number of yuan (commas only as thousands separators, 4,000,000)"}]}]


def test_every_bad_field_of_every_row_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.csv", [["2026-02-30", "", "-5", "gift", "其它", ""],
                                       ["2026-03-01", "甲", "10", "other", "production", ""],
                                       ["", "乙", "1.001", "other", "", ""]])
    with pytest.raises(InputError) as err:
        _scan(path)
    assert err.value.code == "invalid_rows" and err.value.path == "row 2.date"
    assert [(e.code, e.path) for e in err.value.details] == [
        ("invalid_date", "row 2.date"), ("missing", "row 2.payee"), ("negative_amount", "row 2.amount"),
        ("unknown_purpose", "row 2.purpose"), ("unknown_expense_class", "row 2.expense_class"),
        ("missing", "row 4.date"), ("amount_too_precise", "row 4.amount"), ("missing", "row 4.expense_class")]
    assert err.value.as_dict()["errors"][1] == {"code": "missing", "message": "第2行：收款方为空", "path": "row 2.payee"}


def test_rejected_lines_keep_their_places_in_the_file(tmp_path: Path) -> None:
    """Lines DuckDB's typed reader rejects (grouped amounts, short lines, a quoted line break before them)
    are read again field by field, and every row keeps the number a spreadsheet shows."""
    path = tmp_path / "l.csv"
    path.write_text(
        "date,payee,amount,purpose,expense_class,contract_id\n"
        '2026-03-01,"甲\n公司",40000,other,non_production,\n'      # row 2, over two lines of text
        '2026-03-02,乙公司,"1,234.50",其他,非生产性,\n'              # row 3: grouped amount → read again, valid
        "2026-03-03,丙公司,40000,other,non_production\n"             # row 4: no contract column → padded, valid
        "2026-03-04,丁公司,40000,OTHER, non_production ,\n"          # row 5: case and spaces → read again, valid
        "2026-03-05,戊公司,40000,other,non_production,,extra\n"      # row 6: one field too many → refused
        "2026-03-06,己公司,40000,other,non_production,\n",           # row 7
        encoding="utf-8")
    result = _scan(path, skip_invalid=True)
    assert sorted(r for f in result["findings"] for r in f["rows"]) == [2, 4, 5, 7]
    assert [(r["row"], [p["problem"] for p in r["problems"]]) for r in result["refused"]] == [(6, ["too_many_fields"])]
    valid, _ = _loaded(path)
    assert {r[0]: r[3] for r in valid} == {2: 4000000, 3: 123450, 4: 4000000, 5: 4000000, 7: 4000000}


def test_a_line_that_is_not_utf8_or_opens_a_quote_is_refused_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_bytes(b"date,payee,amount,purpose,expense_class,contract_id\n"
                     + "2026-03-01,甲,40000,other,non_production,\n".encode()
                     + b"2026-03-02,\xd2\xd2,40000,other,non_production,\n"          # GBK, not UTF-8
                     + "2026-03-03,丙,40000,other,non_production,\n".encode()
                     + '2026-03-04,"丁,40000,other,non_production,\n2026-03-05,戊,1,other,non_production,\n'.encode())
    result = _scan(path, skip_invalid=True)
    assert [f["rows"] for f in result["findings"]] == [[2], [4]]
    assert [(r["row"], r["problems"][0]["problem"]) for r in result["refused"]] == [
        (3, "not_utf8"), (5, "unterminated_quote")]
    assert result["refused"][0]["problems"][0]["message"] == "第3行不是 UTF-8 编码的文字（请以 UTF-8 编码另存 CSV）"


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("amount", "1000000000000000", "amount_out_of_range"),
    ("amount", "99999999999999999999999999999999999999999", "invalid_amount"),
    ("amount", "1e400", "invalid_amount"),
    ("amount", "NaN", "invalid_amount"),
    ("date", "26-03-01", "date_out_of_range"),
    ("date", "2101-01-01", "date_out_of_range"),
    ("date", "5877642-06-25", "date_out_of_range"),
    ("date", "-2026-03-01", "date_out_of_range"),
    ("date", "infinity", "date_out_of_range"),
    ("date", "2026-13-01", "invalid_date"),
])
def test_out_of_range_numbers_and_dates_are_refused_by_name(tmp_path: Path, field: str, value: str, problem: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    row = {"date": "2026-03-01", "payee": "甲", "amount": "10", "purpose": "other", "expense_class": "production",
           "contract_id": ""}
    row[field] = value
    path = _write(tmp_path / "l.csv", [list(row.values())])
    assert main(["ledger", "check", str(path), "--policy", "xundian-2020", "--as-of", "2026-03-01", "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["errors"] == [{"code": problem, "path": f"row 2.{field}",
                                          "message": json.loads(out)["errors"][0]["message"]}]
    assert "Traceback" not in err and err.startswith("soegov ledger check：错误：台账有")


@pytest.mark.parametrize("typed", [True, False])
def test_parquet_gives_the_same_findings_and_refusals_as_csv(tmp_path: Path, typed: bool) -> None:
    rows = [["2026-03-01", "丙公司", "20000", "other", "non_production", ""],
            ["2026-03-20", "丙公司", "20000", "其他", "非生产性", "HT-1"],
            ["2026-03-21", "丁公司", "-3", "other", "non_production", ""],
            ["2026-03-22", "戊公司", "250000", "other", "production", "HT-2"],
            ["2026-03-23", "己公司", "80000", "guarantee", "non_production", ""]]
    path = _write(tmp_path / "l.csv", rows)
    parquet = tmp_path / "l.parquet"
    types = ("{'date': 'DATE', 'payee': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'purpose': 'VARCHAR', "
             "'expense_class': 'VARCHAR', 'contract_id': 'VARCHAR'}" if typed else "{" + ", ".join(
                 f"'{c}': 'VARCHAR'" for c in HEADER) + "}")
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{path}', header = true, columns = {types})) TO '{parquet}' "
                   f"(FORMAT parquet)")
    from_csv, from_parquet = _scan(path, skip_invalid=True), _scan(parquet, skip_invalid=True)
    assert from_parquet["findings"] == from_csv["findings"] and len(from_csv["findings"]) == 3
    # A typed Parquet amount reads back as the file holds it (-3.00 where the CSV says -3); the refusal is the same.
    assert [(r["row"], [(p["field"], p["problem"]) for p in r["problems"]]) for r in from_parquet["refused"]] == [
        (r["row"], [(p["field"], p["problem"]) for p in r["problems"]]) for r in from_csv["refused"]] == [
        (4, [("amount", "negative_amount")])]
    assert from_parquet["stats"] == from_csv["stats"]


def test_unreadable_parquet_and_missing_columns_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "l.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError) as err:
        _scan(bad)
    assert err.value.code == "unreadable_file"
    path = _write(tmp_path / "l.csv", [["2026-03-01", "甲", "1"]], header=["日期", "收款方", "金额"])
    with pytest.raises(InputError) as err:
        _scan(path)
    assert err.value.code == "missing_column" and err.value.path == "purpose"
    assert err.value.message.startswith("台账缺少列：用途、支出类别")
    path = _write(tmp_path / "l.csv", [["2026-03-01", "甲", "1", "1"]], header=["日期", "收款方", "金额", "金额"])
    with pytest.raises(InputError) as err:
        _scan(path)
    assert err.value.code == "duplicate_column"


DATES = st.sampled_from(["2026-03-01", " 2026-03-01", "2026-3-1", "2026/03/01", "2026-03-01 00:00:00", "20260301",
                         "26-03-01", "2026-02-29", "2024-02-29", "1899-12-31", "1900-01-01", "2100-12-31",
                         "2101-01-01", "epoch", "infinity", "-2026-03-01", "", " ", "2026-13-01", "2026-03-01T08:00",
                         "2026-03-01 BC", "+2026-03-01", "２０２６-03-01"]) | st.dates().map(str)
AMOUNTS = st.sampled_from(["5", " 5", "+5", "-5", "-0", ".5", "5.", "1e3", "1_000", "1,000", "1,000.5", "1,2",
                           "1 000", "0x10", "1.005", "1.00001", "1.23456789", "99999999999999.99",
                           "999999999999999.99", "1000000000000000", "", " ", "nan", "inf", "5元", "１２"]) | \
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False).map(str)
PURPOSES = st.sampled_from(["other", "goods_payment", "donation", "guarantee", "loan", "其他", "货款", "捐赠", "担保",
                            " other", "OTHER", "Other ", "gift", "", "其它"])
CLASSES = st.sampled_from(["production", "non_production", "生产性", "非生产性", "管理费用", " production",
                           "Production", "", "x"])
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8) | st.sampled_from(["甲公司", " 乙 ", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(DATES, TEXT, AMOUNTS, PURPOSES, CLASSES, TEXT).map(list), min_size=1, max_size=12))
def test_the_typed_fast_way_takes_only_what_the_per_row_checks_take(tmp_path: Path, rows: list[list[str]]) -> None:
    """Whatever a row holds, reading the file (typed, rejected lines read again) gives the same valid rows with
    the same values, and the same refusals, as putting every row through the per-row checks."""
    valid, errors = _loaded(_write(tmp_path / "l.csv", rows))
    expected_valid, expected_errors = _checked_slowly(rows)
    assert valid == expected_valid
    assert errors == expected_errors


def test_a_gbk_csv_from_excel_is_read_and_a_utf8_one_with_a_bad_line_is_not_turned_into_mojibake(
        tmp_path: Path) -> None:
    rows = "日期,收款方,金额,用途,支出类别\n2026-03-01,甲公司,250000,其他,非生产性\n2026-03-02,乙公司,-1,其他,非生产性\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(rows.encode("gbk"))
    result = _scan(gbk, skip_invalid=True)
    assert [(f["payee"], f["rows"]) for f in result["findings"]] == [("甲公司", [2])]
    assert [(r["row"], r["problems"][0]["problem"]) for r in result["refused"]] == [(3, "negative_amount")]
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(rows.encode() + "2026-03-03,丙公司,250000,其他,非生产性\n".encode("gbk"))
    result = _scan(mixed, skip_invalid=True)
    assert [(f["payee"], f["rows"]) for f in result["findings"]] == [("甲公司", [2])]
    assert [(r["row"], r["problems"][0]["problem"]) for r in result["refused"]] == [(3, "negative_amount"), (4, "not_utf8")]


def test_the_largest_amounts_are_read_exactly(tmp_path: Path) -> None:
    valid, errors = _loaded(_write(tmp_path / "l.csv", [["2026-03-01", "甲", "99999999999999.99", "other", "production", ""],
                                                        ["2026-03-01", "乙", "999999999999999.99", "other", "production", ""]]))
    assert sorted((r[0], r[3]) for r in valid) == [(2, 9999999999999999), (3, 99999999999999999)]
    assert errors == set()
