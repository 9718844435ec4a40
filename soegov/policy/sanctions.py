"""Accountability as pack data: violations, responsibility kinds, sanction tiers and pay deductions.

Each pack folder may hold a sanctions.yaml (xundian art. 30–32, yining art. 28–30). Its citations are
checked against the pack's articles.yaml when it is read. Plain Python, no Django.

Deductions (xundian art. 32) are a rate of the year's performance pay (and, for criminal liability, of
the tenure incentive). "扣减10%以内" is a cap: the deciding body picks a rate up to it (by default the
cap). "扣减50%" and "全部" are fixed. Amounts are Decimal yuan rounded DOWN to the fen, so that a
computed deduction never exceeds the legal share of the pay (half-up could add a fen beyond the cap).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from soegov.core.errors import InputError
from soegov.policy.errors import PackError
from soegov.policy.inputs import in_thousands
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.pack_files import cached_on_pack, pack_citation, read_pack_file
from soegov.policy.texts import Citation

FEN = Decimal("0.01")
RATE_STEP = Decimal("0.0001")  # a rate is stored with four decimals (0.01 %)
MAX_PAY = Decimal("1000000000000")
ZERO = Decimal("0")
ONE = Decimal("1")


@dataclass(frozen=True)
class Violation:
    """A provision a case may find violated (xundian art. 31 items, yining art. 29 items)."""

    code: str
    zh: str
    citation: Citation


@dataclass(frozen=True)
class Responsibility:
    """A kind of responsibility (direct, supervisory, leadership)."""

    code: str
    zh: str
    citation: Citation


@dataclass(frozen=True)
class Consequence:
    """What follows a tier beyond it (yining art. 30 after 免职/解聘): pay stops, income recovered, losses repaid."""

    code: str
    zh: str
    citation: Citation


@dataclass(frozen=True)
class Tier:
    """One sanction tier and what it deducts from the year's pay."""

    code: str
    zh: str
    citation: Citation
    performance_pay_rate: Decimal = ZERO
    tenure_incentive_rate: Decimal = ZERO
    cap: bool = False
    referral: str = ""
    proposed_to: str = ""
    consequences: tuple[Consequence, ...] = ()

    @property
    def deducts(self) -> bool:
        """Whether the tier takes anything from pay."""
        return self.performance_pay_rate > 0 or self.tenure_incentive_rate > 0

    @property
    def stops_pay(self) -> bool:
        """Whether the post's pay and benefits stop from the day of the measure (yining art. 30 after 免职/解聘)."""
        return any(c.code == "pay_stops" for c in self.consequences)

    def consequences_text(self) -> str:
        """The consequences in one sentence with their article, or "" (for pages and the case file)."""
        if not self.consequences:
            return ""
        cite = self.consequences[0].citation
        return "；".join(c.zh for c in self.consequences) + f"（{cite.short()}）"


@dataclass(frozen=True)
class Referral:
    """Where a case may be sent (discipline body, judicial organs)."""

    code: str
    zh: str
    citation: Citation


@dataclass(frozen=True)
class Sanctions:
    """The accountability data of one pack."""

    pack_id: str
    violations: tuple[Violation, ...]
    responsibility: tuple[Responsibility, ...]
    tiers: tuple[Tier, ...]
    referral: tuple[Referral, ...]
    dissent_exempts: Citation | None = None
    # Xundian art. 30 says dissent "可免除" (may exempt): the exemption is proposed with the minutes' proof and
    # decided by whoever handles the case, never applied by itself.
    dissent_exemption_automatic: bool = False

    def responsibility_of(self, code: str) -> Responsibility | None:
        """The responsibility kind with that code (e.g. art. 28's collective one), or None."""
        return next((r for r in self.responsibility if r.code == code), None)

    def tier(self, code: str) -> Tier:
        """The tier with that code, or InputError unknown_tier naming the known ones."""
        for t in self.tiers:
            if t.code == code:
                return t
        known = "、".join(t.code for t in self.tiers)
        raise InputError("unknown_tier", f"未知的处理档次“{code}”，可选：{known}", "tier",
                         f"unknown sanction tier {code!r}; known: {known}")

    def violation(self, code: str) -> Violation:
        """The violation with that code, or InputError unknown_violation."""
        for v in self.violations:
            if v.code == code:
                return v
        raise InputError("unknown_violation", f"未知的违规情形“{code}”", "violation", f"unknown violation {code!r}")


@dataclass(frozen=True)
class Deduction:
    """What one sanction takes from one person's pay of one year."""

    rate: Decimal
    performance_pay_deduction: Decimal
    tenure_incentive_deduction: Decimal

    @property
    def total(self) -> Decimal:
        """Both deductions together."""
        return self.performance_pay_deduction + self.tenure_incentive_deduction


def _rate(value: Any, where: str) -> Decimal:
    try:
        rate = Decimal(str(value if value is not None else "0"))
    except InvalidOperation:
        raise PackError(where, f"not a decimal rate: {value!r}") from None
    if not ZERO <= rate <= ONE:
        raise PackError(where, f"a rate is a fraction between 0 and 1, not {rate}")
    return rate


def build_sanctions(pack: Pack) -> Sanctions:
    """Read and check the pack's sanctions.yaml (an absent file gives empty lists)."""
    found = read_pack_file(pack, "sanctions.yaml")
    if found is None:
        return Sanctions(pack.id, (), (), (), ())
    doc, where = found
    doc = doc or {}
    if not isinstance(doc, dict):
        raise PackError(where, "must be a mapping")

    def entries(key: str) -> list[dict[str, Any]]:
        rows = doc.get(key) or []
        for n, row in enumerate(rows):
            if not isinstance(row, dict) or not row.get("code") or not row.get("zh"):
                raise PackError(f"{where}: {key}[{n}]", "needs `code` and `zh`")
        codes = [str(r["code"]) for r in rows]
        if len(codes) != len(set(codes)):
            raise PackError(f"{where}: {key}", "duplicate code")
        return list(rows)

    def cite(row: dict[str, Any], key: str, n: int) -> Citation:
        return pack_citation(pack, row.get("cite"), f"{where}: {key}[{n}].cite")

    violations = tuple(Violation(str(r["code"]), str(r["zh"]), cite(r, "violations", n))
                       for n, r in enumerate(entries("violations")))
    responsibility = tuple(Responsibility(str(r["code"]), str(r["zh"]), cite(r, "responsibility", n))
                           for n, r in enumerate(entries("responsibility")))
    referral = tuple(Referral(str(r["code"]), str(r["zh"]), cite(r, "referral", n))
                     for n, r in enumerate(entries("referral")))
    referral_codes = {r.code for r in referral}
    consequences = {str(r["code"]): Consequence(str(r["code"]), str(r["zh"]), cite(r, "consequences", n))
                    for n, r in enumerate(entries("consequences"))}
    tiers = []
    for n, r in enumerate(entries("tiers")):
        tw = f"{where}: tiers[{n}]"
        unknown = set(r.get("consequences") or ()) - set(consequences)
        if unknown:
            raise PackError(tw, f"unknown consequences {sorted(unknown)}")
        tier = Tier(str(r["code"]), str(r["zh"]), cite(r, "tiers", n),
                    _rate(r.get("performance_pay_rate"), tw), _rate(r.get("tenure_incentive_rate"), tw),
                    bool(r.get("cap", False)), str(r.get("referral", "")), str(r.get("proposed_to", "")),
                    tuple(consequences[c] for c in r.get("consequences") or ()))
        if tier.referral and tier.referral not in referral_codes:
            raise PackError(tw, f"unknown referral {tier.referral!r}")
        tiers.append(tier)
    dissent = doc.get("dissent_exempts")
    return Sanctions(pack.id, violations, responsibility, tuple(tiers), referral,
                     pack_citation(pack, dissent.get("cite"), f"{where}: dissent_exempts") if dissent else None,
                     bool(dissent.get("automatic", False)) if dissent else False)


def sanctions_for(pack_id: str) -> Sanctions:
    """The accountability data of a pack found by the registry (cached on the pack)."""
    return cached_on_pack(get_registry().get(pack_id), "sanctions", build_sanctions)


def tier_list(pack_id: str) -> list[Tier]:
    """The sanction tiers of a pack, lightest first."""
    return list(sanctions_for(pack_id).tiers)


def _money(value: Any, field_name: str, label: str) -> Decimal:
    text = str(value if value is not None else "0").strip()
    if "," in text and not in_thousands(text):
        raise InputError("invalid_amount", f"{label}中的逗号只能作千位分隔符（如 4,000,000）：{value}", field_name,
                         f"{field_name}: commas are allowed only as thousands separators") from None
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InputError("invalid_amount", f"{label}不是有效金额：{value}", field_name,
                         f"{field_name} is not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise InputError("invalid_amount", f"{label}不能为负数", field_name, f"{field_name} must not be negative")
    if amount >= MAX_PAY or amount != amount.quantize(FEN, rounding=ROUND_DOWN):
        raise InputError("invalid_amount", f"{label}应为不超过万亿元、最多两位小数的金额：{value}", field_name,
                         f"{field_name} must be below 10^12 yuan with at most two decimals")
    return amount


def deduction(tier: Tier, *, performance_pay: Any, tenure_incentive: Any = None,
              rate: Any = None) -> Deduction:
    """The pay a tier deducts (Decimal yuan, rounded down to the fen); a capped tier takes a rate up to its cap."""
    pay = _money(performance_pay, "performance_pay", "当年绩效年薪")
    tenure = _money(tenure_incentive, "tenure_incentive", "任期激励收入")
    if rate is None or rate == "":
        chosen = tier.performance_pay_rate
    else:
        chosen = parse_rate(rate)
        if chosen != chosen.quantize(RATE_STEP, rounding=ROUND_DOWN):
            raise InputError("invalid_rate", f"扣减比例最多保留四位小数（0.01%）：{rate}", "rate",
                             "a rate has at most four decimal places")
        cap_pct = f"{tier.performance_pay_rate * 100:g}%"
        if tier.cap and chosen > tier.performance_pay_rate:
            raise InputError("rate_above_cap", f"“{tier.zh}”的扣减比例不得超过{cap_pct}（{_where(tier)}）", "rate",
                             f"rate {chosen} exceeds the cap {tier.performance_pay_rate} of tier {tier.code}")
        if not tier.cap and chosen != tier.performance_pay_rate:
            raise InputError("rate_fixed", f"“{tier.zh}”的扣减比例固定为{cap_pct}（{_where(tier)}）", "rate",
                             f"tier {tier.code} deducts a fixed {tier.performance_pay_rate}")
    return Deduction(
        chosen,
        (pay * chosen).quantize(FEN, rounding=ROUND_DOWN),
        (tenure * tier.tenure_incentive_rate).quantize(FEN, rounding=ROUND_DOWN),
    )


def parse_rate(rate: Any) -> Decimal:
    """A rate as typed: "50%" (or ５０％) and "0.5" both mean one half; a bare number above 1 is refused, not guessed."""
    text = str(rate).strip().replace("％", "%")
    percent = text.endswith("%")
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        raise InputError("invalid_rate", f"扣减比例不是有效数字：{rate}（可写 50% 或 0.5）", "rate",
                         f"rate is not a number: {rate!r} (write 50% or 0.5)") from None
    if not value.is_finite() or value < 0:
        raise InputError("invalid_rate", "扣减比例不能为负数", "rate", "rate must not be negative")
    if percent:
        return value / 100
    if value > 1:
        raise InputError("invalid_rate", f"扣减比例 {rate} 大于 1：百分数请带 %（如 {rate}%），小数如 0.5 表示 50%", "rate",
                         f"rate {rate} is above 1: write a percentage with % ({rate}%) or a fraction such as 0.5")
    return value


def _where(tier: Tier) -> str:
    return f"第{tier.citation.article}条"
