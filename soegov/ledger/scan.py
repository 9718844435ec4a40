"""Scan a payment ledger with DuckDB: payments above a tier with no decision or filing on record,
split payments (化整为零), and guarantees or loans to companies without an equity relation.

Ten million rows fit on a 2-core machine: the ledger is read typed by DuckDB's parallel CSV (or
Parquet) reader into integer cents, every check is one SQL statement over columnar data, and only
the findings come back to Python. The thresholds are the engine's (see tiers.py), so the scan never
restates a rule. Every row is accounted for: checked, or refused with its row number and reason.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from soegov.core.errors import InputError, SoegovError
from soegov.ledger.checks import counterparties, splits, unrecorded
from soegov.ledger.error_codes import LedgerError
from soegov.ledger.source import load_ledger
from soegov.ledger.tiers import tier_table
from soegov.ledger.validation import problem
from soegov.policy.inputs import parse_amount, parse_date, today

# Refused rows listed in the error itself; all of them are in the result with --skip-invalid.
MAX_ERRORS_LISTED = 1000
MEMORY_LIMIT = "3GB"

__all__ = ["load_ledger", "read_decisions_csv", "scan_ledger"]


def _connect(progress: bool, spill: str) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    # Spilled data goes to a folder of our own, never `.tmp` in whatever folder the command ran from.
    con.execute("SET temp_directory = ?", [spill])
    con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    return con


def _load_decisions(con: Any, decisions: Iterable[Mapping[str, Any]]) -> int:
    """Decisions and filings on record: (ref, payee, contract_id, amount, date) → table `decisions`.

    Every bad amount or date of the list is reported at once, the first leading.
    """
    con.execute("CREATE TEMP TABLE decisions (ref VARCHAR, payee VARCHAR, contract_id VARCHAR, cents BIGINT, date DATE)")
    rows, errors = [], []
    for n, d in enumerate(decisions):
        try:
            amount = parse_amount(d.get("amount"), f"decisions[{n}].amount")
        except InputError as exc:
            errors.append(exc)
        try:
            day = parse_date(str(d.get("date")), f"decisions[{n}].date")
        except InputError as exc:
            errors.append(exc)
        if not errors:
            rows.append((str(d.get("ref") or f"#{n + 1}"), (d.get("payee") or "").strip() or None,
                         (d.get("contract_id") or "").strip() or None, int(amount * 100), day))
    if errors:
        first = errors[0]
        if len(errors) > 1:
            first.details = list(errors)
        raise first
    if rows:
        con.executemany("INSERT INTO decisions VALUES (?, ?, ?, ?, ?)", rows)
    return len(rows)


def read_decisions_csv(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Decisions on record from a CSV with columns ref, payee, contract_id, amount, date."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LedgerError.UNREADABLE_FILE.error(path="decisions", what=f"决策记录文件 {path}",
                                                what_en=f"the decisions file {path}", reason=exc) from None


def refused_rows(con: Any) -> list[dict[str, Any]]:
    """Every row that could not be checked, in file order, with each of its problems in both languages."""
    out: list[dict[str, Any]] = []
    for row_no, field, code, value in con.execute(
            "SELECT row_no, field, problem, value FROM ledger_errors "
            "ORDER BY row_no, list_position(['date', 'payee', 'amount', 'purpose', 'expense_class'], field) NULLS FIRST").fetchall():
        if not out or out[-1]["row"] != row_no:
            out.append({"row": row_no, "problems": []})
        error = problem(row_no, field, code, value)
        out[-1]["problems"].append({"field": field, "problem": code, "value": value, "message": error.message,
                                    "message_en": error.message_en})
    return out


def _refusal(refused: list[dict[str, Any]]) -> SoegovError:
    """The error for a ledger with rows that cannot be checked: every bad field its own error, the first leading."""
    problems = [problem(r["row"], p["field"], p["problem"], p["value"]) for r in refused for p in r["problems"]]
    many = len(problems) > MAX_ERRORS_LISTED
    error = LedgerError.INVALID_ROWS.error(
        path=problems[0].path, rows=len(refused),
        listed=f"（下列前 {MAX_ERRORS_LISTED} 处；全部见 --skip-invalid --json 的 refused）" if many else "",
        listed_en=f" (the first {MAX_ERRORS_LISTED} below; all under refused with --skip-invalid --json)" if many else "")
    error.details = problems[:MAX_ERRORS_LISTED]
    return error


def _in_force(policy: str, day: str) -> None:
    """A ledger is checked against the version of the policy in force on `day`; with none, nothing can be said."""
    from datetime import date

    from soegov.policy.loader import get_registry

    pack = get_registry().get(policy)
    if pack.version_on(date.fromisoformat(day)) is None:
        spans = "；".join(f"{v.in_force_from} 至 {v.in_force_until or '今'}" for v in pack.versions)
        spans_en = "; ".join(f"{v.in_force_from} to {v.in_force_until or 'now'}" for v in pack.versions)
        raise LedgerError.POLICY_NOT_IN_FORCE.error(path="as_of", title=pack.title, title_en=policy, day=day,
                                                    spans=spans, spans_en=spans_en)


# The stages of a scan, in order, as the progress of a ledger check names them.
SCAN_STAGES = ("读入台账", "读入系统中的决策与备案记录", "查找未经决策或备案的支付", "查找化整为零的拆分支付", "查找关联方交易")


def scan_ledger(source: str | os.PathLike[str], *, policy: str, level: int, ownership: str,
                decisions: Iterable[Mapping[str, Any]] = (), related: Iterable[str] = (), window_days: int = 30,
                as_of: str | None = None, skip_invalid: bool = False, progress: bool = False,
                encoded: bool = False, purpose_words: Mapping[str, str] | None = None,
                on_stage: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """All findings for one enterprise's ledger under one policy (the contract's codes and citations).

    With `encoded`, each finding is its compact JSON text (what `--json` prints), not a dict: a ledger
    with a hundred thousand findings then never becomes a million Python objects. `purpose_words`: the
    enterprise's own words for purposes (word -> code, the mapping the web remembers, or the CLI's --purpose).
    `on_stage(done, total, label)` is told before each of the scan's stages (a job's progress on the page).
    """
    def stage(done: int, label: str) -> None:
        if on_stage is not None:
            on_stage(done, len(SCAN_STAGES), label)

    if isinstance(window_days, bool) or not isinstance(window_days, int) or not 1 <= window_days <= 366:
        raise LedgerError.INVALID_WINDOW.error(path="window_days")
    day = as_of or today().isoformat()
    tiers = tier_table(policy, date=day, level=level, ownership=ownership)  # checks the policy, date and enterprise
    _in_force(policy, day)
    with tempfile.TemporaryDirectory(prefix="soegov-duckdb-") as spill:
        con = _connect(progress, spill)
        try:
            stage(0, SCAN_STAGES[0])
            stats: dict[str, Any] = load_ledger(con, source, dict(purpose_words or {}))
            refused = refused_rows(con) if stats["invalid_rows"] else []
            if refused and not skip_invalid:
                raise _refusal(refused)
            stage(1, SCAN_STAGES[1])
            stats["decisions"] = _load_decisions(con, decisions)
            con.execute("CREATE TEMP TABLE related (payee VARCHAR)")
            related_names = sorted({r.strip() for r in related if r and r.strip()})
            if related_names:
                con.executemany("INSERT INTO related VALUES (?)", [(r,) for r in related_names])
            con.execute("CREATE TEMP TABLE tiers (expense_class class_code, purpose purpose_code, lo BIGINT, hi BIGINT, "
                        "rank INTEGER, needs_record BOOLEAN, ref VARCHAR, summary VARCHAR)")
            con.executemany("INSERT INTO tiers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [t.as_row() for t in tiers])
            stage(2, SCAN_STAGES[2])
            findings = unrecorded(con, tiers, encoded)
            stage(3, SCAN_STAGES[3])
            findings += splits(con, tiers, window_days, encoded)
            stage(4, SCAN_STAGES[4])
            findings += counterparties(con, policy, day, level, ownership, encoded)
            stage(5, "扫描完成")
        finally:
            con.close()
    stats["findings"] = len(findings)
    return {"policy": policy, "window_days": window_days, "stats": stats, "findings": findings, "refused": refused}
