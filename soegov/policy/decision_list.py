"""An enterprise's decision list (事项清单) as a pack lays it down: every matter that needs a
collective decision (or stays within one leader's authority), for which amounts, taken by which
bodies in which order, voted how, citing the article, and the duties that follow it outside.

The enterprise's own list (xundian art. 23) starts from this and may only be stricter: a lower
threshold, more bodies; the workflow that edits it checks against `limits`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soegov.policy.catalogue import AUTHORITIES, CATEGORIES, KINDS, MATTER_TYPES
from soegov.policy.inputs import parse_date, today
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.rules import Rule

_INTERNAL = ("collective_decision", "leader_approval")


def _describe(rule: Rule, lang: str) -> str:
    if rule.condition is None:
        return "所有情形" if lang == "zh" else "always"
    return rule.condition.describe(lang)


def _duty(rule: Rule, lang: str) -> dict[str, Any]:
    ob = rule.obligation
    assert ob is not None
    zh = lang == "zh"
    return {"kind": ob.kind, "authority": ob.authority, "citation": rule.citation.as_dict(),
            "label": f"{AUTHORITIES[ob.authority].label}{KINDS[ob.kind].label}" if zh
            else f"{KINDS[ob.kind].label_en} by {AUTHORITIES[ob.authority].label_en}",
            "condition": _describe(rule, lang) if rule.condition is not None else None}


def _amount_floor(rule: Rule) -> str | None:
    """The pack's lowest amount for the entry: an enterprise may set it lower, never higher."""
    if rule.condition is None:
        return None
    lows = [bound for op, bound, _ in rule.condition.amount_bounds() if op in ("gt", "gte")]
    return str(min(lows)) if lows else None


def decision_list(policy: str, *, on: str | None = None, lang: str = "zh") -> dict[str, Any]:
    """The decision list the pack in force on `on` (default today) lays down."""
    pack: Pack = get_registry().get(policy)
    day = parse_date(on, "date") if on else today()
    version = pack.version_on(day)
    if version is None:
        return {"policy": pack.id, "in_force": False, "entries": []}
    entries: list[dict[str, Any]] = []
    resolution_rules = [r for r in version.after_rules if r.obligation and r.obligation.kind == "collective_decision"]
    for rule in version.rules:
        if rule.after_attachment is not None or rule.finding or rule.obligation is None or "*" in rule.types:
            continue
        ob = rule.obligation
        if ob.kind in _INTERNAL:
            entries.append(_entry(pack, rule, rule, [_duty(a, lang) for a in rule.also if a.obligation], lang))
        elif resolution_rules and any(a in ob.attachments for a in (r.after_attachment for r in resolution_rules)):
            # The reporting rule requires the enterprise's resolution first (e.g. yining art. 18 item 6).
            entries.append(_entry(pack, rule, resolution_rules[0], [_duty(rule, lang)], lang))
    return {"policy": pack.id, "version": version.version, "in_force": True, "entries": entries}


def _entry(pack: Pack, rule: Rule, decision: Rule, then: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    ob = decision.obligation
    assert ob is not None
    extra = dict(ob.extra)
    category = extra.get("category")
    bodies = list(extra.get("bodies") or pack.decision_routes.get(str(category), pack.decision_routes.get("default", ())))
    if ob.kind == "leader_approval":
        bodies = []
    return {
        "rule": rule.id,
        "types": [{"code": t, "label": MATTER_TYPES[t].label if zh else MATTER_TYPES[t].label_en} for t in rule.types],
        "category": category,
        "category_label": (CATEGORIES[category].label if zh else CATEGORIES[category].label_en) if category else None,
        "condition": _describe(rule, lang),
        "decision": ob.kind,
        "decision_label": KINDS[ob.kind].label if zh else KINDS[ob.kind].label_en,
        "bodies": bodies,
        "voting_method": extra.get("voting_method"),
        "citation": decision.citation.as_dict() if decision is rule else rule.citation.as_dict(),
        "then": then,
        "limits": {"amount_floor": _amount_floor(rule), "bodies_at_least": bodies},
    }


def amount_floor_allowed(pack_floor: str | None, enterprise_floor: Decimal | None) -> bool:
    """Whether an enterprise's threshold stays within the pack's limit (equal or stricter)."""
    if pack_floor is None or enterprise_floor is None:
        return True
    return enterprise_floor <= Decimal(pack_floor)
