"""Build a pack's collective-decision meeting rules (pack.yaml `meeting`) into MeetingRules.

A local pack gives a `default` quorum and passing rule for its bodies; an overlay gives rules only for
the bodies its texts bind (and none by default). An entry may cite several texts (a list), say that a
tie never carries (`no_tie`), and bind only from a date (`from`, when the text it quotes took effect).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from soegov.policy.catalogue import BODIES, CATEGORIES, MEETING_CHECKS
from soegov.policy.errors import PackError
from soegov.policy.model import MajorityRule, MeetingCheck, MeetingRules
from soegov.policy.texts import Citation
from soegov.policy.yaml_files import pack_date, require

MAJORITY_RULES = ("at_least_half", "more_than_half", "at_least_two_thirds")
_ENTRY_KEYS = {"rule", "cite", "no_tie", "from"}

Cite = Callable[[Any, str], Citation]


def _citations(spec: Any, where: str, cite: Cite) -> tuple[Citation, ...]:
    specs = spec if isinstance(spec, list) else [spec]
    if not specs:
        raise PackError(where, "cite at least one text")
    return tuple(cite(c, f"{where}[{n}]") for n, c in enumerate(specs))


def _majority(rs: Any, where: str, cite: Cite) -> MajorityRule:
    if not isinstance(rs, Mapping) or set(rs) - _ENTRY_KEYS:
        raise PackError(where, f"an entry is a mapping of {sorted(_ENTRY_KEYS)}")
    if rs.get("rule") not in MAJORITY_RULES:
        raise PackError(where, f"rule must be one of {MAJORITY_RULES}")
    citations = _citations(require(rs, "cite", where), where + ".cite", cite)
    since = pack_date(rs["from"], where + ".from") if rs.get("from") is not None else None
    return MajorityRule(rs["rule"], citations[0], citations, bool(rs.get("no_tie", False)), since)


def _majorities(spec: Mapping[str, Any], section: str, where: str, cite: Cite, overlay: bool) -> dict[str, MajorityRule]:
    out = {}
    for body, rs in (spec.get(section) or {}).items():
        if body != "default" and body not in BODIES:
            raise PackError(f"{where}.{section}", f"unknown body {body!r}")
        out[body] = _majority(rs, f"{where}.{section}.{body}", cite)
    if "default" not in out and not overlay:
        raise PackError(f"{where}.{section}", "needs a `default` entry")
    return out


def _item_quorum(spec: Mapping[str, Any], where: str, cite: Cite) -> dict[str, dict[str, MajorityRule]]:
    out: dict[str, dict[str, MajorityRule]] = {}
    for body, by_category in (spec.get("item_quorum") or {}).items():
        if body not in BODIES:
            raise PackError(f"{where}.item_quorum", f"unknown body {body!r}")
        for category, rs in (by_category or {}).items():
            if category not in CATEGORIES:
                raise PackError(f"{where}.item_quorum.{body}", f"unknown category {category!r}")
            out.setdefault(body, {})[category] = _majority(rs, f"{where}.item_quorum.{body}.{category}", cite)
    return out


def _checks(spec: Mapping[str, Any], where: str, cite: Cite) -> dict[str, MeetingCheck]:
    checks = {}
    for code, cs in (spec.get("checks") or {}).items():
        cw = f"{where}.checks.{code}"
        if code not in MEETING_CHECKS:
            raise PackError(f"{where}.checks", f"unknown check {code!r}; known: {sorted(MEETING_CHECKS)}")
        bodies = cs.get("bodies")
        for b in bodies or ():
            if b not in BODIES:
                raise PackError(cw, f"unknown body {b!r}")
        params = tuple((k, v) for k, v in cs.items() if k not in ("cite", "voids", "bodies", "from"))
        since = pack_date(cs["from"], cw + ".from") if cs.get("from") is not None else None
        checks[code] = MeetingCheck(code, cite(require(cs, "cite", where), cw), bool(cs.get("voids", False)), params,
                                    frozenset(bodies) if bodies else None, since)
    return checks


def build_meeting_rules(spec: Any, where: str, cite: Cite, overlay: bool = False) -> MeetingRules | None:
    """The meeting rules of a pack, or None when it has none."""
    if spec is None:
        return None
    bodies = tuple(require(spec, "bodies", where))
    for b in bodies:
        if b not in BODIES:
            raise PackError(where, f"unknown body {b!r}")
    return MeetingRules(bodies, _majorities(spec, "quorum", where, cite, overlay),
                        _majorities(spec, "passing", where, cite, overlay), _checks(spec, where, cite),
                        _item_quorum(spec, where, cite))
