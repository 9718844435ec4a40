"""meeting_check: one decision meeting against the collective-decision rules of every layer that binds it.

The packs switch each check on, cite it and say whether it voids the item; this module holds only the
mechanisms (counting, ordering, membership), so another jurisdiction's meeting rules are data too. The
rules of the local pack and of the overlays above it are gathered by meeting_layers.py: the strictest
count decides, and every count, violation and note says which layer it comes from. Reading the input
document is meeting_input.py's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.policy.catalogue import ATTENDEE_ROLES, CHAIR_ROLES, MEETING_CHECKS
from soegov.policy.layers import LOCAL, layer_head, local_pack, overlays_of
from soegov.policy.meeting_input import ItemFacts, MeetingFacts, parse_meeting
from soegov.policy.meeting_layers import (
    BindingRules,
    Layered,
    binding_rules,
    body_label,
    meeting_bodies,
)
from soegov.policy.meeting_notes import exactly_half_note, not_binding_notes, tie_note, voided_note
from soegov.policy.model import MajorityRule


class _Check:
    """Collects violations for one meeting, for the checks some layer switches on."""

    def __init__(self, rules: BindingRules, lang: str):
        self.rules = rules
        self.lang = lang
        self.violations: list[dict[str, Any]] = []

    def on(self, code: str) -> list[Layered]:
        """The layers switching the check on."""
        return self.rules.check(code)

    def add(self, code: str, item: str | None = None, member: str | None = None,
            title: str | None = None) -> dict[str, Any] | None:
        """Record a violation if some layer has the check; it cites every such layer (the local one first)."""
        layers = self.rules.check(code)
        if not layers:
            return None
        label = MEETING_CHECKS[code]
        text = label.label if self.lang == "zh" else label.label_en
        first = layers[0]
        violation = {"code": code, "item": item, "member": member, "citation": first.rule.citation.as_dict(),
                     "message": text.format(item=title or item or "", member=member or ""),
                     "voids": any(entry.rule.voids for entry in layers), "layer": first.layer,
                     "citations": [{**entry.rule.citation.as_dict(), "layer": entry.layer, "pack": entry.pack}
                                   for entry in layers]}
        self.violations.append(violation)
        return violation


def meeting_check(doc: Mapping[str, Any], *, policy: str, lang: str = "zh") -> dict[str, Any]:
    """Check one decision meeting (the contract's meeting-check) and count every item's vote.

    Raises InputError for invalid input (unknown body, vote or category; a principal who is not
    a member; a pack whose layers have no meeting rules), naming the field.
    """
    pack = local_pack(policy)
    facts = parse_meeting(doc, meeting_bodies(pack))
    rules = binding_rules(pack, facts.kind, facts.day)
    layers = [layer_head(p, facts.day) for p in (pack, *overlays_of(pack))]
    check = _Check(rules, lang)
    quorum, meeting_voids, notes = _meeting_level(facts, rules, check, lang)
    notes[:0] = not_binding_notes(layers, rules, facts.day, lang)
    items_out = [_check_item(item, facts, rules, check, meeting_voids, lang) for item in facts.items]
    if facts.unrecorded:
        notes.append({"code": "not_recorded", "item": None,
                      "message": ("以下事实未提供，未作检查：" if lang == "zh" else "not given, so not checked: ")
                      + ", ".join(facts.unrecorded)})
    head = layers[0]
    return {
        "policy": {"id": pack.id, "title": pack.title, "in_force": head["in_force"], "version": head["version"],
                   "layers": layers},
        "body": {"kind": facts.kind, "label": body_label(facts.kind, lang)},
        "quorum": quorum,
        "items": items_out,
        "violations": check.violations,
        "notes": notes,
        "decided_by": _decided_by([quorum, *items_out]),
    }


def _decided_by(parts: list[dict[str, Any]]) -> str:
    """The meeting's deciding layer: an overlay when any count it set decided, else the local one."""
    overlay = next((p["decided_by"] for p in parts if p.get("decided_by") not in (None, LOCAL)), None)
    return overlay or LOCAL


def _meeting_level(facts: MeetingFacts, rules: BindingRules, check: _Check,
                   lang: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The quorum, the violations that void every item (no quorum, not a meeting) and the meeting's notes."""
    zh = lang == "zh"
    members, present = facts.members, facts.present
    voids: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    quorum: dict[str, Any] = {"members": len(members), "present": len(present), "required": 0, "met": True,
                              "rule": None, "citation": None, "layers": [], "decided_by": None}
    if rules.quorum:
        best, required, shown = rules.strictest(rules.quorum, len(members))
        met = len(present) >= required
        quorum.update(required=required, met=met, rule=best.rule.rule, citation=best.rule.citation.as_dict(),
                      layers=shown, decided_by=best.layer)
        if not met and (v := check.add("no_quorum")):
            voids.append(v)
        if 2 * len(present) == len(members):
            notes.append(exactly_half_note(None, len(present), len(members), met, best, lang, quorum=True))
    else:
        notes.append({"code": "no_quorum_rule", "item": None,
                      "message": "适用的各层规则均未规定该决策机构的法定人数，未作检查" if zh
                      else "no layer of the rules sets a quorum for this body: not checked"})
    if facts.form != "meeting" and (v := check.add("not_a_meeting")):
        voids.append(v)
    if facts.notice_sent is False:
        check.add("no_notice")
    _chair_and_attendees(facts, check)
    member_set = set(members)
    for name in facts.attendees:
        if name not in member_set and name not in facts.nonvoting:
            notes.append({"code": "attendee_not_member", "item": None,
                          "message": f"{name} 不是决策机构成员，按列席处理" if zh else f"{name} is not a member; counted as non-voting"})
    return quorum, voids, notes


def _chair_and_attendees(facts: MeetingFacts, check: _Check) -> None:
    """Who convened and chaired, and who must attend without a vote (xundian art. 9), where a layer says so."""
    for entry in check.on("wrong_chair"):
        allowed = (entry.rule.param("chairs") or {}).get(facts.kind)
        if allowed is None:
            continue
        if facts.chair_role is None:
            facts.unrecorded.append("chair_role")
        elif facts.chair_role not in allowed:
            names = "或".join(CHAIR_ROLES[r].label for r in allowed)
            check.add("wrong_chair", member=f"应由{names}召集和主持" if check.lang == "zh" else " or ".join(allowed))
        break
    for entry in check.on("required_attendee_absent"):
        needed = (entry.rule.param("attendees") or {}).get(facts.kind)
        if needed is None:
            continue
        if facts.nonvoting_roles is None:
            facts.unrecorded.append("nonvoting_roles")
        else:
            for role in needed:
                if role not in facts.nonvoting_roles:
                    label = ATTENDEE_ROLES[role]
                    check.add("required_attendee_absent", member=label.label if check.lang == "zh" else label.label_en)
        break


def principal_spoke_early(principal: str | None, item: ItemFacts, present: list[str]) -> bool:
    """Whether the principal stated a view before every other member present (and not recused) had spoken.

    末位表态 (xundian art. 11(二)3): the principal speaks only after all the others; a view stated first and
    repeated last is still a view stated before the others had spoken.
    """
    if principal is None or principal in item.recused or principal not in item.statements:
        return False
    spoken_before = set(item.statements[:item.statements.index(principal)])
    return any(m != principal and m not in item.recused and m not in spoken_before for m in present)


def _item_violations(item: ItemFacts, facts: MeetingFacts, check: _Check) -> None:
    """The procedural checks of one item (agenda, preparation, materials, ballot, dispute, order, bundling)."""
    if item.on_agenda is False:
        check.add("ad_hoc_item", item.id, title=item.title)
    if item.prepared is False:
        check.add("unprepared_item", item.id, title=item.title)
    if check.on("not_communicated"):
        if item.communicated is None:
            facts.unrecorded.append(f"{item.path}.communicated")
        elif item.communicated is False:
            check.add("not_communicated", item.id, title=item.title)
    if check.on("oversight_not_informed"):
        if item.oversight_informed is None:
            facts.unrecorded.append(f"{item.path}.oversight_informed")
        elif item.oversight_informed is False:
            check.add("oversight_not_informed", item.id, title=item.title)
    late = check.on("materials_late")
    if item.in_advance is False and late and item.category not in (late[0].rule.param("exempt_categories") or ()):
        check.add("materials_late", item.id, title=item.title)
    ballot = check.on("personnel_not_ballot")
    if (ballot and item.category in (ballot[0].rule.param("categories") or ())
            and item.method != ballot[0].rule.param("method", "ballot")):
        check.add("personnel_not_ballot", item.id, title=item.title)
    if item.disputed and not item.emergency:
        check.add("disputed_not_postponed", item.id, title=item.title)
    if principal_spoke_early(facts.principal, item, facts.present):
        check.add("principal_not_last", item.id, member=facts.principal, title=item.title)
    if item.voted_with:
        check.add("bundled_vote", item.id, title=item.title)
    unrelated = [m for m in facts.present if m not in item.recused]
    if item.recused & set(facts.members) and len(unrelated) < 3:
        check.add("related_directors_below_three", item.id, title=item.title)


def _item_quorum(item: ItemFacts, facts: MeetingFacts, rules: BindingRules, check: _Check,
                 lang: str) -> dict[str, Any] | None:
    """The attendance an item of its category needs (e.g. two thirds for appointments), where a layer sets one."""
    entries = rules.item_quorum.get(item.category)
    if not entries:
        return None
    best, required, shown = rules.strictest(entries, len(facts.members))
    met = len(facts.present) >= required
    if not met:
        said = (f"到会{len(facts.present)}人，{len(facts.members)}名成员中须{required}人" if lang == "zh"
                else f"{len(facts.present)} present, {required} of {len(facts.members)} needed")
        check.add("no_item_quorum", item.id, member=said, title=item.title)
    return {"members": len(facts.members), "present": len(facts.present), "required": required, "met": met,
            "rule": best.rule.rule, "citation": best.rule.citation.as_dict(), "layers": shown, "decided_by": best.layer}


def _count(item: ItemFacts, facts: MeetingFacts, check: _Check, lang: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """The votes that count, and notes on those that do not; violations for votes that may not be cast."""
    notes: list[dict[str, Any]] = []
    present_set, member_set = set(facts.present), set(facts.members)
    counts = {"for": 0, "against": 0, "abstain": 0}
    for member, vote in item.votes.items():
        if member not in member_set:
            check.add("vote_by_non_member", item.id, member=member, title=item.title)
        elif member in item.recused:
            check.add("recused_member_voted", item.id, member=member, title=item.title)
        elif member not in present_set:
            notes.append({"code": "absent_vote_not_counted", "member": member,
                          "message": f"{member} 未出席，其意见作为书面意见记录，不计入表决" if lang == "zh"
                          else f"{member} was absent: the opinion is recorded in writing, not counted as a vote"})
        else:
            counts[vote] += 1
    for member in facts.present:
        if member not in item.recused and member not in item.votes:
            check.add("no_clear_stance", item.id, member=member, title=item.title)
    return counts, notes


def _check_item(item: ItemFacts, facts: MeetingFacts, rules: BindingRules, check: _Check,
                meeting_voids: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Check and count one agenda item under the strictest layer's rule."""
    first = len(check.violations)
    _item_violations(item, facts, check)
    item_quorum = _item_quorum(item, facts, rules, check, lang)
    counts, notes = _count(item, facts, check, lang)
    base = len(facts.members) - len(item.recused & set(facts.members))
    out: dict[str, Any] = {"id": item.id, "title": item.title, "category": item.category, "passed": False, **counts,
                           "base": base, "required": 0, "rule": None, "citation": None, "layers": [],
                           "decided_by": None}
    item_violations = check.violations[first:]
    voids = [v for v in item_violations if v["voids"]] + meeting_voids
    if rules.passing:
        best, required, shown = rules.strictest(rules.passing, base)
        rule: MajorityRule = best.rule
        tie_rule = next((e for e in rules.passing if e.rule.no_tie), None)
        tie = tie_rule is not None and counts["for"] > 0 and counts["for"] == counts["against"]
        enough = counts["for"] >= required and base > 0 and not tie
        out.update(passed=enough and not voids, required=required, rule=rule.rule, citation=rule.citation.as_dict(),
                   layers=shown, decided_by=(tie_rule.layer if tie and tie_rule and counts["for"] >= required
                                             else best.layer))
        if base > 0 and 2 * counts["for"] == base:
            notes.append(exactly_half_note(item.id, counts["for"], base, counts["for"] >= required, best, lang))
        if tie and tie_rule is not None:
            notes.append(tie_note(counts["for"], tie_rule, lang))
        if voids and enough:
            notes.append(voided_note(voids, lang))
    if item_quorum is not None:
        out["item_quorum"] = item_quorum
    out["violations"] = [*meeting_voids, *item_violations]
    out["notes"] = notes
    return out
