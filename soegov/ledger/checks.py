"""The three checks of a loaded ledger, each a set-wise SQL statement over DuckDB's columns.

Only the findings come back to Python; their amounts and messages are written by DuckDB too, so a
ledger with a hundred thousand findings costs a fetch, not a Python loop of string formatting.
"""

from __future__ import annotations

import json
from typing import Any

from soegov.ledger.tiers import NEEDS_RECORD, Tier
from soegov.policy import classify

MAX_ROWS_LISTED = 50
# Yuan as text from integer cents, as the findings have always written them ("1234.50").
_YUAN = ("CREATE OR REPLACE TEMP MACRO yuan(c) AS (CASE WHEN c < 0 THEN '-' ELSE '' END) || "
         "CAST(abs(c) // 100 AS VARCHAR) || '.' || lpad(CAST(abs(c) % 100 AS VARCHAR), 2, '0')")
_COVERED = """EXISTS (SELECT 1 FROM decisions d WHERE d.date <= {end} AND d.cents >= {cents}
                 AND (d.payee = {alias}.payee OR ({alias}.contract_id IS NOT NULL AND d.contract_id = {alias}.contract_id)))"""


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


def encode(finding: dict[str, Any]) -> str:
    """A finding as compact JSON text, as DuckDB writes the others."""
    return json.dumps(finding, ensure_ascii=False, separators=(",", ":"))


def unrecorded(con: Any, tiers: list[Tier], encoded: bool = False) -> list[Any]:
    """Single payments in a tier that needs a decision, filing or report, with none on record covering them.

    Each finding is built by DuckDB, as a dict or (encoded) as its JSON text.
    """
    con.execute(_YUAN)
    finding = """{'code': 'unrecorded_payment', 'rows': [l.row_no], 'date': CAST(l.date AS VARCHAR), 'payee': l.payee,
        'amount': yuan(l.cents), 'purpose': CAST(l.purpose AS VARCHAR), 'expense_class': CAST(l.expense_class AS VARCHAR),
        'contract_id': l.contract_id, 'citation': t.ref, 'requires': t.summary,
        'message': '单笔支付 ' || yuan(l.cents) || ' 元（' || l.payee || '）须' || t.summary || '（' || t.ref
                   || '），未找到相应决策或备案记录',
        'message_en': 'a single payment of ' || yuan(l.cents) || ' to ' || l.payee || ' needs: ' || t.summary
                      || ' (' || t.ref || '); no decision or filing on record'}"""
    rows = con.execute(f"""
        WITH candidates AS (
            SELECT *, {_rank_sql(tiers, 'cents')} AS rank FROM ledger
            WHERE purpose NOT IN ('guarantee', 'loan') AND {_needs_sql(tiers, 'cents')}
        )
        SELECT {f'to_json({finding})' if encoded else finding}
        FROM candidates l JOIN tiers t USING (expense_class, purpose, rank)
        WHERE NOT {_COVERED.format(end='l.date', cents='l.cents', alias='l')}
        ORDER BY l.date, l.row_no""").fetchall()
    return [r[0] for r in rows]


def splits(con: Any, tiers: list[Tier], window_days: int, encoded: bool = False) -> list[Any]:
    """Payments to one payee or under one contract within the window, together crossing a tier none crosses alone."""
    con.execute(_YUAN)
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
            SELECT m.k, m.expense_class, m.purpose, strftime(m.s, '%Y-%m-%d'), strftime(m.e, '%Y-%m-%d'), m.ref,
                   m.summary, list(l.row_no ORDER BY l.date, l.row_no) AS row_nos, yuan(sum(l.cents)) AS total,
                   yuan(max(l.cents)) AS biggest
            FROM merged m JOIN ledger l ON l.{key} = m.k AND l.expense_class = m.expense_class
                 AND l.purpose = m.purpose AND l.date BETWEEN m.s AND m.e
            GROUP BY m.k, m.expense_class, m.purpose, m.s, m.e, m.ref, m.summary
            ORDER BY m.s, m.k, CAST(m.expense_class AS VARCHAR), CAST(m.purpose AS VARCHAR)""").fetchall()
        what = "收款方" if key == "payee" else "合同"
        for k, cls, purpose, start, end, ref, summary, row_nos, total, biggest in rows:
            ident = tuple(row_nos)
            if ident in found:
                continue
            found[ident] = {
                "code": "split_payment", "key": key, key: k, "expense_class": str(cls), "purpose": str(purpose),
                "from": start, "to": end, "parts": len(row_nos), "rows": row_nos[:MAX_ROWS_LISTED], "total": total,
                "largest_part": biggest, "citation": ref, "requires": summary,
                "message": f"{what} {k} 在 {window_days} 天内分 {len(row_nos)} 笔支付合计 {total} 元，每笔未达门槛，"
                           f"合计须{summary}（{ref}），未找到相应决策或备案记录（疑似化整为零）",
                "message_en": f"{len(row_nos)} payments to {key} {k} within {window_days} days total {total}; "
                              f"each is below the threshold but together they need: {summary} ({ref}); none on record",
            }
    return [encode(f) for f in found.values()] if encoded else list(found.values())


def _cited(duty: dict[str, Any]) -> str:
    cite = duty["citation"]
    return f"{cite['document']} 第{cite['article']}条" + (f"第{cite['item']}项" if cite.get("item") else "")


def counterparties(con: Any, policy: str, day: str, level: int, ownership: str, encoded: bool = False) -> list[Any]:
    """Guarantees and loans: what the engine says of one to a company with or without an equity relation."""
    con.execute(_YUAN)
    rows = con.execute(f"""
        SELECT l.row_no, CAST(l.date AS VARCHAR), l.payee, yuan(l.cents), CAST(l.purpose AS VARCHAR), l.contract_id,
               l.payee IN (SELECT payee FROM related) AS is_related,
               {_COVERED.format(end='l.date', cents='l.cents', alias='l')} AS covered
        FROM ledger l WHERE l.purpose IN ('guarantee', 'loan') ORDER BY l.date, l.row_no""").fetchall()
    verdicts: dict[bool, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for row_no, when, payee, amount, purpose, contract_id, is_related, covered in rows:
        if is_related not in verdicts:
            # The verdict turns on the relation, not the amount: asked once for each, as the first row gives it.
            verdicts[is_related] = classify(
                {"date": day, "enterprise": {"level": level, "ownership": ownership}, "type": "guarantee",
                 "amount": amount, "attributes": {"counterparty_equity_related": bool(is_related),
                                                  "guarantee_company": False}}, policy=policy)
        duties = [o for o in verdicts[is_related]["obligations"] if o["kind"] in NEEDS_RECORD and not o.get("finding")]
        prohibited = [o for o in duties if o["kind"] == "prohibited"]
        if not prohibited and (not duties or covered):
            continue
        duty = (prohibited or duties)[0]
        ref = _cited(duty)
        label = "担保" if purpose == "guarantee" else "借款"
        out.append({
            "code": "prohibited_counterparty" if prohibited else "unrecorded_payment", "rows": [row_no],
            "date": when, "payee": payee, "amount": amount, "purpose": purpose,
            "contract_id": contract_id, "citation": ref, "requires": duty["kind_label"],
            "message": (f"向无股权关系的 {payee} 提供{label} {amount} 元，属严控事项（{ref}）" if prohibited
                        else f"向 {payee} 的{label} {amount} 元须{duty['authority_label']}{duty['kind_label']}（{ref}），未找到记录"),
            "message_en": (f"{purpose} of {amount} to {payee}, a company without an equity relation: prohibited ({ref})"
                           if prohibited else f"{purpose} of {amount} to {payee} needs {duty['kind']} ({ref}); none on record"),
        })
    return [encode(f) for f in out] if encoded else out
