"""Benchmark of the ledger scan: soegov's DuckDB scan beside a plain pandas implementation of the same checks.

Run: .venv/bin/python bench/ledger.py [--rows 10000000] [--policy xundian-2020] [--window-days 30]

It generates a synthetic ledger (seeded; a few split payments planted), then runs each engine in its
own process so that its time and peak memory are its own, and prints both with the speed-up. The
two must report the same findings, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WINDOW = 30


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
                (DATE '2026-06-03', '子公司', 80000.00, 'guarantee', 'non_production', NULL))
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def run_soegov(path: Path, policy: str, window: int) -> dict[str, Any]:
    """soegov's own scan."""
    from soegov.ledger.scan import scan_ledger

    result = scan_ledger(path, policy=policy, level=1, ownership="sole", related=["子公司"], window_days=window,
                         as_of="2026-03-01", skip_invalid=True)
    return {"findings": _counts(f["code"] for f in result["findings"]), "rows": result["stats"]["rows"]}


def run_pandas(path: Path, policy: str, window: int) -> dict[str, Any]:
    """The same checks written plainly with pandas (the comparison, not a product path)."""
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

    tiers = pd.DataFrame([t.as_row() for t in tier_table(policy, date="2026-03-01", level=1, ownership="sole")],
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
    for related, part in risky.groupby(risky["payee"].isin(["子公司"])):
        verdict = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"}, "type": "guarantee",
                            "amount": "1", "attributes": {"counterparty_equity_related": bool(related)}}, policy=policy)
        kinds = {o["kind"] for o in verdict["obligations"]}
        code = "prohibited_counterparty" if "prohibited" in kinds else ("unrecorded_payment" if kinds else None)
        if code:
            counts[code] = counts.get(code, 0) + len(part)
    return {"findings": {k: v for k, v in counts.items() if v}, "rows": len(df)}


def _counts(codes: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in codes:
        out[code] = out.get(code, 0) + 1
    return out


def child(args: argparse.Namespace) -> int:
    """Run one engine and print its figures as JSON."""
    start = time.perf_counter()
    result = (run_soegov if args.engine == "soegov" else run_pandas)(Path(args.file), args.policy, args.window_days)
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return 0


def main() -> int:
    """Generate, run both engines, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--policy", default="xundian-2020")
    parser.add_argument("--window-days", type=int, default=WINDOW)
    parser.add_argument("--engine", choices=("soegov", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        return child(args)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        size = os.path.getsize(path) / 1e6
        print(f"generated {args.rows:,} rows ({size:,.0f} MB CSV) in {time.perf_counter() - start:.1f} s")
        results = {}
        for engine in ("soegov", "pandas"):
            done = subprocess.run([sys.executable, __file__, "--engine", engine, "--file", str(path),
                                   "--policy", args.policy, "--window-days", str(args.window_days)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{engine} failed:\n{done.stderr}", file=sys.stderr)
                return 1
            results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
            r = results[engine]
            print(f"{engine:>7}: {r['seconds']:8.2f} s, peak {r['peak_mb']:,.0f} MB, findings {r['findings']}")
    same = results["soegov"]["findings"] == results["pandas"]["findings"]
    speedup = results["pandas"]["seconds"] / results["soegov"]["seconds"]
    print(f"speed-up: {speedup:.1f}x (target >= 10x); soegov peak memory {results['soegov']['peak_mb']:,.0f} MB "
          f"(target < 4,096 MB); same findings: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
