"""meeting_check: one decision meeting against a pack's collective-decision rules.

The pack switches each check on, cites it and says whether it voids the item; this module
holds only the mechanisms (counting, ordering, membership), so another jurisdiction's meeting
rules are data too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.policy.catalogue import BODIES, CATEGORIES, VOTES, VOTING_METHODS
from soegov.policy.errors import InputError
from soegov.policy.inputs import parse_date, require_mapping, today
from soegov.policy.loader import get_registry
from soegov.policy.model import MajorityRule, MeetingRules, Pack

# code → (Chinese message, English message); {member} and {item} are filled in.
CHECKS: dict[str, tuple[str, str]] = {
    "no_quorum": ("出席的决策机构成员不足法定人数，会议不得召开，所作决定无效",
                  "not enough members present: the meeting could not decide"),
    "not_a_meeting": ("以传阅会签、碰头会或个别征求意见等方式作出决策，不符合集体决策要求",
                      "decided by circulation, informal huddle or canvassing, not in a meeting"),
    "ad_hoc_item": ("议题“{item}”未列入会前确定的议题，属临时动议，不得决策",
                    "item {item} was not on the agenda fixed before the meeting"),
    "unprepared_item": ("议题“{item}”未完成调研论证、沟通协商、征求意见等准备程序，不应提交会议决策",
                        "item {item} was put to the meeting before its preparation was complete"),
    "materials_late": ("议题“{item}”的决策材料未提前送达参会人员", "materials for item {item} were not sent in advance"),
    "no_notice": ("会前未向与会人员发出正式通知", "no formal notice was sent before the meeting"),
    "principal_not_last": ("议题“{item}”主要负责人{member}未最后表态（末位表态制）",
                           "on item {item} the principal {member} did not speak last"),
    "personnel_not_ballot": ("议题“{item}”涉及重要人事任免，未采取投票表决", "personnel item {item} was not decided by ballot"),
    "recused_member_voted": ("{member}应回避议题“{item}”却参与表决，其票不计", "{member} was recused on item {item} but voted; the vote is not counted"),
    "vote_by_non_member": ("{member}不是该决策机构成员，其表决不计", "{member} is not a member of the body; the vote is not counted"),
    "no_clear_stance": ("出席成员{member}未就议题“{item}”表明赞成、反对或弃权的明确态度",
                        "{member} was present but stated no clear for/against/abstain on item {item}"),
    "disputed_not_postponed": ("议题“{item}”存在较大争议，非紧急情况下应暂缓决定",
                               "item {item} was seriously disputed and, with no emergency, should have been postponed"),
}
_MEETING_FORMS = ("meeting", "circulation", "huddle", "individual_canvass")


def _required(rule: MajorityRule, base: int) -> int:
    """Smallest count that satisfies the rule on this base (at least half / more than half)."""
    if rule.rule == "more_than_half":
        return base // 2 + 1
    return (base + 1) // 2


def _names(value: Any, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError("invalid_input", f"{path} 应为成员姓名的列表", path, f"{path} must be a list of names")
    return list(value)


def _bool(doc: Mapping[str, Any], key: str, path: str, unrecorded: list[str]) -> bool | None:
    value = doc.get(key)
    if value is None:
        unrecorded.append(path)
        return None
    if not isinstance(value, bool):
        raise InputError("invalid_input", f"{path} 应为 true 或 false", path, f"{path} must be true or false")
    return value


class _Check:
    """Collects violations and notes for one meeting."""

    def __init__(self, rules: MeetingRules, lang: str):
        self.rules = rules
        self.lang = lang
        self.violations: list[dict[str, Any]] = []

    def on(self, code: str) -> bool:
        """Whether the pack switches this check on."""
        return code in self.rules.checks

    def add(self, code: str, item: str | None = None, member: str | None = None,
            title: str | None = None) -> dict[str, Any] | None:
        """Record a violation if the pack has the check; returns it."""
        check = self.rules.checks.get(code)
        if check is None:
            return None
        zh, en = CHECKS[code]
        text = zh if self.lang == "zh" else en
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
    doc = require_mapping(doc)
    day = parse_date(doc["date"], "date") if doc.get("date") is not None else today()
    version = pack.version_on(day)
    if doc.get("body") is None:
        raise InputError("missing_field", "缺少决策机构 body（kind、members、principal）", "body",
                         "missing field: body (kind, members, principal)")
    body = require_mapping(doc.get("body"), "body")
    kind = body.get("kind")
    if kind not in rules.bodies:
        known = "、".join(f"{b}({BODIES[b].label})" for b in rules.bodies)
        raise InputError("unknown_body", f"body.kind 未知：{kind!r}；可选：{known}", "body.kind",
                         f"unknown body.kind {kind!r}; one of {', '.join(rules.bodies)}")
    if body.get("members") is None:
        raise InputError("missing_field", "缺少决策机构成员 body.members", "body.members", "missing field: body.members")
    members = _names(body.get("members"), "body.members")
    if not members:
        raise InputError("invalid_input", "body.members 不能为空", "body.members", "body.members cannot be empty")
    if len(set(members)) != len(members):
        raise InputError("invalid_input", "body.members 有重复姓名", "body.members", "body.members has duplicate names")
    principal = body.get("principal")
    if principal is not None and principal not in members:
        raise InputError("principal_not_member", f"主要负责人 {principal!r} 不在 body.members 中", "body.principal",
                         f"the principal {principal!r} is not among body.members")
    attendees = _names(doc.get("attendees"), "attendees")
    nonvoting = _names(doc.get("nonvoting_attendees"), "nonvoting_attendees")
    form = doc.get("form", "meeting")
    if form not in _MEETING_FORMS:
        raise InputError("invalid_input", f"form 应为 {' / '.join(_MEETING_FORMS)} 之一", "form",
                         f"form must be one of {', '.join(_MEETING_FORMS)}")
    unrecorded: list[str] = []
    notice_sent = _bool(doc, "notice_sent", "notice_sent", unrecorded)
    items_in = doc.get("items")
    if not isinstance(items_in, list):
        raise InputError("missing_field", "items 应为议题列表", "items", "items must be a list of agenda items")

    zh = lang == "zh"
    check = _Check(rules, lang)
    notes: list[dict[str, Any]] = []
    member_set = set(members)
    present = [m for m in members if m in set(attendees)]
    quorum_rule = rules.quorum.get(kind, rules.quorum["default"])
    quorum_required = _required(quorum_rule, len(members))
    quorum_met = len(present) >= quorum_required
    meeting_voids: list[dict[str, Any]] = []
    if not quorum_met:
        v = check.add("no_quorum")
        if v:
            meeting_voids.append(v)
    if 2 * len(present) == len(members):
        notes.append({"code": "exactly_half", "item": None, "citation": quorum_rule.citation.as_dict(),
                      "message": (f"出席人数恰为成员半数（{len(present)}/{len(members)}），"
                                  + ("按“半数以上”含本数达到法定人数" if quorum_met else "未过半数，不足法定人数")) if zh
                      else f"exactly half the members present ({len(present)}/{len(members)}); quorum "
                      + ("met (at least half)" if quorum_met else "not met (more than half needed)")})
    if form != "meeting":
        v = check.add("not_a_meeting")
        if v:
            meeting_voids.append(v)
    if notice_sent is False:
        check.add("no_notice")
    for name in attendees:
        if name not in member_set and name not in nonvoting:
            notes.append({"code": "attendee_not_member", "item": None,
                          "message": f"{name} 不是决策机构成员，按列席处理" if zh else f"{name} is not a member; counted as non-voting"})

    items_out = []
    for n, raw in enumerate(items_in):
        items_out.append(_check_item(raw, n, kind, members, present, principal, rules, check, meeting_voids,
                                     unrecorded, lang))
    if unrecorded:
        notes.append({"code": "not_recorded", "item": None,
                      "message": ("以下事实未提供，未作检查：" if zh else "not given, so not checked: ") + ", ".join(unrecorded)})
    return {
        "policy": {"id": pack.id, "title": pack.title, "in_force": version is not None,
                   "version": version.version if version else None},
        "body": {"kind": kind, "label": BODIES[kind].label if zh else BODIES[kind].label_en},
        "quorum": {"members": len(members), "present": len(present), "required": quorum_required, "met": quorum_met,
                   "rule": quorum_rule.rule, "citation": quorum_rule.citation.as_dict()},
        "items": items_out,
        "violations": check.violations,
        "notes": notes,
    }


def _check_item(raw: Any, n: int, kind: str, members: list[str], present: list[str], principal: str | None,
                rules: MeetingRules, check: _Check, meeting_voids: list[dict[str, Any]], unrecorded: list[str],
                lang: str) -> dict[str, Any]:
    """Check and count one agenda item."""
    zh = lang == "zh"
    path = f"items[{n}]"
    item = require_mapping(raw, path)
    item_id = str(item.get("id", n + 1))
    title = str(item.get("title") or item_id)
    category = item.get("category")
    if category not in CATEGORIES:
        raise InputError("unknown_category", f"{path}.category 未知：{category!r}；可选：{' / '.join(CATEGORIES)}",
                         f"{path}.category", f"unknown {path}.category {category!r}; one of {', '.join(CATEGORIES)}")
    method = item.get("voting_method")
    if method not in VOTING_METHODS:
        raise InputError("unknown_voting_method", f"{path}.voting_method 未知：{method!r}；可选：{' / '.join(VOTING_METHODS)}",
                         f"{path}.voting_method",
                         f"unknown {path}.voting_method {method!r}; one of {', '.join(VOTING_METHODS)}")
    recused = set(_names(item.get("recused"), f"{path}.recused"))
    statements = _names(item.get("statements"), f"{path}.statements")
    votes_in = item.get("votes") or {}
    if not isinstance(votes_in, Mapping):
        raise InputError("invalid_input", f"{path}.votes 应为 成员 → for/against/abstain 的对象", f"{path}.votes",
                         f"{path}.votes must map each member to for/against/abstain")
    for member, vote in votes_in.items():
        if vote not in VOTES:
            raise InputError("unknown_vote", f"{path}.votes.{member} 未知的表决：{vote!r}；可选：for / against / abstain",
                             f"{path}.votes.{member}", f"unknown vote {vote!r} at {path}.votes.{member}; one of for, against, abstain")

    first = len(check.violations)
    on_agenda = _bool(item, "on_agenda", f"{path}.on_agenda", unrecorded)
    prepared = _bool(item, "prepared", f"{path}.prepared", unrecorded)
    in_advance = _bool(item, "materials_in_advance", f"{path}.materials_in_advance", unrecorded)
    if on_agenda is False:
        check.add("ad_hoc_item", item_id, title=title)
    if prepared is False:
        check.add("unprepared_item", item_id, title=title)
    late = rules.checks.get("materials_late")
    if in_advance is False and late is not None and category not in (late.param("exempt_categories") or ()):
        check.add("materials_late", item_id, title=title)
    ballot = rules.checks.get("personnel_not_ballot")
    if ballot is not None and category in (ballot.param("categories") or ()) and method != ballot.param("method", "ballot"):
        check.add("personnel_not_ballot", item_id, title=title)
    if item.get("disputed") is True and item.get("emergency") is not True:
        check.add("disputed_not_postponed", item_id, title=title)
    if principal is not None and principal not in recused and principal in statements and statements[-1] != principal:
        check.add("principal_not_last", item_id, member=principal, title=title)

    notes: list[dict[str, Any]] = []
    present_set, member_set = set(present), set(members)
    counts = {"for": 0, "against": 0, "abstain": 0}
    for member, vote in votes_in.items():
        if member not in member_set:
            check.add("vote_by_non_member", item_id, member=member, title=title)
        elif member in recused:
            check.add("recused_member_voted", item_id, member=member, title=title)
        elif member not in present_set:
            notes.append({"code": "absent_vote_not_counted", "member": member,
                          "message": f"{member} 未出席，其意见作为书面意见记录，不计入表决" if zh
                          else f"{member} was absent: the opinion is recorded in writing, not counted as a vote"})
        else:
            counts[vote] += 1
    for member in present:
        if member not in recused and member not in votes_in:
            check.add("no_clear_stance", item_id, member=member, title=title)

    base = len(members) - len(recused & set(members))
    passing_rule = rules.passing.get(kind, rules.passing["default"])
    required = _required(passing_rule, base)
    item_violations = [v for v in check.violations[first:]]
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
    return {"id": item_id, "title": title, "category": category, "passed": passed, **counts, "base": base,
            "required": required, "rule": passing_rule.rule,
            "violations": [*meeting_voids, *item_violations], "notes": notes}
