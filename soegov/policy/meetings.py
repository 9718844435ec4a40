"""meeting_check: one decision meeting against a pack's collective-decision rules.

The pack switches each check on, cites it and says whether it voids the item; this module
holds only the mechanisms (counting, ordering, membership), so another jurisdiction's meeting
rules are data too. Reading the input document is meeting_input.py's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.core.errors import InputError
from soegov.policy.catalogue import BODIES, MEETING_CHECKS
from soegov.policy.loader import get_registry
from soegov.policy.meeting_input import ItemFacts, MeetingFacts, parse_meeting
from soegov.policy.model import MajorityRule, MeetingRules, Pack


def required_count(rule: MajorityRule, base: int) -> int:
    """Smallest count that satisfies the rule on this base (at least half / more than half)."""
    if rule.rule == "more_than_half":
        return base // 2 + 1
    return (base + 1) // 2


class _Check:
    """Collects violations for one meeting, for the checks the pack switches on."""

    def __init__(self, rules: MeetingRules, lang: str):
        self.rules = rules
        self.lang = lang
        self.violations: list[dict[str, Any]] = []

    def add(self, code: str, item: str | None = None, member: str | None = None,
            title: str | None = None) -> dict[str, Any] | None:
        """Record a violation if the pack has the check; returns it."""
        check = self.rules.checks.get(code)
        if check is None:
            return None
        label = MEETING_CHECKS[code]
        text = label.label if self.lang == "zh" else label.label_en
        violation = {"code": code, "item": item, "member": member, "citation": check.citation.as_dict(),
                     "message": text.format(item=title or item or "", member=member or ""), "voids": check.voids}
        self.violations.append(violation)
        return violation


def meeting_check(doc: Mapping[str, Any], *, policy: str, lang: str = "zh") -> dict[str, Any]:
    """Check one decision meeting (the contract's meeting-check) and count every item's vote.

    Raises InputError for invalid input (unknown body, vote or category; a principal who is not
    a member; a pack without meeting rules), naming the field.
    """
    pack: Pack = get_registry().get(policy)
    if pack.meeting is None:
        raise InputError("no_meeting_rules", f"政策包 {pack.id} 没有会议决策规则，请改用含会议规则的政策包", "policy",
                         f"policy pack {pack.id} has no meeting rules")
    rules = pack.meeting
    facts = parse_meeting(doc, rules.bodies)
    version = pack.version_on(facts.day)
    check = _Check(rules, lang)
    quorum, meeting_voids, notes = _meeting_level(facts, rules, check, lang)
    items_out = [_check_item(item, facts, rules, check, meeting_voids, lang) for item in facts.items]
    if facts.unrecorded:
        notes.append({"code": "not_recorded", "item": None,
                      "message": ("以下事实未提供，未作检查：" if lang == "zh" else "not given, so not checked: ")
                      + ", ".join(facts.unrecorded)})
    label = BODIES[facts.kind]
    return {
        "policy": {"id": pack.id, "title": pack.title, "in_force": version is not None,
                   "version": version.version if version else None},
        "body": {"kind": facts.kind, "label": label.label if lang == "zh" else label.label_en},
        "quorum": quorum,
        "items": items_out,
        "violations": check.violations,
        "notes": notes,
    }


def _meeting_level(facts: MeetingFacts, rules: MeetingRules, check: _Check,
                   lang: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The quorum, the violations that void every item (no quorum, not a meeting) and the meeting's notes."""
    zh = lang == "zh"
    members, present = facts.members, facts.present
    rule = rules.quorum.get(facts.kind, rules.quorum["default"])
    required = required_count(rule, len(members))
    met = len(present) >= required
    voids: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    if not met and (v := check.add("no_quorum")):
        voids.append(v)
    if 2 * len(present) == len(members):
        notes.append({"code": "exactly_half", "item": None, "citation": rule.citation.as_dict(),
                      "message": (f"出席人数恰为成员半数（{len(present)}/{len(members)}），"
                                  + ("按“半数以上”含本数达到法定人数" if met else "未过半数，不足法定人数")) if zh
                      else f"exactly half the members present ({len(present)}/{len(members)}); quorum "
                      + ("met (at least half)" if met else "not met (more than half needed)")})
    if facts.form != "meeting" and (v := check.add("not_a_meeting")):
        voids.append(v)
    if facts.notice_sent is False:
        check.add("no_notice")
    member_set = set(members)
    for name in facts.attendees:
        if name not in member_set and name not in facts.nonvoting:
            notes.append({"code": "attendee_not_member", "item": None,
                          "message": f"{name} 不是决策机构成员，按列席处理" if zh else f"{name} is not a member; counted as non-voting"})
    quorum = {"members": len(members), "present": len(present), "required": required, "met": met,
              "rule": rule.rule, "citation": rule.citation.as_dict()}
    return quorum, voids, notes


def _item_violations(item: ItemFacts, facts: MeetingFacts, rules: MeetingRules, check: _Check) -> None:
    """The procedural checks of one item (agenda, preparation, materials, ballot, dispute, speaking order)."""
    if item.on_agenda is False:
        check.add("ad_hoc_item", item.id, title=item.title)
    if item.prepared is False:
        check.add("unprepared_item", item.id, title=item.title)
    late = rules.checks.get("materials_late")
    if item.in_advance is False and late is not None and item.category not in (late.param("exempt_categories") or ()):
        check.add("materials_late", item.id, title=item.title)
    ballot = rules.checks.get("personnel_not_ballot")
    if (ballot is not None and item.category in (ballot.param("categories") or ())
            and item.method != ballot.param("method", "ballot")):
        check.add("personnel_not_ballot", item.id, title=item.title)
    if item.disputed and not item.emergency:
        check.add("disputed_not_postponed", item.id, title=item.title)
    principal, statements = facts.principal, item.statements
    if principal is not None and principal not in item.recused and principal in statements and statements[-1] != principal:
        check.add("principal_not_last", item.id, member=principal, title=item.title)


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


def _check_item(item: ItemFacts, facts: MeetingFacts, rules: MeetingRules, check: _Check,
                meeting_voids: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Check and count one agenda item."""
    zh = lang == "zh"
    first = len(check.violations)
    _item_violations(item, facts, rules, check)
    counts, notes = _count(item, facts, check, lang)
    base = len(facts.members) - len(item.recused & set(facts.members))
    passing_rule = rules.passing.get(facts.kind, rules.passing["default"])
    required = required_count(passing_rule, base)
    item_violations = check.violations[first:]
    voids = [v for v in item_violations if v["voids"]] + meeting_voids
    passed = counts["for"] >= required and base > 0 and not voids
    if base > 0 and 2 * counts["for"] == base:
        notes.append({"code": "exactly_half", "citation": passing_rule.citation.as_dict(),
                      "message": (f"赞成票恰为半数（{counts['for']}/{base}）：" + (
                          "按“半数以上”含本数，票数足够" if passing_rule.rule == "at_least_half" else "未过半数，票数不足")) if zh
                      else f"exactly half in favour ({counts['for']}/{base}): " + (
                          "enough (at least half)" if passing_rule.rule == "at_least_half" else "not enough (more than half needed)")})
    if voids and counts["for"] >= required:
        notes.append({"code": "voided", "message": "票数已达通过要求，但因下列违规不能视为通过：" if zh
                      else "the votes would carry it, but these violations void the decision: "
                      + ", ".join(sorted({v["code"] for v in voids}))})
    return {"id": item.id, "title": item.title, "category": item.category, "passed": passed, **counts, "base": base,
            "required": required, "rule": passing_rule.rule,
            "violations": [*meeting_voids, *item_violations], "notes": notes}
