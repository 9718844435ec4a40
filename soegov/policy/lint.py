"""`soegov policy lint`: check a pack folder before it is used.

Loading already refuses unknown codes, missing articles and bad dates (PackError). Lint adds
what only a sweep over the facts can show: for each matter type and each combination of level,
ownership and attribute values its rules read, amount ranges that overlap (two rules giving the
same kind of duty to the same amount) or leave holes between thresholds.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from soegov.core.errors import SoegovError
from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts
from soegov.policy.errors import MissingFact
from soegov.policy.loader import PACKS_DIR, get_registry, load_pack
from soegov.policy.model import Pack, PackVersion
from soegov.policy.rules import ROLE_PREFIX, Rule

_CENT = Decimal("0.01")
_LEVELS = (1, 2, 3, 4)


def _finding(level: str, pack: str, message: str, rule: str | None = None) -> dict[str, Any]:
    return {"level": level, "pack": pack, "rule": rule, "message": message}


def _resolve(path: str) -> Path:
    candidate = Path(path)
    if candidate.is_dir():
        return candidate
    shipped = Path(PACKS_DIR) / path
    if shipped.is_dir():
        return shipped
    return candidate


def lint_paths(paths: list[str], lang: str = "zh") -> tuple[list[dict[str, Any]], str]:
    """Lint each pack folder (or shipped pack id); returns findings and a readable report."""
    findings: list[dict[str, Any]] = []
    for raw in paths:
        folder = _resolve(raw)
        if not (folder / "pack.yaml").is_file():
            findings.append(_finding("error", raw, f"{raw}: 不是政策包目录（缺少 pack.yaml）" if lang == "zh"
                                     else f"{raw}: not a pack folder (no pack.yaml)"))
            continue
        try:
            pack = load_pack(folder)
        except SoegovError as exc:
            findings.append(_finding("error", raw, exc.text(lang)))
            continue
        findings.extend(lint_pack(pack))
    errors = sum(1 for f in findings if f["level"] == "error")
    warnings = len(findings) - errors
    lines = [f"[{f['level']}] {f['pack']}" + (f" {f['rule']}" if f["rule"] else "") + f": {f['message']}" for f in findings]
    lines.append(f"{len(paths)} 个政策包：{errors} 个错误，{warnings} 个警告" if lang == "zh"
                  else f"{len(paths)} pack(s): {errors} error(s), {warnings} warning(s)")
    return findings, "\n".join(lines)


def lint_pack(pack: Pack) -> list[dict[str, Any]]:
    """Findings for a loaded pack: rule coverage of its cited articles and the amount sweep."""
    out: list[dict[str, Any]] = []
    for version in pack.versions:
        if version.in_force_from < pack.issued:
            out.append(_finding("error", pack.id, f"version {version.version} in force before the issue date {pack.issued}"))
        ids = {r.id for r in version.rules}
        if not ids:
            out.append(_finding("error", pack.id, f"version {version.version} has no rules"))
        out.extend(_sweep(pack, version))
    out.extend(_parameters(pack))
    out.extend(_kind_note_attachments(pack))
    out.extend(_overlays(pack) if not pack.is_overlay else _overlay_texts(pack))
    other = [p for p in get_registry().ids if p != pack.id]
    if pack.id in other:
        out.append(_finding("warning", pack.id, "another pack with this id is installed"))
    return out


def _overlays(pack: Pack) -> list[dict[str, Any]]:
    """A local pack's overlays exist, are overlays, and find in it every role and clock their rules name."""
    out: list[dict[str, Any]] = []
    registry = get_registry()
    for overlay_id in pack.overlays:
        if overlay_id not in registry.ids:
            out.append(_finding("error", pack.id, f"overlay {overlay_id} is not installed"))
            continue
        overlay = registry.get(overlay_id)
        if not overlay.is_overlay:
            out.append(_finding("error", pack.id, f"{overlay_id} is a local pack, not an overlay (its pack.yaml has no `layer`)"))
            continue
        for version in overlay.versions:
            for rule in version.rules:
                for r in (rule, *rule.also):
                    out.extend(_overlay_rule(pack, overlay, r))
    return out


def _overlay_rule(pack: Pack, overlay: Pack, rule: Rule) -> list[dict[str, Any]]:
    ob = rule.obligation
    if ob is None:
        return []
    out = []
    if ob.authority.startswith(ROLE_PREFIX) and ob.authority[len(ROLE_PREFIX):] not in pack.roles:
        out.append(_finding("error", pack.id, f"sits under {overlay.id}, whose rule names the role "
                            f"{ob.authority[len(ROLE_PREFIX):]}: map it to an authority in pack.yaml `roles`", rule.id))
    # An overlay's clocks are the local pack's where it has them (a supervisor's reply clock exists in some
    # jurisdictions only); where it has none the duty carries no deadline, as the local text sets none.
    return out


def _overlay_texts(pack: Pack) -> list[dict[str, Any]]:
    """An overlay quotes texts read elsewhere: each names its source, and a text not checked is explained."""
    out: list[dict[str, Any]] = []
    if pack.overlays:
        out.append(_finding("error", pack.id, "an overlay does not sit under another overlay"))
    for source in pack.sources.values():
        unverified = [a.number for a in source.articles.values() if not a.verified]
        if unverified and not source.note:
            out.append(_finding("error", pack.id, f"{source.document} articles {unverified} could not be checked: "
                                "say what was read instead (the document's `note`)"))
    return out


def _kind_note_attachments(pack: Pack) -> list[dict[str, Any]]:
    """A note that asks for a document (art. 24's legal opinion) and the attachment lists agree."""
    out: list[dict[str, Any]] = []
    for kind, notes in pack.kind_notes.items():
        for note in notes:
            if note.attachment is None:
                continue
            for version in pack.versions:
                for rule in version.rules:
                    for r in (rule, *rule.also):
                        ob = r.obligation
                        if (ob is None or ob.kind != kind or r.finding
                                or (note.authorities is not None and ob.authority not in note.authorities)):
                            continue
                        if note.attachment not in ob.attachments:
                            out.append(_finding("error", pack.id, f"the note {note.code} asks for {note.attachment}, "
                                                "which this duty's attachments leave out", r.id))
    return out


def _parameters(pack: Pack) -> list[dict[str, Any]]:
    """Every named threshold is used, and its value changes only where a version of the rules starts."""
    out: list[dict[str, Any]] = []
    used = {name for v in pack.versions for rule in v.rules for r in (rule, *rule.also)
            if r.condition is not None for name in r.condition.parameter_names()}
    starts = {v.in_force_from for v in pack.versions}
    for name, param in pack.parameters.items():
        if name not in used:
            out.append(_finding("warning", pack.id, f"parameter {name} is named in parameters.yaml but no rule uses it"))
        for start, _value, _words in param.values:
            if start not in starts and any(v.in_force_on(start) for v in pack.versions):
                out.append(_finding("error", pack.id, f"parameter {name} changes value on {start}, inside a version of "
                                    "the rules: start a new version on that date"))
    return out


def _points(rules: list[Rule]) -> list[Decimal]:
    bounds = {b for r in rules for sub in (r, *r.also) if sub.condition for _, b, _ in sub.condition.amount_bounds()}
    pts = {Decimal(0), Decimal("1e12")}
    for b in bounds:
        pts.update({b - _CENT, b, b + _CENT})
    return sorted(p for p in pts if p >= 0)


def _attribute_values(matter_type: str, rules: list[Rule]) -> dict[str, list[Any]]:
    names = set()
    for r in rules:
        for sub in (r, *r.also):
            if sub.condition:
                names |= sub.condition.attribute_names()
    values: dict[str, list[Any]] = {}
    specs = MATTER_TYPES[matter_type].attributes
    for name in sorted(names):
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.kind == "bool":
            values[name] = [True, False]
        elif spec.kind == "choice":
            values[name] = list(spec.choices)
        elif spec.kind == "int":
            values[name] = [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 24]
    return values


def _sweep(pack: Pack, version: PackVersion) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    reported: set[tuple[str, ...]] = set()
    for matter_type in MATTER_TYPES:
        rules = [r for r in version.by_type[matter_type] if "*" not in r.types]
        amount_rules = [r for r in rules if r.condition and r.condition.amount_bounds() and not r.finding]
        if not amount_rules:
            continue
        points = _points(rules)
        attr_values = _attribute_values(matter_type, rules)
        combos = list(itertools.product(*attr_values.values())) if attr_values else [()]
        for level, ownership, combo in itertools.product(_LEVELS, OWNERSHIPS, combos):
            attrs = dict(zip(attr_values, combo, strict=True))
            hits_by_point = []
            for amount in points:
                facts = Facts(matter_type, level, ownership, amount, dict(attrs), pack.attribute_defaults)
                hits = []
                for rule in amount_rules:
                    try:
                        if rule.condition is not None and rule.condition.holds(facts):
                            hits.append(rule)
                    except MissingFact:
                        continue
                hits_by_point.append(hits)
                kinds: dict[tuple[str, str], list[str]] = {}
                for rule in hits:
                    duty = (rule.obligation.kind, rule.obligation.authority) if rule.obligation else ("note", rule.id)
                    kinds.setdefault(duty, []).append(rule.id)
                for duty, ids in kinds.items():
                    if len(ids) > 1 and (matter_type, *ids) not in reported:
                        reported.add((matter_type, *ids))
                        out.append(_finding("error", pack.id, f"{matter_type}: amount {amount} matches {', '.join(ids)} "
                                            f"with the same duty {duty[0]}/{duty[1]} (overlapping ranges)", ids[0]))
            covered = [bool(h) for h in hits_by_point]
            if True in covered:
                first = covered.index(True)
                last = len(covered) - 1 - covered[::-1].index(True)
                hole = next((n for n in range(first, last + 1) if not covered[n]), None)
                if hole is not None and (matter_type, "gap", str(points[hole])) not in reported:
                    reported.add((matter_type, "gap", str(points[hole])))
                    out.append(_finding("error", pack.id, f"{matter_type}: no rule covers amount {points[hole]} between "
                                        f"thresholds (level {level}, {ownership}, {attrs}) — a hole in the ranges"))
    return out
