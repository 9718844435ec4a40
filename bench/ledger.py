"""Benchmark of the ledger check: `soegov ledger check --json` beside a hand-written DuckDB query doing the same
checks on the same CSV (and, on small sizes, a plain pandas implementation of them).

Run: .venv/bin/python bench/ledger.py [--rows 5000000] [--repeat 3] [--pandas] [--policy xundian-2020]

It generates a synthetic ledger (seeded; a few split payments and guarantees planted), then runs each
engine in a process of its own, so that its time and peak memory are its own, `--repeat` times in turn
(the best time counts: other load on the machine only slows a run). soegov runs as a user runs it: the
console script, writing its JSON to a file. The DuckDB query is what an analyst would write by hand: the
CSV read typed, the tiers joined by range, the same window for split payments, no validation, no messages,
the findings fetched as rows. Every engine must report the same findings (the same rows under the same
codes), or the run fails. Targets (issue 16): soegov within 1.5x of the query at 5 million rows, and a
10 million-row check under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WINDOW = 30
AS_OF = "2026-03-01"
RELATED = "子公司"
MAX_ROWS_LISTED = 50  # soegov lists at most this many rows of a split payment
PANDAS_BY_DEFAULT = 1_000_000  # above this, pandas runs only with --pandas (it needs ~1 GB per million rows)


def generate(path: Path, rows: int, seed: float = 0.42) -> None:
    """Write a synthetic ledger CSV with DuckDB (fast even for 10 million rows)."""
    import duckdb

    payees = max(rows // 50, 10)
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    con.execute(f"""
        COPY (
            SELECT
                DATE '2025-01-01' + CAST(floor(random() * 700) AS INTEGER) AS date,
                '供应商' || CAST(CAST(floor(random() * {payees}) AS INTEGER) AS VARCHAR) AS payee,
                CAST(round(exp(random() * 11.5) + random(), 2) AS DECIMAL(18, 2)) AS amount,
                CASE WHEN r < 0.30 THEN 'goods_payment' WHEN r < 0.45 THEN 'construction_payment'
                     WHEN r < 0.55 THEN 'payroll' WHEN r < 0.60 THEN 'tax' WHEN r < 0.6005 THEN 'donation'
                     WHEN r < 0.6008 THEN 'guarantee' ELSE 'other' END AS purpose,
                CASE WHEN random() < 0.6 THEN 'production' ELSE 'non_production' END AS expense_class,
                CASE WHEN random() < 0.2 THEN 'HT-' || CAST(CAST(floor(random() * {payees}) AS INTEGER) AS VARCHAR)
                     ELSE NULL END AS contract_id
            FROM (SELECT random() AS r FROM range({rows - 6}))
            UNION ALL SELECT * FROM (VALUES
                (DATE '2026-06-01', '拆分测试甲', 28000.00, 'other', 'non_production', NULL),
                (DATE '2026-06-09', '拆分测试甲', 27000.00, 'other', 'non_production', NULL),
                (DATE '2026-06-15', '拆分测试乙', 90000.00, 'goods_payment', 'production', 'HT-X1'),
                (DATE '2026-06-20', '拆分测试乙', 95000.00, 'goods_payment', 'production', 'HT-X1'),
                (DATE '2026-06-02', '无关联公司', 80000.00, 'guarantee', 'non_production', NULL),
                (DATE '2026-06-03', '{RELATED}', 80000.00, 'guarantee', 'non_production', NULL))
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def _key(code: str, rows: list[int]) -> str:
    return f"{code}:{','.join(str(r) for r in rows[:MAX_ROWS_LISTED])}"


def run_duckdb(path: Path, policy: str, window: int) -> dict[str, Any]:
    """The same checks as one hand-written DuckDB script (the baseline; no validation, no messages)."""
    import duckdb

    from soegov.ledger.tiers import tier_table
    from soegov.policy import classify

    tiers = tier_table(policy, date=AS_OF, level=1, ownership="sole")
    con = duckdb.connect()
    con.execute("SET memory_limit = '3GB'")
    con.execute("CREATE TABLE tiers (expense_class VARCHAR, purpose VARCHAR, lo BIGINT, hi BIGINT, rank INTEGER, "
                "needs_record BOOLEAN, ref VARCHAR, summary VARCHAR)")
    con.executemany("INSERT INTO tiers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [t.as_row() for t in tiers])
    con.execute("CREATE TABLE decisions (payee VARCHAR, contract_id VARCHAR, cents BIGINT, date DATE)")
    con.execute(f"CREATE TABLE related AS SELECT '{RELATED}' AS payee")
    con.execute("""
        CREATE TABLE ledger AS
        SELECT row_number() OVER () + 1 AS row_no, date, payee, CAST(amount * 100 AS BIGINT) AS cents, purpose,
               expense_class, contract_id
        FROM read_csv(?, header = true, columns = {'date': 'DATE', 'payee': 'VARCHAR', 'amount': 'DECIMAL(18,2)',
                      'purpose': 'VARCHAR', 'expense_class': 'VARCHAR', 'contract_id': 'VARCHAR'})""", [str(path)])
    covered = ("EXISTS (SELECT 1 FROM decisions d WHERE d.date <= {d} AND d.cents >= {c} "
               "AND (d.payee = {a}.payee OR d.contract_id = {a}.contract_id))")
    found = [_key("unrecorded_payment", [row_no]) for row_no, _, _ in con.execute(f"""
        SELECT l.row_no, l.cents, t.ref FROM ledger l JOIN tiers t
          ON t.expense_class = l.expense_class AND t.purpose = l.purpose AND l.cents >= t.lo
             AND (t.hi IS NULL OR l.cents <= t.hi)
        WHERE t.needs_record AND l.purpose NOT IN ('guarantee', 'loan') AND NOT {covered.format(d='l.date', c='l.cents', a='l')}
        ORDER BY l.date, l.row_no""").fetchall()]
    splits: set[tuple[int, ...]] = set()
    for key in ("payee", "contract_id"):
        for row_nos, _ in con.execute(f"""
            WITH w AS (
                SELECT *, sum(cents) OVER win AS total, max(cents) OVER win AS biggest, count(*) OVER win AS parts
                FROM ledger WHERE {key} IS NOT NULL AND purpose NOT IN ('guarantee', 'loan')
                WINDOW win AS (PARTITION BY {key}, expense_class, purpose ORDER BY date
                               RANGE BETWEEN INTERVAL {window - 1} DAYS PRECEDING AND CURRENT ROW)
            ), flagged AS (
                SELECT w.{key} AS k, w.expense_class, w.purpose, w.date AS e, w.date - INTERVAL {window - 1} DAYS AS s
                FROM w JOIN tiers t ON t.expense_class = w.expense_class AND t.purpose = w.purpose
                       AND w.total >= t.lo AND (t.hi IS NULL OR w.total <= t.hi)
                     JOIN tiers b ON b.expense_class = w.expense_class AND b.purpose = w.purpose
                       AND w.biggest >= b.lo AND (b.hi IS NULL OR w.biggest <= b.hi)
                WHERE w.parts > 1 AND t.needs_record AND t.rank > b.rank
                      AND NOT {covered.format(d='w.date', c='w.total', a='w')}
            ), islands AS (
                SELECT *, sum(CASE WHEN s <= prev THEN 0 ELSE 1 END)
                          OVER (PARTITION BY k, expense_class, purpose ORDER BY e) AS island
                FROM (SELECT *, lag(e) OVER (PARTITION BY k, expense_class, purpose ORDER BY e) AS prev FROM flagged)
            ), spans AS (
                SELECT k, expense_class, purpose, min(s) AS s, max(e) AS e FROM islands
                GROUP BY k, expense_class, purpose, island
            )
            SELECT list(l.row_no ORDER BY l.date, l.row_no), sum(l.cents)
            FROM spans m JOIN ledger l ON l.{key} = m.k AND l.expense_class = m.expense_class
                 AND l.purpose = m.purpose AND l.date BETWEEN m.s AND m.e
            GROUP BY m.k, m.expense_class, m.purpose, m.s, m.e""").fetchall():
            splits.add(tuple(row_nos))
    found += [_key("split_payment", list(rows)) for rows in splits]
    verdict: dict[bool, str | None] = {}
    for row_no, related, is_covered in con.execute(f"""
            SELECT l.row_no, l.payee IN (SELECT payee FROM related), {covered.format(d='l.date', c='l.cents', a='l')}
            FROM ledger l WHERE l.purpose IN ('guarantee', 'loan')""").fetchall():
        if related not in verdict:
            kinds = {o["kind"] for o in classify(
                {"date": AS_OF, "enterprise": {"level": 1, "ownership": "sole"}, "type": "guarantee", "amount": "1",
                 "attributes": {"counterparty_equity_related": bool(related)}}, policy=policy)["obligations"]}
            verdict[related] = "prohibited_counterparty" if "prohibited" in kinds else (
                "unrecorded_payment" if kinds else None)
        code = verdict[related]
        if code and (code == "prohibited_counterparty" or not is_covered):
            found.append(_key(code, [row_no]))
    rows = con.execute("SELECT count(*) FROM ledger").fetchone()[0]
    con.close()
    return {"found": sorted(found), "rows": rows}


def run_pandas(path: Path, policy: str, window: int) -> dict[str, Any]:
    """The same checks written plainly with pandas (a second, independent implementation; counts only)."""
    import numpy as np
    import pandas as pd

    from soegov.ledger.tiers import tier_table
    from soegov.policy import classify

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["row_no"] = np.arange(2, len(df) + 2)
    df["date"] = pd.to_datetime(df["date"], errors="coerce", format="%Y-%m-%d")
    amount = pd.to_numeric(df["amount"], errors="coerce")
    valid = df["date"].notna() & amount.notna() & (amount >= 0) & (df["payee"] != "")
    df = df[valid].copy()
    df["cents"] = np.round(amount[valid].to_numpy() * 100).astype(np.int64)
    df["contract_id"] = df["contract_id"].replace("", None)

    tiers = pd.DataFrame([t.as_row() for t in tier_table(policy, date=AS_OF, level=1, ownership="sole")],
                         columns=["expense_class", "purpose", "lo", "hi", "rank", "needs_record", "ref", "summary"])

    def tier_of(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        out = []
        for (cls, purpose), part in frame.groupby(["expense_class", "purpose"], sort=False):
            t = tiers[(tiers.expense_class == cls) & (tiers.purpose == purpose)].sort_values("lo")
            if t.empty:
                continue
            idx = np.searchsorted(t["lo"].to_numpy(), part[column].to_numpy(), side="right") - 1
            out.append(part.assign(rank=t["rank"].to_numpy()[idx], needs=t["needs_record"].to_numpy()[idx]))
        return pd.concat(out) if out else frame.assign(rank=0, needs=False)

    ordinary = df[~df["purpose"].isin(["guarantee", "loan"])]
    single = tier_of(ordinary, "cents")
    counts: dict[str, int] = {"unrecorded_payment": int(single["needs"].sum())}

    found: set[tuple[int, ...]] = set()
    for key in ("payee", "contract_id"):
        keys = [key, "expense_class", "purpose"]
        part = ordinary[ordinary[key].notna()]
        # A window of N calendar days holds every payment of each day in it (as SQL's RANGE frame does):
        # roll over daily totals, then give each payment its day's window.
        daily = (part.groupby([*keys, "date"], sort=True)["cents"].agg(["sum", "max", "count"]).reset_index())
        rolled = (daily.groupby(keys, sort=False).rolling(f"{window}D", on="date")[["sum", "max", "count"]]
                  .agg({"sum": "sum", "max": "max", "count": "sum"}).reset_index(drop=True))
        daily = daily.assign(total=rolled["sum"].astype(np.int64), biggest=rolled["max"].astype(np.int64),
                             parts=rolled["count"].astype(np.int64))
        part = part.merge(daily[[*keys, "date", "total", "biggest", "parts"]], on=[*keys, "date"])
        by_total = tier_of(part, "total").rename(columns={"rank": "rank_total", "needs": "needs_total"})
        by_big = tier_of(part, "biggest")[["row_no", "rank"]].rename(columns={"rank": "rank_big"})
        both = by_total.merge(by_big, on="row_no")
        flagged = both[(both.parts > 1) & both.needs_total & (both.rank_total > both.rank_big)]
        flagged = flagged.drop_duplicates([*keys, "date"]).sort_values([*keys, "date"])
        start = flagged["date"] - pd.Timedelta(days=window - 1)
        prev_end = flagged.groupby(keys, sort=False)["date"].shift()
        island = (prev_end.isna() | (start > prev_end)).cumsum()
        spans = (flagged.assign(start=start, island=island)
                 .groupby("island").agg(k=(key, "first"), expense_class=("expense_class", "first"),
                                        purpose=("purpose", "first"), s=("start", "min"), e=("date", "max")))
        rows = part[[*keys, "date", "row_no"]].merge(spans.rename(columns={"k": key}).reset_index(), on=keys)
        rows = rows[(rows["date"] >= rows["s"]) & (rows["date"] <= rows["e"])]
        for row_nos in rows.groupby("island")["row_no"].agg(lambda r: tuple(sorted(r))):
            found.add(row_nos)
    counts["split_payment"] = len(found)

    risky = df[df["purpose"].isin(["guarantee", "loan"])]
    for related, part in risky.groupby(risky["payee"].isin([RELATED])):
        verdict = classify({"date": AS_OF, "enterprise": {"level": 1, "ownership": "sole"}, "type": "guarantee",
                            "amount": "1", "attributes": {"counterparty_equity_related": bool(related)}}, policy=policy)
        kinds = {o["kind"] for o in verdict["obligations"]}
        code = "prohibited_counterparty" if "prohibited" in kinds else ("unrecorded_payment" if kinds else None)
        if code:
            counts[code] = counts.get(code, 0) + len(part)
    return {"counts": {k: v for k, v in counts.items() if v}, "rows": len(df)}


def _counts(found: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key in found:
        code = key.split(":", 1)[0]
        out[code] = out.get(code, 0) + 1
    return out


def _timed(cmd: list[str], tmp: str) -> tuple[float, float, str]:
    """Wall seconds and peak memory (MB) of one child process, and what it printed (kept in a file meanwhile)."""
    out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
    with out.open("w", encoding="utf-8") as fo, err.open("w", encoding="utf-8") as fe:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=fo, stderr=fe)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed ({child.returncode}):\n{err.read_text(encoding='utf-8')}")
    return seconds, usage.ru_maxrss / 1024, out.read_text(encoding="utf-8")


def _run_soegov(path: Path, policy: str, window: int, tmp: str) -> tuple[float, float, dict[str, Any]]:
    soegov = str(Path(sys.executable).with_name("soegov"))
    seconds, peak, out = _timed([soegov, "ledger", "check", str(path), "--policy", policy, "--related", RELATED,
                                 "--window-days", str(window), "--as-of", AS_OF, "--skip-invalid", "--json"], tmp)
    result = json.loads(out)
    return seconds, peak, {"found": sorted(_key(f["code"], f["rows"]) for f in result["findings"]),
                           "rows": result["stats"]["rows"], "refused": len(result["refused"])}


def _run_child(engine: str, path: Path, policy: str, window: int, tmp: str) -> tuple[float, float, dict[str, Any]]:
    seconds, peak, out = _timed([sys.executable, __file__, "--engine", engine, "--file", str(path),
                                 "--policy", policy, "--window-days", str(window)], tmp)
    return seconds, peak, json.loads(out.strip().splitlines()[-1])


def child(args: argparse.Namespace) -> int:
    """Run one comparison engine and print its result as JSON."""
    run = run_duckdb if args.engine == "duckdb" else run_pandas
    print(json.dumps(run(Path(args.file), args.policy, args.window_days), ensure_ascii=False))
    return 0


def main() -> int:
    """Generate, run every engine in turn, print the figures and ratios; fail if the findings differ."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each engine, in turn; the best counts")
    parser.add_argument("--pandas", action=argparse.BooleanOptionalAction, default=None,
                        help=f"also run the pandas implementation (default: up to {PANDAS_BY_DEFAULT:,} rows)")
    parser.add_argument("--policy", default="xundian-2020")
    parser.add_argument("--window-days", type=int, default=WINDOW)
    parser.add_argument("--engine", choices=("duckdb", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        return child(args)
    engines = ["soegov", "duckdb"] + (["pandas"] if (args.pandas if args.pandas is not None
                                                     else args.rows <= PANDAS_BY_DEFAULT) else [])
    best: dict[str, tuple[float, float, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows ({os.path.getsize(path) / 1e6:,.0f} MB CSV) in "
              f"{time.perf_counter() - start:.1f} s; {os.cpu_count()} cores")
        for n in range(args.repeat):
            for engine in engines:
                try:
                    run = (_run_soegov(path, args.policy, args.window_days, tmp) if engine == "soegov"
                           else _run_child(engine, path, args.policy, args.window_days, tmp))
                except RuntimeError as exc:
                    print(exc, file=sys.stderr)
                    return 1
                print(f"  run {n + 1} {engine:>7}: {run[0]:8.2f} s, peak {run[1]:,.0f} MB", flush=True)
                if engine not in best or run[0] < best[engine][0]:
                    best[engine] = run
    soegov, duck = best["soegov"], best["duckdb"]
    counts = _counts(soegov[2]["found"])
    same = soegov[2]["found"] == duck[2]["found"]
    print(f"findings: {counts}; refused rows: {soegov[2]['refused']}")
    print(f"soegov ledger check: {soegov[0]:.2f} s, peak {soegov[1]:,.0f} MB (target < 4,096 MB)")
    print(f"hand-written DuckDB: {duck[0]:.2f} s, peak {duck[1]:,.0f} MB; same findings: {'yes' if same else 'NO'}")
    print(f"ratio soegov / DuckDB query: {soegov[0] / duck[0]:.2f}x (target <= 1.5x)")
    if "pandas" in best:
        panda = best["pandas"]
        same_counts = panda[2]["counts"] == counts
        same = same and same_counts
        print(f"plain pandas: {panda[0]:.2f} s, peak {panda[1]:,.0f} MB; same counts: {'yes' if same_counts else 'NO'}; "
              f"soegov {panda[0] / soegov[0]:.1f}x faster")
    print(f"same findings: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
