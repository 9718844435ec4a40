"""classify: every obligation a policy pack puts on one matter, each citing its article and item."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts, money_text
from soegov.policy.dates import date
from soegov.policy.errors import MissingFact
from soegov.policy.layers import LOCAL, layer_head, local_pack, not_in_force_note, overlays_of
from soegov.policy.loader import get_registry
from soegov.policy.matter_input import missing_fact_error, parse_matter
from soegov.policy.model import Pack, PackVersion
from soegov.policy.rules import Rule
from soegov.policy.verdict import Run

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any

_ORDER = {kind: n for n, kind in enumerate(("approval", "prior_filing", "post_filing", "report", "recommendation",
                                            "collective_decision",
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
    if pack.layer != LOCAL:
        local_pack(policy)  # raises the named error
    day, facts, unknown, echo = parse_matter(doc, date_override=date)
    version, overlays, layered = _layers(pack, day)
    result: dict[str, Any] = {"policy": _policy_head(pack, version, layered), "matter": echo, "obligations": [],
                              "uncovered": True, "notes": [_unknown_attribute(name, lang) for name in unknown],
                              "decided_by": LOCAL}
    if version is None:
        result["notes"].append(not_in_force_note(pack, day, lang))
        return result
    facts.apply_defaults(_defaults(pack, facts.type))
    if facts.ownership not in pack.scope_ownership:
        result["notes"].append(_out_of_scope(pack, facts, lang))
        return result
    run = _run(pack, version, facts, lang, explain)
    for overlay, overlay_version in overlays:
        if overlay_version is None:
            result["notes"].append(not_in_force_note(overlay, day, lang))
        elif _apply_overlay(run, overlay, overlay_version):
            result["decided_by"] = overlay.layer
    if run.version.after_rules and run.obligations:
        _after_rules(run)
    if len(run.obligations) > 1:
        run.obligations.sort(key=lambda ob: _ORDER[ob["kind"]])
    result["obligations"] = run.obligations
    result["uncovered"] = not run.covered
    if len(run.obligations) > 1 and (several := _several_items(run.obligations, pack, lang)) is not None:
        result["notes"].append(several)
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


def _layers(pack: Pack, day: date) -> tuple[PackVersion | None, list[tuple[Pack, PackVersion | None]],
                                            list[dict[str, Any]]]:
    """The pack's version on the day, the overlays with theirs, and every layer's head for the verdict.

    Remembered per day: a verdict's layers depend on nothing else, and classify is called by the thousand.
    """
    key = ("layers", day)
    found = pack.cache.get(key)
    if found is None:
        overlays = overlays_of(pack)
        found = pack.cache[key] = (pack.version_on(day), [(o, o.version_on(day)) for o in overlays],
                                   [layer_head(p, day) for p in (pack, *overlays)])
    return found


# How strict an outward duty is: approval before filing before report; a government above its supervisor.
_KIND_RANK = {"approval": 4, "prior_filing": 3, "post_filing": 2, "report": 1}
_AUTHORITY_RANK = {"city_government": 3, "county_government": 3, "city_party_committee": 3, "sasac": 2,
                   "county_finance_bureau": 2, "county_soe_party_committee": 2, "discipline_commission": 2,
                   "organization_department": 1, "level1_enterprise": 1, "enterprise": 0}


def _several_items(obligations: list[dict[str, Any]], pack: Pack, lang: str) -> dict[str, Any] | None:
    """Where a matter falls under two items of the pack, name both and say which is stricter (it is followed first)."""
    outward = [ob for ob in obligations if ob["kind"] in _KIND_RANK and not ob.get("finding")
               and ob["citation"]["document"] == pack.document]
    items: dict[tuple[Any, Any], dict[str, Any]] = {}
    for ob in outward:
        items.setdefault((ob["citation"]["article"], ob["citation"]["item"]), ob)
    if len(items) < 2:
        return None
    stricter = max(items.values(), key=lambda ob: (_KIND_RANK[ob["kind"]], _AUTHORITY_RANK.get(ob["authority"], 0)))
    zh = lang == "zh"

    def said(ob: dict[str, Any]) -> str:
        c = ob["citation"]
        ref = (f"第{c['article']}条" + (f"第{c['item']}项" if c["item"] else "")) if zh else (
            f"art. {c['article']}" + (f"({c['item']})" if c["item"] else ""))
        return f"{ref}（{ob['authority_label']}{ob['kind_label']}）" if zh else f"{ref} ({ob['kind_label']} by {ob['authority_label']})"

    listed = ("、".join if zh else ", ".join)(said(ob) for ob in items.values())
    message = (f"本事项同时属于{listed}；其中{said(stricter)}更严，按其办理，其余各项的材料和程序一并满足。" if zh
               else f"The matter falls under {listed}; {said(stricter)} is the stricter and is followed, "
               "meeting the others' documents and steps too.")
    return {"code": "several_items", "message": message, "citation": stricter["citation"],
            "items": [ob["citation"] for ob in items.values()]}


def _policy_head(pack: Pack, version: PackVersion | None, layers: list[dict[str, Any]]) -> dict[str, Any]:
    """The verdict's `policy` object: the pack, the version applied, its dates of force and every layer."""
    head: dict[str, Any] = {"id": pack.id, "title": pack.title, "in_force": version is not None,
                            "version": version.version if version else None, "layers": layers}
    if version is not None:
        span = pack.cache.get(("span", version.version))
        if span is None:
            span = pack.cache[("span", version.version)] = version.span
        head["in_force_from"], head["in_force_until"] = span
    return head


def _run(pack: Pack, version: PackVersion, facts: Facts, lang: str, explain: bool) -> Run:
    """Test every rule of the matter's type."""
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
    return run


def _after_rules(run: Run) -> None:
    """The local rules that follow from an attachment some duty needs (e.g. 18.6's internal decision), any layer's."""
    attachments = {a for ob in run.obligations for a in ob["attachments"]}
    matter_type = run.facts.type
    covered = run.covered  # a duty that follows from another never makes the matter named by a local item
    for rule in run.version.after_rules:
        if rule.after_attachment in attachments and ("*" in rule.types or matter_type in rule.types) and run.test(rule):
            run.apply(rule)
    run.covered = covered


def _apply_overlay(run: Run, overlay: Pack, version: PackVersion) -> bool:
    """Apply an overlay's rules to the local run; True when the overlay added a duty of its own (it decided).

    An overlay rule whose duty a local duty already meets (`yields_to`) adds only its citation to that duty.
    """
    rules = version.by_type[run.facts.type]
    if not rules:
        return False
    orun = Run(overlay, version, run.facts, run.lang, run.explain, local=run.pack)
    for rule in rules:
        if not orun.test(rule):
            continue
        met = _met_by(rule, run.obligations) if rule.obligation is not None else None
        if met is None:
            orun.apply(rule)
            continue
        met.setdefault("also_cited", []).append({**rule.citation.as_dict(), "layer": overlay.layer, "pack": overlay.id,
                                                 "rule": rule.id})
    run.obligations.extend(orun.obligations)
    run.notes.extend(orun.notes)
    run.trace.extend(orun.trace)
    return bool(orun.obligations)


def _met_by(rule: Rule, obligations: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The local obligation that already meets an overlay rule's duty, if any."""
    for kind, authority in rule.yields_to:
        for ob in obligations:
            if ob["kind"] == kind and (authority is None or ob["authority"] == authority):
                return ob
    return None


def _unknown_attribute(name: str, lang: str) -> dict[str, Any]:
    return {"code": "unknown_attribute",
            "message": f"属性 attributes.{name} 不适用于该事项类型，已忽略" if lang == "zh"
            else f"attributes.{name} does not apply to this matter type and was ignored"}


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
