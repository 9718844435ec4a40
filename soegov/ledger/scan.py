"""Scan a payment ledger with DuckDB: payments above a tier with no decision or filing on record,
split payments (化整为零), and guarantees or loans to companies without an equity relation.

Ten million rows fit on a 2-core machine: the ledger is read by DuckDB's CSV reader into integer
cents, every check is one SQL statement over columnar data, and only the findings come back to
Python. The thresholds are the engine's (see tiers.py), so the scan never restates a rule.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from soegov.errors import InputError
from soegov.ledger.tiers import NEEDS_RECORD, Tier, tier_table
from soegov.policy import classify
from soegov.policy.inputs import today

COLUMNS = ("date", "payee", "amount", "purpose", "expense_class", "contract_id")
HEADER_ALIASES = {
    "日期": "date", "付款日期": "date", "收款方": "payee", "收款单位": "payee", "金额": "amount", "用途": "purpose",
    "支出类别": "expense_class", "费用类别": "expense_class", "合同编号": "contract_id", "合同号": "contract_id",
}
PURPOSE_ALIASES = {
    "捐赠": "donation", "赞助": "donation", "担保": "guarantee", "借款": "loan", "拆借": "loan", "融资": "loan",
    "工程款": "construction_payment", "货款": "goods_payment", "偿还贷款": "loan_repayment", "还贷": "loan_repayment",
    "工资": "payroll", "薪酬": "payroll", "税金": "tax", "税费": "tax", "其他": "other",
}
CLASS_ALIASES = {"生产性": "production", "非生产性": "non_production", "管理费用": "non_production"}
PURPOSES = ("loan_repayment", "construction_payment", "goods_payment", "payroll", "tax", "other", "donation",
            "guarantee", "loan")
MAX_ROWS_LISTED = 50


def _canonical_header(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return HEADER_ALIASES.get(name.strip(), key)


def _connect(progress: bool) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '3GB'")
    con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    return con


def _xlsx_to_csv(path: Path) -> Path:
    """An .xlsx ledger (at most ~1 million rows by the format) as a temporary CSV for DuckDB."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError("unreadable_file", f"无法读取 Excel 台账 {path.name}：{exc}", "FILE",
                         f"cannot read the Excel ledger {path.name}: {exc}") from None
    sheet = book.worksheets[0]
    fd, name = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.isoformat()[:10] if isinstance(v, date) else v) for v in row])
    book.close()
    return Path(name)


def load_ledger(con: Any, source: str | os.PathLike[str]) -> dict[str, int]:
    """Read the ledger into table `ledger` (row_no, date, payee, cents, purpose, expense_class, contract_id).

    Rows that cannot be checked (bad date, amount, purpose or class) go to table `ledger_errors`
    with their row number and field; returns counts.
    """
    path = Path(source)
    if not path.is_file():
        raise InputError("unreadable_file", f"台账文件不存在：{path}", "FILE", f"no ledger file at {path}")
    temp = _xlsx_to_csv(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
    csv_path = temp or path
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("unreadable_file", f"无法读取台账 {path.name}（需 UTF-8 编码的 CSV 或 .xlsx）：{exc}", "FILE",
                         f"cannot read the ledger {path.name} (UTF-8 CSV or .xlsx expected): {exc}") from None
    names = [_canonical_header(h) for h in header]
    missing = [c for c in COLUMNS if c not in names and c != "contract_id"]
    if missing:
        raise InputError("missing_column", f"台账缺少列：{', '.join(missing)}（需要 {', '.join(COLUMNS)}）",
                         missing[0], f"the ledger lacks column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    import duckdb

    columns = {name: "VARCHAR" for name in names}
    contract = "nullif(trim(contract_id), '')" if "contract_id" in names else "NULL"
    purpose_map = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PURPOSE_ALIASES.items())
    class_map = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CLASS_ALIASES.items())
    purposes = ", ".join(f"'{p}'" for p in PURPOSES)
    # One pass over the file parses every field and names the first that cannot be checked; the
    # raw text is kept only for those rows, to quote it back in the error.
    try:
        con.execute(f"""
            CREATE TEMP TABLE rows AS
            WITH raw AS (
                SELECT row_number() OVER () + 1 AS row_no, *
                FROM read_csv(?, header = true, columns = ?, quote = '"', escape = '"', strict_mode = false,
                              null_padding = true)
            ), p AS (
                SELECT row_no,
                    try_cast(trim(date) AS DATE) AS d,
                    nullif(trim(payee), '') AS payee,
                    CASE WHEN contains(trim(amount), ',')
                              AND NOT regexp_full_match(trim(amount), '\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?') THEN NULL
                         ELSE try_cast(replace(trim(amount), ',', '') AS DECIMAL(20, 4)) END AS amount4,
                    CASE trim(purpose) {purpose_map} ELSE lower(trim(purpose)) END AS purpose,
                    CASE trim(expense_class) {class_map} ELSE lower(trim(expense_class)) END AS expense_class,
                    {contract} AS contract_id,
                    date AS raw_date, amount AS raw_amount, purpose AS raw_purpose, expense_class AS raw_class
                FROM raw
            ), checked AS (
                SELECT *, CASE
                    WHEN d IS NULL THEN 'date'
                    WHEN payee IS NULL THEN 'payee'
                    WHEN amount4 IS NULL OR amount4 < 0 OR amount4 <> round(amount4, 2) THEN 'amount'
                    WHEN purpose IS NULL OR purpose NOT IN ({purposes}) THEN 'purpose'
                    WHEN expense_class IS NULL OR expense_class NOT IN ('production', 'non_production')
                        THEN 'expense_class'
                    END AS bad_field
                FROM p
            )
            SELECT row_no, d AS date, payee, CAST(round(amount4 * 100) AS BIGINT) AS cents, purpose, expense_class,
                   contract_id, bad_field,
                   CASE bad_field WHEN 'date' THEN raw_date WHEN 'payee' THEN payee WHEN 'amount' THEN raw_amount
                                  WHEN 'purpose' THEN raw_purpose WHEN 'expense_class' THEN raw_class END AS bad_value
            FROM checked""", [str(csv_path), columns])
    except duckdb.Error as exc:
        raise InputError("invalid_ledger", f"台账无法解析：{str(exc).splitlines()[0]}", "FILE",
                         f"the ledger cannot be parsed: {str(exc).splitlines()[0]}") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    con.execute("CREATE TEMP VIEW ledger_errors AS SELECT row_no, bad_field AS field, bad_value AS value "
                "FROM rows WHERE bad_field IS NOT NULL")
    con.execute("CREATE TEMP VIEW ledger AS SELECT row_no, date, payee, cents, purpose, expense_class, contract_id "
                "FROM rows WHERE bad_field IS NULL")
    rows = con.execute("SELECT count(*) FROM ledger").fetchone()[0]
    errors = con.execute("SELECT count(DISTINCT row_no) FROM ledger_errors").fetchone()[0]
    return {"rows": int(rows), "invalid_rows": int(errors)}


def _load_decisions(con: Any, decisions: Iterable[Mapping[str, Any]]) -> int:
    """Decisions and filings on record: (ref, payee, contract_id, amount, date) → table `decisions`."""
    con.execute("CREATE TEMP TABLE decisions (ref VARCHAR, payee VARCHAR, contract_id VARCHAR, cents BIGINT, date DATE)")
    rows = []
    for n, d in enumerate(decisions):
        from soegov.policy.inputs import parse_amount, parse_date

        rows.append((str(d.get("ref") or f"#{n + 1}"), (d.get("payee") or "").strip() or None,
                     (d.get("contract_id") or "").strip() or None,
                     int(parse_amount(d.get("amount"), f"decisions[{n}].amount") * 100),
                     parse_date(str(d.get("date")), f"decisions[{n}].date")))
    if rows:
        con.executemany("INSERT INTO decisions VALUES (?, ?, ?, ?, ?)", rows)
    return len(rows)


def read_decisions_csv(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Decisions on record from a CSV with columns ref, payee, contract_id, amount, date."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("unreadable_file", f"无法读取决策记录文件 {path}：{exc}", "decisions",
                         f"cannot read the decisions file {path}: {exc}") from None


_COVERED = """EXISTS (SELECT 1 FROM decisions d WHERE d.date <= {end} AND d.cents >= {cents}
                 AND (d.payee = {alias}.payee OR ({alias}.contract_id IS NOT NULL AND d.contract_id = {alias}.contract_id)))"""


def scan_ledger(source: str | os.PathLike[str], *, policy: str, level: int, ownership: str,
                decisions: Iterable[Mapping[str, Any]] = (), related: Iterable[str] = (), window_days: int = 30,
                as_of: str | None = None, skip_invalid: bool = False, progress: bool = False) -> dict[str, Any]:
    """All findings for one enterprise's ledger under one policy (the contract's codes and citations)."""
    if isinstance(window_days, bool) or not isinstance(window_days, int) or not 1 <= window_days <= 366:
        raise InputError("invalid_window", "拆分支付的时间窗应为 1 到 366 天", "window_days",
                         "window_days must be a whole number of days from 1 to 366")
    day = as_of or today().isoformat()
    tiers = tier_table(policy, date=day, level=level, ownership=ownership)
    con = _connect(progress)
    try:
        stats = load_ledger(con, source)
        if stats["invalid_rows"] and not skip_invalid:
            sample = con.execute("SELECT row_no, field, value FROM ledger_errors ORDER BY row_no LIMIT 10").fetchall()
            listed = "；".join(f"第{r}行 {f}={v!r}" for r, f, v in sample)
            listed_en = "; ".join(f"row {r} {f}={v!r}" for r, f, v in sample)
            first = sample[0]
            raise InputError("invalid_rows", f"台账有 {stats['invalid_rows']} 行无法检查：{listed}（可用 --skip-invalid 跳过）",
                             f"row {first[0]}.{first[1]}",
                             f"{stats['invalid_rows']} ledger row(s) cannot be checked: {listed_en} (use --skip-invalid)")
        stats["decisions"] = _load_decisions(con, decisions)
        con.execute("CREATE TEMP TABLE related (payee VARCHAR)")
        related_names = sorted({r.strip() for r in related if r and r.strip()})
        if related_names:
            con.executemany("INSERT INTO related VALUES (?)", [(r,) for r in related_names])
        con.execute("CREATE TEMP TABLE tiers (expense_class VARCHAR, purpose VARCHAR, lo BIGINT, hi BIGINT, "
                    "rank INTEGER, needs_record BOOLEAN, ref VARCHAR, summary VARCHAR)")
        con.executemany("INSERT INTO tiers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [t.as_row() for t in tiers])
        findings = (_unrecorded(con, tiers) + _splits(con, tiers, window_days)
                    + _counterparties(con, policy, day, level, ownership))
    finally:
        con.close()
    stats["findings"] = len(findings)
    return {"policy": policy, "window_days": window_days, "stats": stats, "findings": findings}


def _by_kind(tiers: list[Tier]) -> dict[tuple[str, str], list[Tier]]:
    groups: dict[tuple[str, str], list[Tier]] = {}
    for tier in tiers:
        groups.setdefault((tier.expense_class, tier.purpose), []).append(tier)
    return {k: sorted(v, key=lambda t: t.lo) for k, v in groups.items()}


def _rank_sql(tiers: list[Tier], cents: str) -> str:
    """A vectorised CASE giving each row's tier rank (no join over the ledger).

    The codes inside are the catalogue's and the tiers' own, never text from the ledger.
    """
    parts = []
    for (cls, purpose), group in _by_kind(tiers).items():
        inner = " ".join(f"WHEN {cents} <= {t.hi} THEN {t.rank}" for t in group if t.hi is not None)
        parts.append(f"WHEN expense_class = '{cls}' AND purpose = '{purpose}' THEN "
                     f"CASE {inner} ELSE {group[-1].rank} END" if inner else
                     f"WHEN expense_class = '{cls}' AND purpose = '{purpose}' THEN {group[-1].rank}")
    return "CASE " + " ".join(parts) + " END"


def _needs_sql(tiers: list[Tier], cents: str) -> str:
    """A vectorised test: does the row's amount fall in a tier that needs a decision, filing or report?"""
    parts = []
    for (cls, purpose), group in _by_kind(tiers).items():
        ranges = [f"({cents} >= {t.lo}" + (f" AND {cents} <= {t.hi})" if t.hi is not None else ")")
                  for t in group if t.needs_record]
        if ranges:
            parts.append(f"WHEN expense_class = '{cls}' AND purpose = '{purpose}' THEN ({' OR '.join(ranges)})")
    return "CASE " + " ".join(parts) + " ELSE false END" if parts else "false"


def _unrecorded(con: Any, tiers: list[Tier]) -> list[dict[str, Any]]:
    rows = con.execute(f"""
        WITH candidates AS (
            SELECT *, {_rank_sql(tiers, 'cents')} AS rank FROM ledger
            WHERE purpose NOT IN ('guarantee', 'loan') AND {_needs_sql(tiers, 'cents')}
        )
        SELECT l.row_no, l.date, l.payee, l.cents, l.purpose, l.expense_class, l.contract_id, t.ref, t.summary
        FROM candidates l JOIN tiers t USING (expense_class, purpose, rank)
        WHERE NOT {_COVERED.format(end='l.date', cents='l.cents', alias='l')}
        ORDER BY l.date, l.row_no""").fetchall()
    return [{
        "code": "unrecorded_payment", "rows": [r[0]], "date": r[1].isoformat(), "payee": r[2],
        "amount": _yuan(r[3]), "purpose": r[4], "expense_class": r[5], "contract_id": r[6], "citation": r[7],
        "requires": r[8],
        "message": f"单笔支付 {_yuan(r[3])} 元（{r[2]}）须{r[8]}（{r[7]}），未找到相应决策或备案记录",
        "message_en": f"a single payment of {_yuan(r[3])} to {r[2]} needs: {r[8]} ({r[7]}); no decision or filing on record",
    } for r in rows]


def _splits(con: Any, tiers: list[Tier], window_days: int) -> list[dict[str, Any]]:
    found: dict[tuple[int, ...], dict[str, Any]] = {}
    for key in ("payee", "contract_id"):
        rows = con.execute(f"""
            WITH windows AS (
                SELECT l.*, sum(cents) OVER win AS total, max(cents) OVER win AS biggest, count(*) OVER win AS parts
                FROM ledger l
                WHERE l.{key} IS NOT NULL AND l.purpose NOT IN ('guarantee', 'loan')
                WINDOW win AS (PARTITION BY l.{key}, l.expense_class, l.purpose ORDER BY l.date
                               RANGE BETWEEN INTERVAL {window_days - 1} DAYS PRECEDING AND CURRENT ROW)
            ), w AS (
                SELECT *, {_rank_sql(tiers, 'total')} AS rank, {_rank_sql(tiers, 'biggest')} AS rank_biggest
                FROM windows WHERE parts > 1 AND {_needs_sql(tiers, 'total')}
            ), flagged AS (
                SELECT w.{key} AS k, w.expense_class, w.purpose, w.date AS end_date,
                       w.date - INTERVAL {window_days - 1} DAYS AS start_date, w.total, t.ref, t.summary
                FROM w JOIN tiers t USING (expense_class, purpose, rank)
                WHERE w.rank > w.rank_biggest AND NOT {_COVERED.format(end='w.date', cents='w.total', alias='w')}
            ), islands AS (
                SELECT *, sum(CASE WHEN start_date <= prev_end THEN 0 ELSE 1 END)
                          OVER (PARTITION BY k, expense_class, purpose ORDER BY end_date) AS island
                FROM (SELECT *, lag(end_date) OVER (PARTITION BY k, expense_class, purpose ORDER BY end_date) AS prev_end
                      FROM flagged)
            ), merged AS (
                SELECT k, expense_class, purpose, island, min(start_date) AS s, max(end_date) AS e,
                       arg_max(ref, total) AS ref, arg_max(summary, total) AS summary
                FROM islands GROUP BY ALL
            )
            SELECT m.k, m.expense_class, m.purpose, m.s, m.e, m.ref, m.summary,
                   list(l.row_no ORDER BY l.date, l.row_no) AS row_nos, sum(l.cents) AS total, max(l.cents) AS biggest
            FROM merged m JOIN ledger l ON l.{key} = m.k AND l.expense_class = m.expense_class
                 AND l.purpose = m.purpose AND l.date BETWEEN m.s AND m.e
            GROUP BY ALL ORDER BY m.s, m.k""").fetchall()
        for k, cls, purpose, start, end, ref, summary, row_nos, total, biggest in rows:
            ident = tuple(row_nos)
            if ident in found:
                continue
            found[ident] = {
                "code": "split_payment", "key": key, key: k, "expense_class": cls, "purpose": purpose,
                "from": start.isoformat()[:10], "to": end.isoformat()[:10], "parts": len(row_nos),
                "rows": row_nos[:MAX_ROWS_LISTED], "total": _yuan(total), "largest_part": _yuan(biggest),
                "citation": ref, "requires": summary,
                "message": f"{'收款方' if key == 'payee' else '合同'} {k} 在 {window_days} 天内分 {len(row_nos)} 笔支付合计 "
                           f"{_yuan(total)} 元，每笔未达门槛，合计须{summary}（{ref}），未找到相应决策或备案记录（疑似化整为零）",
                "message_en": f"{len(row_nos)} payments to {key} {k} within {window_days} days total {_yuan(total)}; "
                              f"each is below the threshold but together they need: {summary} ({ref}); none on record",
            }
    return list(found.values())


def _counterparties(con: Any, policy: str, day: str, level: int, ownership: str) -> list[dict[str, Any]]:
    """Guarantees and loans: what the engine says of one to a company without an equity relation."""
    rows = con.execute("""
        SELECT l.row_no, l.date, l.payee, l.cents, l.purpose, l.contract_id,
               l.payee IN (SELECT payee FROM related) AS is_related
        FROM ledger l WHERE l.purpose IN ('guarantee', 'loan') ORDER BY l.date, l.row_no""").fetchall()
    verdicts: dict[bool, dict[str, Any]] = {}
    out = []
    for row_no, when, payee, cents, purpose, contract_id, is_related in rows:
        if is_related not in verdicts:
            verdicts[is_related] = classify(
                {"date": day, "enterprise": {"level": level, "ownership": ownership}, "type": "guarantee",
                 "amount": _yuan(cents), "attributes": {"counterparty_equity_related": bool(is_related),
                                                        "guarantee_company": False}}, policy=policy)
        duties = [o for o in verdicts[is_related]["obligations"] if o["kind"] in NEEDS_RECORD and not o.get("finding")]
        prohibited = [o for o in duties if o["kind"] == "prohibited"]
        if not prohibited:
            covered = con.execute(
                "SELECT count(*) FROM decisions d WHERE d.date <= ? AND d.cents >= ? AND "
                "(d.payee = ? OR (? IS NOT NULL AND d.contract_id = ?))",
                [when, cents, payee, contract_id, contract_id]).fetchone()[0]
            if not duties or covered:
                continue
        duty = (prohibited or duties)[0]
        cite = duty["citation"]
        ref = f"{cite['document']} 第{cite['article']}条" + (f"第{cite['item']}项" if cite.get("item") else "")
        label = "担保" if purpose == "guarantee" else "借款"
        out.append({
            "code": "prohibited_counterparty" if prohibited else "unrecorded_payment", "rows": [row_no],
            "date": when.isoformat(), "payee": payee, "amount": _yuan(cents), "purpose": purpose,
            "contract_id": contract_id, "citation": ref, "requires": duty["kind_label"],
            "message": (f"向无股权关系的 {payee} 提供{label} {_yuan(cents)} 元，属严控事项（{ref}）" if prohibited
                        else f"向 {payee} 的{label} {_yuan(cents)} 元须{duty['authority_label']}{duty['kind_label']}（{ref}），未找到记录"),
            "message_en": (f"{purpose} of {_yuan(cents)} to {payee}, a company without an equity relation: prohibited ({ref})"
                           if prohibited else f"{purpose} of {_yuan(cents)} to {payee} needs {duty['kind']} ({ref}); none on record"),
        })
    return out


def _yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100}.{cents % 100:02d}"
