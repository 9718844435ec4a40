"""The collector's rules on received packages: validation (§4.1) and the anomaly check (§4.2 types 1–5).

Plain Python, no Django. The dictionaries the national system keeps in its database (meeting types,
regulation types, vote modes, sources, pass words) are fixed here to the values SASAC-EXCHANGE.md §3
shows; docs/exchange.md lists them. Validation refuses the whole package with the first problem (the
Django side stores nothing of a refused package); anomalies are findings stored with the package.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from soegov.core.errors import SoegovError
from soegov.exchange.error_codes import ExchangeError
from soegov.exchange.records import Item, Meeting, Record, Regulation, Subject
from soegov.policy.meetings import meeting_check

# Canonical meeting type names and their aliases (BIZ_TIOL_MEETING_TYPE.ALIAS).
MEETING_TYPES: dict[str, tuple[str, ...]] = {
    "党委会": ("党委常委会", "党委会议"),
    "党组会": ("党组会议",),
    "党支部会": ("支委会", "党支部委员会"),
    "董事会": ("董事会会议",),
    "总经理办公会": ("经理办公会", "总经理办公会议"),
    "股东会": ("股东大会",),
    "其他": (),
}
# soegov's decision bodies (enterprises.BodyKind) under their national type names.
BODY_KIND_TYPES = {"party_committee": "党委会", "party_branch": "党支部会", "board": "董事会",
                   "gm_office": "总经理办公会"}


def gettext_noop(text: str) -> str:
    """Mark a Chinese value for the pages' translation catalogue (makemessages reads the name); the value is
    unchanged, and this module stays free of Django (it is imported by the package checks outside the web app)."""
    return text


# The values the packages carry (Chinese); the form shows them translated.
REGULATION_TYPES = (gettext_noop("议事规则"), gettext_noop("三重一大决策制度"), gettext_noop("三重一大决策制度实施细则"),
                    gettext_noop("其他"))
CATALOG_TOP = {"D": "重大决策", "H": "重要人事任免", "P": "重大项目安排", "F": "大额度资金运作"}
_CATALOG = re.compile(r"^[DHPF]\d{0,3}$")
DEFAULT_ITEM = "默认"
# A secret ballot: each voter's deliberation result reads this, and the tally is in subject_result.
BALLOT_WORD = "无记名投票"
BALLOT_TALLY = re.compile(r"同意\s*(\d+)\s*票[、，,；;\s]*反对\s*(\d+)\s*票[、，,；;\s]*弃权\s*(\d+)\s*票")
ATTENDING_BASE = "到会人数"
CALLED_BASE = "应到会人数"


@dataclass(frozen=True)
class VoteModeRule:
    """One TIOL_VOTE_MODE row: the base count and the share of it that must vote yes."""

    radix: str
    rate: str


def _vote_modes() -> dict[str, VoteModeRule]:
    modes = {"全票通过": VoteModeRule(CALLED_BASE, "1"), "其他": VoteModeRule("", "")}
    for share in ("4/5", "3/4", "2/3", "1/2"):
        modes[f"赞成票超过应到会成员人数的{share}"] = VoteModeRule(CALLED_BASE, share)
        modes[f"赞成票超过到会成员人数的{share}"] = VoteModeRule(ATTENDING_BASE, share)
    return modes


@dataclass(frozen=True)
class Dictionaries:
    """The code lists a package is checked against (§3)."""

    vote_modes: Mapping[str, VoteModeRule] = field(default_factory=_vote_modes)
    sources: frozenset[str] = frozenset({"上级部署", "企业自主决策", "巡视巡察整改", "审计整改", "其他"})
    specials: frozenset[str] = frozenset({"国企改革", "安全生产", "乡村振兴", "其他"})
    pass_words: Mapping[str, int] = field(default_factory=lambda: {"通过": 1, "否决": 0, "缓议": 2})
    approval_words: Mapping[str, int] = field(default_factory=lambda: {"审批": 1, "备案": 2, "否": 0})
    adopt_words: Mapping[str, int] = field(default_factory=lambda: {"是": 1, "否": 0})
    agree_words: frozenset[str] = frozenset({"同意", "原则同意"})


DEFAULT_DICTIONARIES = Dictionaries()


def meeting_type(name: str) -> str | None:
    """The canonical meeting type for a name or alias, else None."""
    name = (name or "").strip()
    for canonical, aliases in MEETING_TYPES.items():
        if name == canonical or name in aliases:
            return canonical
    return None


def parse_rate(rate: str) -> Fraction | None:
    """The share "a/b" (or "1") as a fraction; None if it cannot be read."""
    try:
        value = Fraction(rate.strip())
    except (ValueError, ZeroDivisionError, AttributeError):
        return None
    return value if 0 < value <= 1 else None


# --- §4.1 validation ----------------------------------------------------------------------------------


def validate(record: Record, *, active_items: Iterable[str] = (), stored_subjects: Mapping[str, set[str]] | None = None,
             dicts: Dictionaries = DEFAULT_DICTIONARIES) -> None:
    """Refuse a record that breaks a collection rule (§4.1), naming the field; the checks needing stored
    data take the company's active item codes and its stored meetings' subject names by meeting name."""
    items = set(active_items)
    if isinstance(record, Item):
        code = record.item_code
        if "-" not in code:
            raise ExchangeError.BAD_ITEM_CODE.error(path="item_code", name=record.item_name, code=code)
        if not _CATALOG.match(code.split("-", 1)[0]):
            raise ExchangeError.UNKNOWN_CATALOG.error(path="item_code", code=code)
        if not record.meetings:
            raise ExchangeError.NO_MEETING.error(path="item_meeting_list", name=record.item_name)
        for name in record.meetings:
            if meeting_type(name) is None:
                raise ExchangeError.UNKNOWN_MEETING_TYPE.error(path="item_meeting_list", name=name)
    elif isinstance(record, Regulation):
        if record.regulation_type_name not in REGULATION_TYPES:
            raise ExchangeError.UNKNOWN_REGULATION_TYPE.error(
                path="regulation_type_name", name=record.regulation_type_name, allowed="、".join(REGULATION_TYPES))
        for vm in record.vote_modes:
            if vm.item_code != DEFAULT_ITEM and vm.item_code not in items:
                raise ExchangeError.UNKNOWN_ITEM.error(path="vote_mode_list.item_code", holder="表决方式中的",
                                                       holder_en="vote mode: ", code=vm.item_code)
            if vm.vote_mode not in dicts.vote_modes:
                raise ExchangeError.UNKNOWN_VOTE_MODE.error(path="vote_mode_list.vote_mode", mode=vm.vote_mode)
    else:
        _validate_meeting(record, items, stored_subjects or {}, dicts)


def _validate_meeting(record: Meeting, items: set[str], stored: Mapping[str, set[str]], dicts: Dictionaries) -> None:
    if meeting_type(record.meeting_type_name) is None:
        raise ExchangeError.UNKNOWN_MEETING_TYPE.error(path="meeting_type_name", name=record.meeting_type_name)
    own = {s.subject_name for s in record.subjects}
    for s in record.subjects:
        w = {"subject": f"议题“{s.subject_name}”", "subject_en": f"subject “{s.subject_name}”"}
        for code in s.item_codes:
            if code != DEFAULT_ITEM and code not in items:
                raise ExchangeError.UNKNOWN_ITEM.error(path="subject.item_list", holder=f"{w['subject']}关联的",
                                                       holder_en=f"{w['subject_en']}: linked ", code=code)
        for rel_meeting, rel_subject in s.relations:
            names = own if rel_meeting == record.meeting_name else stored.get(rel_meeting)
            if names is None:
                raise ExchangeError.UNKNOWN_RELATION.error(path="subject.relation_list", target=f"会议“{rel_meeting}”",
                                                           target_en=f"meeting “{rel_meeting}”", **w)
            if rel_subject not in names:
                raise ExchangeError.UNKNOWN_RELATION.error(
                    path="subject.relation_list", target=f"议题“{rel_subject}”在会议“{rel_meeting}”中",
                    target_en=f"subject “{rel_subject}” of meeting “{rel_meeting}”", **w)
        _check_dictionaries(s, w, dicts)


# A subject's values checked against the collector's dictionaries: field → its refusal.
_UNKNOWN = {"source_name": ExchangeError.UNKNOWN_SOURCE_NAME, "special_name": ExchangeError.UNKNOWN_SPECIAL_NAME}
_BAD_FLAG = {"pass_flag": ExchangeError.BAD_PASS_FLAG, "approval_flag": ExchangeError.BAD_APPROVAL_FLAG,
             "adopt_flag": ExchangeError.BAD_ADOPT_FLAG}


def _check_dictionaries(s: Subject, w: dict[str, str], dicts: Dictionaries) -> None:
    for tag, value, allowed in (("source_name", s.source_name, dicts.sources),
                                ("special_name", s.special_name, dicts.specials)):
        if value not in ("", "-", "无") and value not in allowed:
            raise _UNKNOWN[tag].error(path=f"subject.{tag}", value=value, **w)
    for tag, value, words in (("pass_flag", s.pass_flag, dicts.pass_words),
                              ("approval_flag", s.approval_flag, dicts.approval_words),
                              ("adopt_flag", s.adopt_flag, dicts.adopt_words)):
        if value not in words:
            raise _BAD_FLAG[tag].error(path=f"subject.{tag}", value=value, allowed="、".join(words), **w)


# --- §4.2 anomalies --------------------------------------------------------------------------------

LEGAL_REVIEW, WRONG_ORDER, NO_PRESTUDY, NO_QUORUM, VOTES_SHORT = 1, 2, 3, 4, 5
ANOMALY_LABELS = {LEGAL_REVIEW: "未经合法合规审查", WRONG_ORDER: "决策会议顺序不当", NO_PRESTUDY: "党委（党组）会未前置",
                  NO_QUORUM: "不符合会议召开条件", VOTES_SHORT: "表决结果不一致", 6: "采集校验异常"}


@dataclass(frozen=True)
class Anomaly:
    """One finding on one subject, as TIOL_SUBJECT_EXCEPTION holds it."""

    subject_id: str
    subject_name: str
    type: int
    cause: str

    @property
    def label(self) -> str:
        return ANOMALY_LABELS[self.type]


@dataclass(frozen=True)
class SubjectNode:
    """A stored subject as the relation chain sees it."""

    meeting_type: str
    relations: tuple[tuple[str, str], ...]


@dataclass
class Context:
    """What the check needs besides the meeting: the company's items, regulations, members and subjects."""

    items: Mapping[str, Item]
    regulations: Sequence[Regulation] = ()
    # The members of the body of each meeting type (the leadership group); absent: the called attendees.
    members: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Every stored subject of the company by (meeting name, subject name), this meeting's included.
    subjects: Mapping[tuple[str, str], SubjectNode] = field(default_factory=dict)


def subject_nodes(meeting: Meeting) -> dict[tuple[str, str], SubjectNode]:
    """The subjects of one meeting as relation-chain nodes."""
    kind = meeting_type(meeting.meeting_type_name) or meeting.meeting_type_name
    return {(meeting.meeting_name, s.subject_name): SubjectNode(kind, tuple(s.relations)) for s in meeting.subjects}


def rules_of_procedure(meeting: Meeting, regulations: Sequence[Regulation]) -> Regulation | None:
    """§4.2 step 4: the newest active 议事规则 whose name contains the meeting type or an alias."""
    kind = meeting_type(meeting.meeting_type_name) or meeting.meeting_type_name
    names = (kind, *MEETING_TYPES.get(kind, ()))
    rules = [r for r in regulations if "议事规则" in r.regulation_type_name and r.oper_type != "del"]
    for r in sorted(rules, key=lambda r: r.effective_date, reverse=True):
        if any(n in r.regulation_name for n in names):
            return r
    return None


def _chain(key: tuple[str, str], ctx: Context) -> list[str] | None:
    """Meeting types from the earliest related subject to the latest; None where the chain branches."""
    nodes = ctx.subjects
    back: list[str] = []
    current = nodes[key]
    seen = {key}
    while current.relations:
        if len(current.relations) > 1:
            return None
        prev = current.relations[0]
        if prev not in nodes or prev in seen:
            break
        seen.add(prev)
        current = nodes[prev]
        back.insert(0, current.meeting_type)
    forward: list[str] = []
    cur_key = key
    while True:
        later = [k for k, n in nodes.items() if cur_key in n.relations and k not in seen]
        if not later:
            break
        if len(later) > 1:
            return None
        cur_key = later[0]
        seen.add(cur_key)
        forward.append(nodes[cur_key].meeting_type)
    chain = [*back, nodes[key].meeting_type, *forward]
    return [t for i, t in enumerate(chain) if i == 0 or chain[i - 1] != t]


def anomalies(meeting: Meeting, ctx: Context, dicts: Dictionaries = DEFAULT_DICTIONARIES) -> list[Anomaly]:
    """The §4.2 findings of every subject of a passed-in meeting (types 1–5)."""
    found: list[Anomaly] = []
    kind = meeting_type(meeting.meeting_type_name) or meeting.meeting_type_name
    nodes = dict(ctx.subjects)
    nodes.update(subject_nodes(meeting))
    ctx = Context(items=ctx.items, regulations=ctx.regulations, members=ctx.members, subjects=nodes)
    regulation = rules_of_procedure(meeting, ctx.regulations)
    members = list(ctx.members.get(kind) or [a.attendee_name for a in meeting.attendees])
    present = [a for a in meeting.attendees if a.attend_flag and a.attendee_name in members]

    def add(s: Subject, type_: int, cause: str) -> None:
        found.append(Anomaly(s.subject_id, s.subject_name, type_, cause))

    rate = parse_rate(regulation.rate) if regulation else None
    for s in meeting.subjects:
        key = (meeting.meeting_name, s.subject_name)
        linked = [ctx.items[c] for c in s.item_codes if c in ctx.items]
        one = linked[0] if len(s.item_codes) == 1 and linked else None
        order = [meeting_type(m) or m for m in one.meetings] if one else []
        # Type 3: a Party pre-study that no later decision meeting picked up.
        if kind in ("党委会", "党组会") and one and len(order) > 1 and not any(
                key in n.relations for k, n in nodes.items() if k != key):
            add(s, NO_PRESTUDY, f"事项“{one.item_name}”须依次经{'→'.join(order)}决策，本次{kind}研究后没有后续会议议题关联本议题")
        # Type 2: the actual chain of meetings against the item's configured order.
        if one:
            chain = _chain(key, ctx)
            if chain is not None:
                if len(chain) != len(order):
                    add(s, WRONG_ORDER, f"实际决策顺序为{'→'.join(chain)}，事项清单规定为{'→'.join(order)}")
                else:
                    for i, (got, want) in enumerate(zip(chain, order, strict=True), 1):
                        if got != want:
                            add(s, WRONG_ORDER, f"第 {i} 个决策会议应为{want}，实为{got}")
        # Type 1: an item needing legal review without counsel present or a legal opinion attached.
        if any(i.legal_flag for i in linked):
            counsel = any("法律顾问" in pos for _, pos in s.attendances)
            opinion = any("法律意见" in n for n in (*s.opinion_files, *s.material_files))
            if not counsel and not opinion:
                add(s, LEGAL_REVIEW, "关联事项须经法律审核，但列席人员中没有法律顾问，也没有法律意见书")
        # Type 4: fewer members present than the rules of procedure require (rate "1" turns it off).
        if rate is not None and rate != 1:
            need = math.ceil(len(members) * rate)
            if len(present) < need:
                add(s, NO_QUORUM, f"{regulation.regulation_name if regulation else ''}要求到会不少于 {need} 人"
                    f"（{len(members)} 人的 {regulation.rate if regulation else ''}），实到 {len(present)} 人")
        # Type 5: passed with fewer yes votes than the vote mode of the item requires.
        if dicts.pass_words.get(s.pass_flag) == 1 and regulation and one:
            short = _votes_short(s, one, regulation, meeting, members, dicts)
            if short:
                add(s, VOTES_SHORT, short)
    return found


def ballot_tally(s: Subject) -> tuple[int, int, int] | None:
    """(for, against, abstain) of a secret-ballot subject, read from its subject_result; None for an open vote
    (or a ballot whose tally cannot be read: then no yes vote is counted)."""
    if not any(result == BALLOT_WORD for _, result in s.deliberations):
        return None
    m = BALLOT_TALLY.search(s.subject_result or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (0, 0, 0)


def _votes_short(s: Subject, item: Item, regulation: Regulation, meeting: Meeting, members: Sequence[str],
                 dicts: Dictionaries) -> str | None:
    modes = {vm.item_code: vm.vote_mode for vm in regulation.vote_modes}
    mode_name = modes.get(item.item_code) or modes.get(DEFAULT_ITEM) or modes.get("")
    mode = dicts.vote_modes.get(mode_name or "")
    rate = parse_rate(mode.rate) if mode else None
    if mode is None or rate is None:
        return None
    # §4.2 [inferred]: 到会人数 counts every attendee record, absent ones included.
    base = len(meeting.attendees) if mode.radix == ATTENDING_BASE else len(members)
    need = math.ceil(base * rate)
    tally = ballot_tally(s)
    yes = tally[0] if tally else sum(1 for _, result in s.deliberations if result in dicts.agree_words)
    if yes < need:
        return f"表决方式“{mode_name}”要求赞成不少于 {need} 票，实为 {yes} 票，却标为通过"
    return None


# --- the same findings from soegov's engine, when soegov knows the body ---------------------------------

KIND_OF_TYPE = {v: k for k, v in BODY_KIND_TYPES.items()}
VOTE_OF = {"同意": "for", "原则同意": "for", "赞成": "for", "不同意": "against", "反对": "against", "弃权": "abstain"}
CATEGORY_OF = {"D": "major_decision", "H": "personnel", "P": "major_project", "F": "large_fund"}


def engine_anomalies(meeting: Meeting, *, policy: str, members: Sequence[str], principal: str | None = None,
                     dicts: Dictionaries = DEFAULT_DICTIONARIES) -> list[Anomaly]:
    """Types 4 and 5 judged by soegov's meeting_check (the pack's quorum and majority, xundian art. 11),
    from the received attendance and per-person results, for a body whose members soegov holds."""
    kind = KIND_OF_TYPE.get(meeting_type(meeting.meeting_type_name) or "")
    if kind is None or not members:
        return []
    member_set = set(members)
    items = []
    for s in meeting.subjects:
        letter = (s.item_codes[0][:1] if s.item_codes else "D")
        votes = {n: VOTE_OF[r] for n, r in s.deliberations if n in member_set and r in VOTE_OF}
        tally = ballot_tally(s)
        if tally is not None:
            # A secret ballot names no one's choice: the counts are dealt to the voters in turn, which is all the
            # engine's quorum and majority look at.
            voters = [n for n, r in s.deliberations if n in member_set and r == BALLOT_WORD]
            dealt = ["for"] * tally[0] + ["against"] * tally[1] + ["abstain"] * tally[2]
            votes = dict(zip(voters, dealt, strict=False))
        category = CATEGORY_OF.get(letter, "major_decision")
        # The package does not say how the vote was taken; assume the lawful method so only counts are judged.
        items.append({"id": s.subject_id, "title": s.subject_name, "category": category, "on_agenda": True,
                      "prepared": True, "voting_method": "ballot" if category == "personnel" else "show_of_hands",
                      "votes": votes})
    doc = {"date": meeting.meeting_time or None,
           "body": {"kind": kind, "members": list(dict.fromkeys(members)), "principal": principal},
           "attendees": [a.attendee_name for a in meeting.attendees if a.attend_flag and a.attendee_name in member_set],
           "items": items}
    try:
        result = meeting_check(doc, policy=policy)
    except SoegovError:
        return []  # the pack has no meeting rules for this body, or the date is outside it: nothing to judge
    found: list[Anomaly] = []
    q = result["quorum"]
    by_id = {s.subject_id: s for s in meeting.subjects}
    for out in result["items"]:
        s = by_id[out["id"]]
        if not q["met"]:
            found.append(Anomaly(s.subject_id, s.subject_name, NO_QUORUM,
                                 f"引擎判定：{q['members']} 名成员须至少 {q['required']} 人出席，实到 {q['present']} 人"
                                 f"（{q['citation'].get('document')} 第{q['citation'].get('article')}条）"))
        elif dicts.pass_words.get(s.pass_flag) == 1 and not out["passed"]:
            found.append(Anomaly(s.subject_id, s.subject_name, VOTES_SHORT,
                                 f"引擎判定：赞成 {out['for']} 票，须至少 {out['required']} 票（基数 {out['base']}），却标为通过"))
    return found
