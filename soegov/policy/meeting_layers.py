"""The meeting rules that bind one meeting: every layer's (local pack, then its overlays), for its body and day.

Each layer may set the quorum, the vote needed, the attendance an item of a category needs, and checks.
The counts of all layers are computed and the strictest decides; the result names that layer and lists
every layer's count with its citations. A check switched on by several layers cites them all.
"""

from __future__ import annotations

from typing import Any

from soegov.core.errors import InputError
from soegov.policy.catalogue import BODIES
from soegov.policy.dates import date
from soegov.policy.layers import overlays_of
from soegov.policy.model import MajorityRule, MeetingCheck, Pack
from soegov.policy.record import Record


class Layered(Record):
    """One layer's rule: which layer and pack state it, and the rule."""

    __slots__ = ("layer", "pack", "rule")

    layer: str
    pack: str
    rule: Any  # MajorityRule or MeetingCheck

    def __init__(self, layer: str, pack: str, rule: Any) -> None:
        self.layer = layer
        self.pack = pack
        self.rule = rule


class BindingRules(Record):
    """What binds a meeting of one body on one day, layer by layer (local first)."""

    __slots__ = ("kind", "quorum", "passing", "item_quorum", "checks", "skipped", "counted")

    kind: str
    quorum: list[Layered]
    passing: list[Layered]
    item_quorum: dict[str, list[Layered]]  # category → rules
    checks: dict[str, list[Layered]]  # code → rules
    skipped: list[tuple[str, str, date]]  # (layer, pack, since) for rules not yet binding on the day
    counted: dict[tuple[int, int], tuple[Layered, int, list[dict[str, Any]]]]  # strictest() per (entries, base)

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.quorum = []
        self.passing = []
        self.item_quorum = {}
        self.checks = {}
        self.skipped = []
        self.counted = {}

    def strictest(self, entries: list[Layered], base: int) -> tuple[Layered, int, list[dict[str, Any]]]:
        """strictest(entries, base), remembered: the same body meets with the same numbers again and again.

        The returned layer list is shared between results, which are read-only (as classify's citations are).
        """
        key = (id(entries), base)
        found = self.counted.get(key)
        if found is None:
            found = self.counted[key] = strictest(entries, base)
        return found

    def check(self, code: str) -> list[Layered]:
        """The layers that switch this check on (empty when none does)."""
        return self.checks.get(code, [])


def meeting_bodies(pack: Pack) -> tuple[str, ...]:
    """The bodies some layer of the pack has meeting rules for, the local ones first; InputError when none."""
    bodies: list[str] = []
    for layer in (pack, *overlays_of(pack)):
        if layer.meeting is not None:
            bodies.extend(b for b in layer.meeting.bodies if b not in bodies)
    if not bodies:
        raise InputError("no_meeting_rules", f"政策包 {pack.id} 及其上位规则层都没有会议决策规则，请改用含会议规则的政策包",
                         "policy", f"policy pack {pack.id} and its overlays have no meeting rules")
    return tuple(bodies)


def _binds(rule: MajorityRule | MeetingCheck, day: date) -> bool:
    return rule.since is None or day >= rule.since


def binding_rules(pack: Pack, kind: str, day: date) -> BindingRules:
    """The rules of every layer that bind a meeting of this body on this day."""
    key = ("binding_rules", kind, day)
    found = pack.cache.get(key)
    if found is not None:
        return found
    out = BindingRules(kind)
    for layer in (pack, *overlays_of(pack)):
        rules = layer.meeting
        if rules is None or kind not in rules.bodies:
            continue
        local = not layer.is_overlay
        for section, target in (("quorum", out.quorum), ("passing", out.passing)):
            table = getattr(rules, section)
            rule = table.get(kind) or (table.get("default") if local else None)
            if rule is not None:
                _add(out, target, layer, rule, day)
        for category, rule in rules.item_quorum.get(kind, {}).items():
            _add(out, out.item_quorum.setdefault(category, []), layer, rule, day)
        for code, check in rules.checks.items():
            if check.bodies is None or kind in check.bodies:
                _add(out, out.checks.setdefault(code, []), layer, check, day)
    pack.cache[key] = out
    return out


def _add(out: BindingRules, target: list[Layered], layer: Pack, rule: MajorityRule | MeetingCheck, day: date) -> None:
    if _binds(rule, day):
        target.append(Layered(layer.layer, layer.id, rule))
    elif rule.since is not None:
        out.skipped.append((layer.layer, layer.id, rule.since))


def strictest(entries: list[Layered], base: int) -> tuple[Layered, int, list[dict[str, Any]]]:
    """The entry that needs the most on this base (the first, local, on a tie), its count, and every layer's count."""
    counted = [(entry, entry.rule.required(base)) for entry in entries]
    best, required = counted[0]
    for entry, need in counted[1:]:
        if need > required:
            best, required = entry, need
    shown = [{"layer": e.layer, "pack": e.pack, "rule": e.rule.rule, "required": need,
              "citation": e.rule.citation.as_dict(), "citations": [c.as_dict() for c in e.rule.citations]}
             for e, need in counted]
    return best, required, shown


def body_label(kind: str, lang: str) -> str:
    """The body's name in the language asked."""
    return BODIES[kind].label if lang == "zh" else BODIES[kind].label_en
