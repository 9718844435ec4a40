"""Amount tiers of payments, taken from the rules engine, never written again here.

For one policy, one enterprise and one kind of payment (expense class and purpose, or a donation),
the engine is asked at every threshold of the pack's rules, one cent either side; equal verdicts are
joined into tiers. A ledger scan then only has to find which tier each payment falls in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soegov.policy import classify
from soegov.policy.loader import get_registry

CENT = Decimal("0.01")
# Obligations that mean somebody other than the paying leader must have decided, filed or approved.
NEEDS_RECORD = frozenset({"collective_decision", "approval", "prior_filing", "post_filing", "report", "prohibited"})


class Tier:
    """Payments from `lo` up to `hi` cents (inclusive; hi None = no upper end) share one verdict."""

    __slots__ = ("expense_class", "purpose", "lo", "hi", "rank", "needs_record", "obligations")

    def __init__(self, expense_class: str, purpose: str, lo: int, hi: int | None, rank: int, needs_record: bool,
                 obligations: list[dict[str, Any]]) -> None:
        self.expense_class = expense_class
        self.purpose = purpose
        self.lo = lo
        self.hi = hi
        self.rank = rank
        self.needs_record = needs_record
        self.obligations = obligations

    def as_row(self) -> tuple[Any, ...]:
        """The tier as a row of the scan's tier table."""
        first = next((o for o in self.obligations if o["kind"] in NEEDS_RECORD), None)
        cite = first["citation"] if first else None
        ref = f"{cite['document']} 第{cite['article']}条" + (f"第{cite['item']}项" if cite and cite.get("item") else "") if cite else ""
        summary = "；".join(f"{o['authority_label']}{o['kind_label']}" for o in self.obligations)
        return (self.expense_class, self.purpose, self.lo, self.hi, self.rank, self.needs_record, ref, summary)


def _bounds(policy: str, matter_type: str) -> list[Decimal]:
    pack = get_registry().get(policy)
    found: set[Decimal] = set()
    for version in pack.versions:
        for rule in version.by_type[matter_type]:
            for r in (rule, *rule.also):
                if r.condition is not None:
                    found.update(b for _, b, _ in r.condition.amount_bounds())
    return sorted(found)


def _signature(result: dict[str, Any]) -> tuple[tuple[str, str, int, int | None], ...]:
    return tuple(sorted((o["kind"], o["authority"], o["citation"]["article"], o["citation"]["item"])
                        for o in result["obligations"] if not o.get("finding")))


def tiers_for(policy: str, *, date: str, level: int, ownership: str, matter_type: str, expense_class: str,
              purpose: str) -> list[Tier]:
    """The tiers of one kind of payment, lowest first."""
    attributes = {"expense_class": expense_class, "purpose": purpose} if matter_type == "expenditure" else {}
    points = {Decimal(0)}
    for b in _bounds(policy, matter_type):
        points.update({b - CENT, b, b + CENT})
    verdicts = []
    for amount in sorted(p for p in points if p >= 0):
        result = classify({"date": date, "enterprise": {"level": level, "ownership": ownership}, "type": matter_type,
                           "amount": str(amount), "attributes": attributes}, policy=policy)
        verdicts.append((int(amount * 100), _signature(result), result["obligations"]))
    tiers: list[Tier] = []
    for cents, signature, obligations in verdicts:
        if tiers and _signature({"obligations": tiers[-1].obligations}) == signature:
            continue
        if tiers:
            tiers[-1].hi = cents - 1
        needs = any(o["kind"] in NEEDS_RECORD for o in obligations if not o.get("finding"))
        tiers.append(Tier(expense_class, purpose, cents, None, len(tiers), needs, obligations))
    return tiers


# Ledger purposes that are a kind of payment of their own rather than an expenditure.
SPECIAL_PURPOSES = {"donation": "donation"}
EXPENDITURE_PURPOSES = ("loan_repayment", "construction_payment", "goods_payment", "payroll", "tax", "other")


def tier_table(policy: str, *, date: str, level: int, ownership: str) -> list[Tier]:
    """Every tier of every kind of payment a ledger row can be, for one enterprise."""
    table: list[Tier] = []
    for expense_class in ("production", "non_production"):
        for purpose in EXPENDITURE_PURPOSES:
            table += tiers_for(policy, date=date, level=level, ownership=ownership, matter_type="expenditure",
                               expense_class=expense_class, purpose=purpose)
        for purpose, matter_type in SPECIAL_PURPOSES.items():
            table += tiers_for(policy, date=date, level=level, ownership=ownership, matter_type=matter_type,
                               expense_class=expense_class, purpose=purpose)
    return table
