"""classify: every obligation a policy pack puts on one matter, each citing its article and item."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts, money_text
from soegov.policy.errors import MissingFact
from soegov.policy.loader import get_registry
from soegov.policy.matter_input import missing_fact_error, parse_matter
from soegov.policy.model import Pack, PackVersion
from soegov.policy.rules import Rule
from soegov.policy.verdict import Run

_ORDER = {kind: n for n, kind in enumerate(("approval", "prior_filing", "post_filing", "report", "collective_decision",
                                            "leader_approval", "prohibited"))}



def _defaults(pack: Pack, matter_type: str) -> dict[str, Any]:
    """Attribute defaults for a type: the catalogue's, overridden by the pack's (cached per pack)."""
    key = ("defaults", matter_type)
    found = pack.cache.get(key)
    if found is None:
        found = pack.cache[key] = {
            **{name: spec.default for name, spec in MATTER_TYPES[matter_type].attributes.items()
               if spec.default is not None},
            **pack.attribute_defaults,
        }
    return found


def _kind_notes(pack: Pack, duties: frozenset[tuple[str, str]], lang: str) -> list[dict[str, Any]]:
    """The notes a pack adds once for each kind of obligation present (optionally only for some authorities)."""
    key = ("kind_notes", duties, lang)
    found = pack.cache.get(key)
    if found is None:
        found = pack.cache[key] = [
            {"code": kn.code, "message": kn.zh if lang == "zh" else kn.en, "citation": kn.citation.as_dict()}
            for kind, notes in pack.kind_notes.items() for kn in notes
            if any(k == kind and (kn.authorities is None or a in kn.authorities) for k, a in duties)
        ]
    return found


def classify(doc: Mapping[str, Any], *, policy: str, date: str | None = None, lang: str = "zh",
             explain: bool = False) -> dict[str, Any]:
    """Every obligation the policy puts on the matter described by `doc` (the contract's classify).

    `date` overrides the document's date (the CLI's --date); with neither, today in Asia/Shanghai
    picks the pack version. Raises InputError for invalid input, naming the field.
    """
    pack = get_registry().get(policy)
    day, facts, unknown, echo = parse_matter(doc, date_override=date)
    version = pack.version_on(day)
    result: dict[str, Any] = {"policy": _policy_head(pack, version), "matter": echo, "obligations": [],
                              "uncovered": True, "notes": [_unknown_attribute(name, lang) for name in unknown]}
    if version is None:
        result["notes"].append(_not_in_force(pack, day, lang))
        return result
    facts.apply_defaults(_defaults(pack, facts.type))
    if facts.ownership not in pack.scope_ownership:
        result["notes"].append(_out_of_scope(pack, facts, lang))
        return result
    run = _run(pack, version, facts, lang, explain)
    result["obligations"] = run.obligations
    result["uncovered"] = not run.covered
    if run.obligations and pack.kind_notes:
        result["notes"].extend(_kind_notes(pack, frozenset((duty[0], duty[1]) for duty in run.duties), lang))
    result["notes"].extend(run.notes)
    for name in sorted(facts.used_defaults) if facts.used_defaults else ():
        result["notes"].append(_assumed_default(facts, name, lang))
    if not run.covered:
        result["notes"].extend(_uncovered_notes(pack, lang))
    if explain:
        result["explain"] = {"rules": run.trace, "nearest_threshold": _nearest_threshold(version, facts, lang)}
    return result


def _policy_head(pack: Pack, version: PackVersion | None) -> dict[str, Any]:
    """The verdict's `policy` object: the pack, the version applied and its dates of force."""
    head: dict[str, Any] = {"id": pack.id, "title": pack.title, "in_force": version is not None,
                            "version": version.version if version else None}
    if version is not None:
        span = pack.cache.get(("span", version.version))
        if span is None:
            span = pack.cache[("span", version.version)] = version.span
        head["in_force_from"], head["in_force_until"] = span
    return head


def _run(pack: Pack, version: PackVersion, facts: Facts, lang: str, explain: bool) -> Run:
    """Test every rule of the matter's type, then the rules that follow from the attachments found."""
    run = Run(pack, version, facts, lang, explain)
    if explain:
        for rule in version.by_type[facts.type]:
            if run.test(rule):
                run.apply(rule)
    else:
        rule = None
        try:
            for rule in version.by_type[facts.type]:
                if rule.condition is None or rule.condition.holds(facts):
                    run.apply(rule)
        except MissingFact as exc:
            assert rule is not None
            raise missing_fact_error(exc, rule) from None
    if version.after_rules and run.obligations:
        attachments = {a for ob in run.obligations for a in ob["attachments"]}
        for rule in version.after_rules:
            if rule.after_attachment in attachments and ("*" in rule.types or facts.type in rule.types) and run.test(rule):
                run.apply(rule)
    if len(run.obligations) > 1:
        run.obligations.sort(key=lambda ob: _ORDER[ob["kind"]])
    return run


def _unknown_attribute(name: str, lang: str) -> dict[str, Any]:
    return {"code": "unknown_attribute",
            "message": f"属性 attributes.{name} 不适用于该事项类型，已忽略" if lang == "zh"
            else f"attributes.{name} does not apply to this matter type and was ignored"}


def _not_in_force(pack: Pack, day: Any, lang: str) -> dict[str, Any]:
    if lang == "zh":
        spans = "；".join(f"{v.version}: {v.in_force_from} 至 {v.in_force_until or '今'}" for v in pack.versions)
        return {"code": "policy_not_in_force", "message": f"{pack.title}在 {day} 不在施行期内（{spans}），未套用任何规则"}
    spans = "; ".join(f"{v.version}: {v.in_force_from} to {v.in_force_until or 'open'}" for v in pack.versions)
    return {"code": "policy_not_in_force", "message": f"{pack.id} is not in force on {day} ({spans}); no rule was applied"}


def _out_of_scope(pack: Pack, facts: Facts, lang: str) -> dict[str, Any]:
    cite = pack.scope_citation
    own = OWNERSHIPS[facts.ownership]
    return {"code": "out_of_scope",
            "message": f"{pack.title}不适用于{own.label}企业" if lang == "zh"
            else f"{pack.id} does not apply to {own.label_en} enterprises",
            **({"citation": cite.as_dict()} if cite else {})}


def _assumed_default(facts: Facts, name: str, lang: str) -> dict[str, Any]:
    """The note for an attribute the input left out and a rule read at its default."""
    value = facts.defaults[name]
    spec = MATTER_TYPES[facts.type].attributes.get(name)
    if lang == "zh":
        shown = {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)
        label = f"“{spec.label}”（attributes.{name}）" if spec else f"attributes.{name}"
        message = f"未填写{label}，按“{shown}”处理；如不符请补充"
    else:
        shown = {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)
        label = f"“{spec.label_en}” (attributes.{name})" if spec else f"attributes.{name}"
        message = f"{label} not given; read as “{shown}”. Add it if that is wrong."
    return {"code": "assumed_default", "attribute": name, "message": message}


def _uncovered_notes(pack: Pack, lang: str) -> list[dict[str, Any]]:
    """What an uncovered verdict says: that no item names the matter, and the pack's catch-all items."""
    key = ("uncovered", lang)
    found = pack.cache.get(key)
    if found is None:
        head = {"code": "uncovered",
                "message": f"{pack.title}没有条款就这些事实点名该事项；请对照下列兜底条款判断是否需要报告" if lang == "zh"
                else f"No item of {pack.id} names this matter for these facts; check the catch-all items below"}
        found = pack.cache[key] = [head] + [
            {"code": "catch_all", "citation": cite.as_dict(),
             "message": f"{cite.short(lang)}：{cite.text}" if lang == "zh" else f"{cite.short(lang)}: {cite.text}"}
            for cite in pack.catch_alls]
    return found


def _nearest_threshold(version: PackVersion, facts: Facts, lang: str) -> dict[str, Any] | None:
    """The amount threshold of this type's rules closest to the matter's amount."""
    if facts.amount is None:
        return None
    best: tuple[Decimal, Decimal, str, str, Rule] | None = None
    for rule in version.by_type[facts.type]:
        for r in (rule, *rule.also):
            if r.condition is None:
                continue
            for op, bound, words in r.condition.amount_bounds():
                distance = abs(facts.amount - bound)
                if best is None or distance < best[0]:
                    best = (distance, bound, op, words, r)
    if best is None:
        return None
    distance, bound, op, words, rule = best
    side = "at" if facts.amount == bound else ("below" if facts.amount < bound else "above")
    if lang == "zh":
        side_zh = {"at": "恰好等于", "below": "低于", "above": "高于"}[side]
        text = f"金额{side_zh}最近的门槛 {money_text(bound)} 元（{words or rule.citation.short('zh')}），相差 {money_text(distance)} 元"
    else:
        text = f"amount is {side} the nearest threshold {money_text(bound)} ({words or rule.citation.short('en')}) by {money_text(distance)}"
    return {"bound": str(bound), "op": op, "words": words, "side": side, "distance": str(distance),
            "rule": rule.id, "citation": rule.citation.as_dict(), "text": text}
