"""One classification run: which rules hold for the facts, and the contract's obligation objects they yield."""

from __future__ import annotations

from soegov.policy.catalogue import AUTHORITIES, KINDS, MATTER_TYPES, ROLES, Label
from soegov.policy.conditions import Facts
from soegov.policy.errors import MissingFact, PackError
from soegov.policy.matter_input import missing_fact_error
from soegov.policy.model import Pack, PackVersion
from soegov.policy.rules import ROLE_PREFIX, Clock, Rule

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any


def _authority(code: str) -> Label:
    """An authority's labels; an overlay's role (role:investor) reads as the role."""
    return ROLES[code[len(ROLE_PREFIX):]] if code.startswith(ROLE_PREFIX) else AUTHORITIES[code]


def _authority_label(code: str, zh: bool) -> str:
    label = _authority(code)
    return label.label if zh else label.label_en


class Run:
    """One classification: the pack version, the facts and what has been found so far."""

    def __init__(self, pack: Pack, version: PackVersion, facts: Facts, lang: str, explain: bool,
                 local: Pack | None = None):
        self.pack = pack
        self.version = version
        self.facts = facts
        self.lang = lang
        self.explain = explain
        # An overlay's run reads the local pack's clocks and maps its roles to the local authorities.
        self.local = local if local is not None else pack
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
            raise missing_fact_error(exc, rule) from None
        if self.explain:
            reasons = [] if rule.condition is None else [
                {"held": held, "text": text} for held, text in rule.condition.explain(self.facts, self.lang)]
            self.trace.append({"rule": rule.id, "layer": self.pack.layer, "citation": rule.citation.as_dict(), "matched": ok,
                               "reasons": reasons,
                               "result": self._result_label(rule)})
        return ok

    def _result_label(self, rule: Rule) -> str:
        if rule.obligation is not None:
            ob = rule.obligation
            kind = KINDS[ob.kind]
            auth = _authority(ob.authority)
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
        kind, auth = KINDS[ob.kind], _authority(ob.authority)
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
                "recommendation": f"{label.label}由{auth.label}提出建议，由企业按章程任免",
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
            "recommendation": f"{label.label_en}: {auth.label_en} recommends, the company's own organs decide",
        }.get(ob.kind, kind.label_en)

    def clock(self, name: str | None) -> dict[str, Any] | None:
        """The deadline object of a named clock, choosing the variant the facts select."""
        if name is None:
            return None
        clock: Clock | None = self.pack.clocks.get(name) or self.local.clocks.get(name)
        if clock is None:
            return None
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
        if ob.role is not None:
            self._resolve_role(out, ob.role)
        return out

    def _resolve_role(self, out: dict[str, Any], role: str) -> None:
        """An overlay's role (the investor body) as the local pack's authority; PackError if it maps none."""
        authority = self.local.roles.get(role)
        if authority is None:
            raise PackError(self.local.path, f"{self.local.id} sits under {self.pack.id} but maps no authority to the "
                            f"role {role!r} (pack.yaml roles)")
        label = AUTHORITIES[authority]
        out["authority"], out["role"] = authority, role
        out["authority_label"] = label.label if self.lang == "zh" else label.label_en

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
            "layer": self.pack.layer,
            "pack": self.pack.id,
            "kind_label": KINDS[ob.kind].label if zh else KINDS[ob.kind].label_en,
            "authority_label": _authority_label(ob.authority, zh),
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
