"""Build a pack's collective-decision meeting rules (pack.yaml `meeting`) into MeetingRules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from soegov.policy.catalogue import BODIES, MEETING_CHECKS
from soegov.policy.errors import PackError
from soegov.policy.model import MajorityRule, MeetingCheck, MeetingRules
from soegov.policy.texts import Citation
from soegov.policy.yaml_files import require

MAJORITY_RULES = ("at_least_half", "more_than_half")

Cite = Callable[[Any, str], Citation]


def _majorities(spec: Mapping[str, Any], section: str, where: str, cite: Cite) -> dict[str, MajorityRule]:
    out = {}
    for body, rs in require(spec, section, where).items():
        if body != "default" and body not in BODIES:
            raise PackError(f"{where}.{section}", f"unknown body {body!r}")
        if rs.get("rule") not in MAJORITY_RULES:
            raise PackError(f"{where}.{section}.{body}", f"rule must be one of {MAJORITY_RULES}")
        out[body] = MajorityRule(rs["rule"], cite(require(rs, "cite", where), f"{where}.{section}.{body}"))
    if "default" not in out:
        raise PackError(f"{where}.{section}", "needs a `default` entry")
    return out


def _checks(spec: Mapping[str, Any], where: str, cite: Cite) -> dict[str, MeetingCheck]:
    checks = {}
    for code, cs in (spec.get("checks") or {}).items():
        if code not in MEETING_CHECKS:
            raise PackError(f"{where}.checks", f"unknown check {code!r}; known: {sorted(MEETING_CHECKS)}")
        params = tuple((k, v) for k, v in cs.items() if k not in ("cite", "voids"))
        checks[code] = MeetingCheck(code, cite(require(cs, "cite", where), f"{where}.checks.{code}"),
                                    bool(cs.get("voids", False)), params)
    return checks


def build_meeting_rules(spec: Any, where: str, cite: Cite) -> MeetingRules | None:
    """The meeting rules of a pack, or None when it has none."""
    if spec is None:
        return None
    bodies = tuple(require(spec, "bodies", where))
    for b in bodies:
        if b not in BODIES:
            raise PackError(where, f"unknown body {b!r}")
    return MeetingRules(bodies, _majorities(spec, "quorum", where, cite), _majorities(spec, "passing", where, cite),
                        _checks(spec, where, cite))
