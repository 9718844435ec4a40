"""classify: every obligation a policy pack puts on one matter, each citing its article and item."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from soegov.policy.catalogue import AUTHORITIES, KINDS, MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts, money_text
from soegov.policy.errors import InputError, MissingFact
from soegov.policy.inputs import (
    parse_amount,
    parse_attributes,
    parse_date,
    parse_level,
    parse_ownership,
    parse_type,
    require_mapping,
    today,
)
from soegov.policy.loader import get_registry
from soegov.policy.model import Clock, Pack, PackVersion, Rule

# Obligations are listed outward-facing duties first, prohibitions last.
_ORDER = {kind: n for n, kind in enumerate(("approval", "prior_filing", "post_filing", "report", "collective_decision",
                                            "leader_approval", "prohibited"))}


def _str_amount(value: str) -> Decimal:
    """Fast path for the common '4000000' / '3999999.99' strings; anything unusual goes the full way."""
    if value.isdigit() and len(value) < 16:
        return Decimal(value)
    head, dot, tail = value.partition(".")
    if dot and head.isdigit() and tail.isdigit() and len(tail) <= 2 and len(head) < 16:
        return Decimal(value)
    return parse_amount(value)


_FAST_AMOUNTS: dict[type, Any] = {str: _str_amount}


def parse_matter(doc: Any, *, date_override: str | None = None) -> tuple[date, Facts, list[str], dict[str, Any]]:
    """Validate a classify input; returns its date, facts, unknown attribute names and an echo."""
    if type(doc) is not dict:  # the ABC check below is slow; plain dicts skip it
        doc = require_mapping(doc)
    raw_date = date_override if date_override is not None else doc.get("date")
    day = today() if raw_date is None else parse_date(raw_date, "date")
    if "type" not in doc:
        raise InputError("missing_field", "缺少事项类型 type", "type", "missing field: type")
    matter_type = doc["type"]
    mt = MATTER_TYPES.get(matter_type) if type(matter_type) is str else None
    if mt is None:
        parse_type(matter_type)  # raises the named error
        raise AssertionError("unreachable")
    enterprise = doc.get("enterprise")
    if enterprise is None:
        raise InputError("missing_field", "缺少企业信息 enterprise（层级 level 与所有制 ownership）", "enterprise",
                         "missing field: enterprise (level and ownership)")
    if type(enterprise) is not dict:
        enterprise = require_mapping(enterprise, "enterprise")
    try:
        level = enterprise["level"]
        ownership = enterprise["ownership"]
    except KeyError as exc:
        key = exc.args[0]
        raise InputError("missing_field", f"缺少 enterprise.{key}", f"enterprise.{key}",
                         f"missing field: enterprise.{key}") from None
    if type(level) is not int or not 1 <= level <= 20:
        level = parse_level(level)
    if ownership not in OWNERSHIPS:
        parse_ownership(ownership)
    raw_amount = doc.get("amount")
    amount = None if raw_amount is None else _FAST_AMOUNTS.get(type(raw_amount), parse_amount)(raw_amount)
    raw_attrs = doc.get("attributes")
    if raw_attrs or "new_level" in mt.attributes:
        attributes, unknown = parse_attributes(matter_type, raw_attrs, level)
    else:
        attributes, unknown = {}, []
    facts = Facts(matter_type, level, ownership, amount, attributes)
    echo = {"type": matter_type, "label": mt.label, "label_en": mt.label_en,
            "amount": str(amount) if amount is not None else None,
            "date": raw_date if isinstance(raw_date, str) else day.isoformat(),
            "enterprise": {"level": level, "ownership": ownership}}
    return day, facts, unknown, echo


def _missing_error(exc: MissingFact, rule: Rule, lang_pack: Pack) -> InputError:
    cite_zh, cite_en = rule.citation.short("zh"), rule.citation.short("en")
    if exc.path == "amount":
        return InputError("missing_field", f"缺少金额 amount：{cite_zh} 依金额确定义务", "amount",
                          f"missing field: amount ({cite_en} depends on it)")
    name = exc.path.split(".", 1)[1]
    spec = MATTER_TYPES[rule.types[0]].attributes.get(name) if rule.types[0] != "*" else None
    label = f"（{spec.label}）" if spec else ""
    choices = f"，可选：{' / '.join(spec.choices)}" if spec and spec.choices else (
        "，取 true 或 false" if spec and spec.kind == "bool" else "")
    choices_en = f"; one of {', '.join(spec.choices)}" if spec and spec.choices else (
        "; true or false" if spec and spec.kind == "bool" else "")
    return InputError("missing_attribute", f"缺少属性 {exc.path}{label}：{cite_zh} 依此确定义务{choices}", exc.path,
                      f"missing attribute {exc.path}: {cite_en} depends on it{choices_en}")


class _Run:
    """One classification: the pack version, the facts and what has been found so far."""

    def __init__(self, pack: Pack, version: PackVersion, facts: Facts, lang: str, explain: bool):
        self.pack = pack
        self.version = version
        self.facts = facts
        self.lang = lang
        self.explain = explain
        self.obligations: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.trace: list[dict[str, Any]] = []
        self.covered = False
        self.duties: dict[tuple[Any, ...], int] = {}  # duty → index in obligations

    def test(self, rule: Rule) -> bool:
        """Whether the rule's condition holds; missing facts become a named InputError."""
        condition = rule.condition
        try:
            ok = condition is None or condition.holds(self.facts)
        except MissingFact as exc:
            raise _missing_error(exc, rule, self.pack) from None
        if self.explain:
            reasons = [] if rule.condition is None else [
                {"held": held, "text": text} for held, text in rule.condition.explain(self.facts, self.lang)]
            self.trace.append({"rule": rule.id, "citation": rule.citation.as_dict(), "matched": ok,
                               "reasons": reasons,
                               "result": self._result_label(rule)})
        return ok

    def _result_label(self, rule: Rule) -> str:
        if rule.obligation is not None:
            ob = rule.obligation
            kind = KINDS[ob.kind]
            auth = AUTHORITIES[ob.authority]
            return f"{auth.label}{kind.label}" if self.lang == "zh" else f"{kind.label_en} by {auth.label_en}"
        assert rule.note is not None
        return f"提示 {rule.note.code}" if self.lang == "zh" else f"note {rule.note.code}"

    def apply(self, rule: Rule) -> None:
        """Add what a matched rule yields (each duty once), then its `also` entries."""
        if rule.obligation is not None:
            duty = rule.duty
            index = self.duties.get(duty)  # type: ignore[arg-type]
            if index is None:
                self.duties[duty] = len(self.obligations)  # type: ignore[index]
                self.obligations.append(self.obligation(rule))
            elif self.obligations[index].get("finding") and not rule.finding:
                # A covering rule outranks a mere finding of the same duty.
                self.obligations[index] = self.obligation(rule)
            if not rule.finding:
                self.covered = True
        elif rule.note is not None:
            self.notes.append({"code": rule.note.code, "message": rule.note.zh if self.lang == "zh" else rule.note.en,
                               "citation": rule.citation.as_dict(), "rule": rule.id})
        for also in rule.also:
            if self.test(also):
                self.apply(also)

    def why(self, rule: Rule) -> str:
        """A sentence a non-lawyer understands: what the rule says and which facts made it apply."""
        key = ("why", id(rule), self.facts.type, self.lang)
        head = self.pack.cache.get(key)
        if head is None:
            summary = rule.why.get(self.lang) or self._default_summary(rule)
            ref = rule.citation.short(self.lang)
            head = self.pack.cache[key] = f"{summary}（{ref}）" if self.lang == "zh" else f"{summary} ({ref})"
        condition = rule.condition
        if condition is None:
            return head
        # Without an amount the sentence depends only on level, ownership and the attributes the
        # rule reads, which repeat across matters: remember it.
        memo_key: tuple[Any, ...] | None = None
        if not condition.amount_bounds():
            f = self.facts
            memo_key = ("why-facts", id(rule), self.lang, f.level, f.ownership,
                        tuple(f.attributes.get(n) for n in sorted(condition.attribute_names())))
            found = self.pack.cache.get(memo_key)
            if found is not None:
                return str(found)
        facts = [text for held, text in condition.explain(self.facts, self.lang) if held]
        text = head + ("：" + "；".join(facts) if self.lang == "zh" else ": " + "; ".join(facts)) if facts else head
        if memo_key is not None:
            self.pack.cache[memo_key] = text
        return text

    def _default_summary(self, rule: Rule) -> str:
        ob = rule.obligation
        assert ob is not None
        label = MATTER_TYPES[self.facts.type]
        kind, auth = KINDS[ob.kind], AUTHORITIES[ob.authority]
        if self.lang == "zh":
            via = f"经{AUTHORITIES[ob.via].label}审核后" if ob.via else ""
            text = {
                "approval": f"{label.label}须{via}报{auth.label}批准，批准前不得实施",
                "prior_filing": f"{label.label}须在实施前报{auth.label}核准备案",
                "post_filing": f"{label.label}须在决议或事发后报{auth.label}备案",
                "report": f"{label.label}须书面报告{auth.label}",
                "collective_decision": f"{label.label}须经企业决策机构集体研究决定",
                "leader_approval": f"{label.label}属企业领导人员权限内审批事项",
                "prohibited": f"{label.label}属严控事项，除上级另有规定或{auth.label}批准外不得实施",
            }[ob.kind]
            return text
        via = f" after review by {AUTHORITIES[ob.via].label_en}" if ob.via else ""
        return {
            "approval": f"{label.label_en} needs approval by {auth.label_en}{via} before it is carried out",
            "prior_filing": f"{label.label_en} is filed with {auth.label_en} before it is carried out",
            "post_filing": f"{label.label_en} is filed with {auth.label_en} after the decision or event",
            "report": f"{label.label_en} is reported in writing to {auth.label_en}",
            "collective_decision": f"{label.label_en} is decided collectively by the enterprise's decision bodies",
            "leader_approval": f"{label.label_en} is within an enterprise leader's own authority",
            "prohibited": f"{label.label_en} is prohibited unless {auth.label_en} approves",
        }.get(ob.kind, kind.label_en)

    def clock(self, name: str | None) -> dict[str, Any] | None:
        """The deadline object of a named clock, choosing the variant the facts select."""
        if name is None:
            return None
        clock: Clock = self.pack.clocks[name]
        for variant in clock.variants:
            try:
                if variant.condition is not None and not variant.condition.holds(self.facts):
                    continue
            except MissingFact:
                continue
            out: dict[str, Any] = {}
            if variant.working_days is not None:
                out["working_days"] = variant.working_days
            elif variant.hours is not None:
                out["hours"] = variant.hours
            else:
                out["immediate"] = True
            out["counted_from"] = variant.counted_from.get(self.lang) or variant.counted_from.get("zh", "")
            out["citation"] = clock.citation.as_dict()
            return out
        return None

    def obligation(self, rule: Rule) -> dict[str, Any]:
        """The contract's obligation object for a matched rule."""
        key = ("obligation", id(rule), self.lang)
        static = self.pack.cache.get(key)
        if static is None:
            static = self.pack.cache[key] = self._static_obligation(rule)
        # The nested citation dict is shared between results: treat results as read-only.
        out = dict(static)
        out["attachments"] = list(static["attachments"])
        ob = rule.obligation
        assert ob is not None
        if ob.clock is not None:
            out["deadline"] = self.clock(ob.clock)
        out["why"] = self.why(rule)
        if ob.review_clock:
            out["review_deadline"] = self.clock(ob.review_clock)
        return out

    def _static_obligation(self, rule: Rule) -> dict[str, Any]:
        """The parts of an obligation that depend only on the rule and the language."""
        ob = rule.obligation
        assert ob is not None
        zh = self.lang == "zh"
        out: dict[str, Any] = {
            "kind": ob.kind,
            "authority": ob.authority,
            "via": ob.via,
            "citation": rule.citation.as_dict(),
            "deadline": None,
            "attachments": list(ob.attachments),
            "why": "",
            "rule": rule.id,
            "kind_label": KINDS[ob.kind].label if zh else KINDS[ob.kind].label_en,
            "authority_label": AUTHORITIES[ob.authority].label if zh else AUTHORITIES[ob.authority].label_en,
        }
        for key, value in ob.extra:
            out[key] = value
        if ob.kind == "collective_decision" and "bodies" not in out and self.pack.decision_routes:
            route = self.pack.decision_routes.get(str(out.get("category")), self.pack.decision_routes.get("default"))
            if route:
                out["bodies"] = list(route)
        if rule.finding:
            out["finding"] = True
        return out


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
    zh = lang == "zh"
    policy_out: dict[str, Any] = {"id": pack.id, "title": pack.title, "in_force": version is not None,
                                  "version": version.version if version else None}
    result: dict[str, Any] = {"policy": policy_out, "matter": echo, "obligations": [], "uncovered": True,
                              "notes": []}
    for name in unknown:
        result["notes"].append({"code": "unknown_attribute",
                                "message": f"属性 attributes.{name} 不适用于该事项类型，已忽略" if zh
                                else f"attributes.{name} does not apply to this matter type and was ignored"})
    if version is None:
        spans = "；".join(f"{v.version}: {v.in_force_from} 至 {v.in_force_until or '今'}" for v in pack.versions)
        spans_en = "; ".join(f"{v.version}: {v.in_force_from} to {v.in_force_until or 'open'}" for v in pack.versions)
        result["notes"].append({"code": "policy_not_in_force",
                                "message": f"{pack.title}在 {day} 不在施行期内（{spans}），未套用任何规则" if zh
                                else f"{pack.id} is not in force on {day} ({spans_en}); no rule was applied"})
        return result
    span = pack.cache.get(("span", version.version))
    if span is None:
        span = pack.cache[("span", version.version)] = version.span
    policy_out["in_force_from"], policy_out["in_force_until"] = span
    facts.apply_defaults(_defaults(pack, facts.type))
    if facts.ownership not in pack.scope_ownership:
        cite = pack.scope_citation
        result["notes"].append({
            "code": "out_of_scope",
            "message": f"{pack.title}不适用于{OWNERSHIPS[facts.ownership].label}企业" if zh
            else f"{pack.id} does not apply to {OWNERSHIPS[facts.ownership].label_en} enterprises",
            **({"citation": cite.as_dict()} if cite else {}),
        })
        return result
    run = _Run(pack, version, facts, lang, explain)
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
            raise _missing_error(exc, rule, pack) from None
    if version.after_rules and run.obligations:
        attachments = {a for ob in run.obligations for a in ob["attachments"]}
        for rule in version.after_rules:
            if rule.after_attachment in attachments and ("*" in rule.types or facts.type in rule.types) and run.test(rule):
                run.apply(rule)
    if len(run.obligations) > 1:
        run.obligations.sort(key=lambda ob: _ORDER[ob["kind"]])
    result["obligations"] = run.obligations
    result["uncovered"] = not run.covered
    if run.obligations and pack.kind_notes:
        result["notes"].extend(_kind_notes(pack, frozenset((duty[0], duty[1]) for duty in run.duties), lang))
    result["notes"].extend(run.notes)
    for name in sorted(facts.used_defaults) if facts.used_defaults else ():
        value = facts.defaults[name]
        spec = MATTER_TYPES[facts.type].attributes.get(name)
        if zh:
            shown = {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)
            label = f"“{spec.label}”（attributes.{name}）" if spec else f"attributes.{name}"
            message = f"未填写{label}，按“{shown}”处理；如不符请补充"
        else:
            shown = {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)
            label = f"“{spec.label_en}” (attributes.{name})" if spec else f"attributes.{name}"
            message = f"{label} not given; read as “{shown}”. Add it if that is wrong."
        result["notes"].append({"code": "assumed_default", "attribute": name, "message": message})
    if not run.covered:
        result["notes"].extend(_uncovered_notes(pack, lang))
    if explain:
        result["explain"] = {"rules": run.trace, "nearest_threshold": _nearest_threshold(version, facts, lang)}
    return result


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
