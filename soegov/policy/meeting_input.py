"""Reading a meeting-check input: the contract's meeting document into checked facts, errors naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.core.errors import InputError
from soegov.policy.catalogue import ATTENDEE_ROLES, BODIES, CATEGORIES, CHAIR_ROLES, VOTES, VOTING_METHODS
from soegov.policy.dates import date
from soegov.policy.inputs import Findings, every_error_on_refusal, parse_date, require_mapping, today
from soegov.policy.record import Record

MEETING_FORMS = ("meeting", "circulation", "huddle", "individual_canvass")


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


class ItemFacts(Record):
    """One agenda item as recorded: what it is, how it was prepared, who spoke in which order, the votes."""

    __slots__ = ("id", "title", "category", "method", "recused", "statements", "votes", "on_agenda", "prepared",
                 "in_advance", "disputed", "emergency", "communicated", "oversight_informed", "voted_with", "path")

    id: str
    title: str
    category: str
    method: str
    recused: set[str]
    statements: list[str]
    votes: dict[str, str]
    on_agenda: bool | None
    prepared: bool | None
    in_advance: bool | None
    disputed: bool
    emergency: bool
    communicated: bool | None  # xundian art. 11(一)3: the principal leaders consulted and agreed in principle
    oversight_informed: bool | None  # xundian art. 11(一)4: the discipline member and supervisory board told beforehand
    voted_with: list[str]  # ids of the items voted together with this one (a bundled vote)
    path: str

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, fields[name])


class MeetingFacts(Record):
    """One meeting as recorded: the body, who attended, how it was called, its items."""

    __slots__ = ("day", "kind", "members", "principal", "attendees", "present", "nonvoting", "form", "notice_sent",
                 "items", "unrecorded", "chair_role", "nonvoting_roles")

    day: date
    kind: str
    members: list[str]
    principal: str | None
    attendees: list[str]
    present: list[str]  # members who attended, in the body's order
    nonvoting: list[str]
    form: str
    notice_sent: bool | None
    items: list[ItemFacts]
    unrecorded: list[str]  # facts left out: not checked, and the result says so
    chair_role: str | None  # who convened and chaired (xundian art. 9), a CHAIR_ROLES code
    nonvoting_roles: list[str] | None  # the roles among the non-voting attendees, ATTENDEE_ROLES codes

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, fields[name])


def _body(doc: Mapping[str, Any], bodies: tuple[str, ...]) -> tuple[str, list[str], str | None]:
    if doc.get("body") is None:
        raise InputError("missing_field", "缺少决策机构 body（kind、members、principal）", "body",
                         "missing field: body (kind, members, principal)")
    body = require_mapping(doc.get("body"), "body")
    kind = body.get("kind")
    if kind not in bodies:
        known = "、".join(f"{b}({BODIES[b].label})" for b in bodies)
        raise InputError("unknown_body", f"body.kind 未知：{kind!r}；可选：{known}", "body.kind",
                         f"unknown body.kind {kind!r}; one of {', '.join(bodies)}")
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
    return str(kind), members, principal


def parse_meeting(doc: Any, bodies: tuple[str, ...]) -> MeetingFacts:
    """The checked facts of a meeting document for a pack whose meeting rules name `bodies`.

    Invalid input raises the first error found, carrying in `details` every bad field of the document.
    """
    return every_error_on_refusal(_parse_meeting, _every_error, doc, bodies)


def _parse_meeting(doc: Any, bodies: tuple[str, ...]) -> MeetingFacts:
    doc = require_mapping(doc)
    day: date = parse_date(doc["date"], "date") if doc.get("date") is not None else today()
    kind, members, principal = _body(doc, bodies)
    attendees = _names(doc.get("attendees"), "attendees")
    nonvoting = _names(doc.get("nonvoting_attendees"), "nonvoting_attendees")
    form = _form(doc)
    unrecorded: list[str] = []
    notice_sent = _bool(doc, "notice_sent", "notice_sent", unrecorded)
    attending = set(attendees)
    items = [parse_item(raw, n, unrecorded) for n, raw in enumerate(_items(doc))]
    chair_role = _chair_role(doc)
    roles = _nonvoting_roles(doc)
    return MeetingFacts(day=day, kind=kind, members=members, principal=principal, attendees=attendees,
                        present=[m for m in members if m in attending], nonvoting=nonvoting, form=form,
                        notice_sent=notice_sent, items=items, unrecorded=unrecorded, chair_role=chair_role,
                        nonvoting_roles=roles)


def _form(doc: Mapping[str, Any]) -> str:
    form = doc.get("form", "meeting")
    if form not in MEETING_FORMS:
        raise InputError("invalid_input", f"form 应为 {' / '.join(MEETING_FORMS)} 之一", "form",
                         f"form must be one of {', '.join(MEETING_FORMS)}")
    return str(form)


def _items(doc: Mapping[str, Any]) -> list[Any]:
    items = doc.get("items")
    if not isinstance(items, list):
        raise InputError("missing_field", "items 应为议题列表", "items", "items must be a list of agenda items")
    return items


def _chair_role(doc: Mapping[str, Any]) -> str | None:
    chair_role = doc.get("chair_role")
    if chair_role is not None and chair_role not in CHAIR_ROLES:
        raise InputError("invalid_input", f"chair_role 应为 {' / '.join(CHAIR_ROLES)} 之一", "chair_role",
                         f"chair_role must be one of {', '.join(CHAIR_ROLES)}")
    return None if chair_role is None else str(chair_role)


def _nonvoting_roles(doc: Mapping[str, Any]) -> list[str] | None:
    roles = doc.get("nonvoting_roles")
    if roles is not None and (not isinstance(roles, list) or any(r not in ATTENDEE_ROLES for r in roles)):
        raise InputError("invalid_input", f"nonvoting_roles 应为 {' / '.join(ATTENDEE_ROLES)} 组成的列表",
                         "nonvoting_roles", f"nonvoting_roles must be a list of {', '.join(ATTENDEE_ROLES)}")
    return None if roles is None else list(roles)


ITEM_FLAGS = ("on_agenda", "prepared", "materials_in_advance", "communicated", "oversight_informed")


def _every_error(doc: Mapping[str, Any], bodies: tuple[str, ...]) -> list[InputError]:
    """Every bad field of a meeting document, each checked on its own (the slow way, for the error report)."""
    found = Findings()
    check = found.check

    if doc.get("date") is not None:
        check(parse_date, doc["date"], "date")
    check(_body, doc, bodies)
    for key in ("attendees", "nonvoting_attendees"):
        check(_names, doc.get(key), key)
    for parse in (_form, _chair_role, _nonvoting_roles):
        check(parse, doc)
    check(_bool, doc, "notice_sent", "notice_sent", [])
    for n, raw in enumerate(check(_items, doc) or []):
        path = f"items[{n}]"
        item = check(require_mapping, raw, path)
        if item is None:
            continue
        check(_choice, item, "category", path, CATEGORIES, "unknown_category")
        check(_choice, item, "voting_method", path, VOTING_METHODS, "unknown_voting_method")
        for key in ("recused", "statements"):
            check(_names, item.get(key), f"{path}.{key}")
        check(_votes, item, path)
        check(_names_or_ids, item.get("voted_with"), f"{path}.voted_with")
        for key in ITEM_FLAGS:
            check(_bool, item, key, f"{path}.{key}", [])
    return found


def _choice(item: Mapping[str, Any], key: str, path: str, known: Mapping[str, Any], code: str) -> str:
    value = item.get(key)
    if value not in known:
        raise InputError(code, f"{path}.{key} 未知：{value!r}；可选：{' / '.join(known)}", f"{path}.{key}",
                         f"unknown {path}.{key} {value!r}; one of {', '.join(known)}")
    return str(value)


def _votes(item: Mapping[str, Any], path: str) -> dict[str, str]:
    votes_in = item.get("votes") or {}
    if not isinstance(votes_in, Mapping):
        raise InputError("invalid_input", f"{path}.votes 应为 成员 → for/against/abstain 的对象", f"{path}.votes",
                         f"{path}.votes must map each member to for/against/abstain")
    for member, vote in votes_in.items():
        if vote not in VOTES:
            raise InputError("unknown_vote", f"{path}.votes.{member} 未知的表决：{vote!r}；可选：for / against / abstain",
                             f"{path}.votes.{member}",
                             f"unknown vote {vote!r} at {path}.votes.{member}; one of for, against, abstain")
    return dict(votes_in)


def parse_item(raw: Any, n: int, unrecorded: list[str]) -> ItemFacts:
    """The checked facts of items[n]; facts left out are named in `unrecorded` (not checked, said so)."""
    path = f"items[{n}]"
    item = require_mapping(raw, path)
    item_id = str(item.get("id", n + 1))
    return ItemFacts(
        id=item_id, title=str(item.get("title") or item_id),
        category=_choice(item, "category", path, CATEGORIES, "unknown_category"),
        method=_choice(item, "voting_method", path, VOTING_METHODS, "unknown_voting_method"),
        recused=set(_names(item.get("recused"), f"{path}.recused")),
        statements=_names(item.get("statements"), f"{path}.statements"),
        votes=_votes(item, path),
        on_agenda=_bool(item, "on_agenda", f"{path}.on_agenda", unrecorded),
        prepared=_bool(item, "prepared", f"{path}.prepared", unrecorded),
        in_advance=_bool(item, "materials_in_advance", f"{path}.materials_in_advance", unrecorded),
        disputed=item.get("disputed") is True, emergency=item.get("emergency") is True,
        communicated=_bool(item, "communicated", f"{path}.communicated", []),
        oversight_informed=_bool(item, "oversight_informed", f"{path}.oversight_informed", []),
        voted_with=[str(v) for v in _names_or_ids(item.get("voted_with"), f"{path}.voted_with")],
        path=path,
    )


def _names_or_ids(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        raise InputError("invalid_input", f"{path} 应为议题编号的列表", path, f"{path} must be a list of item ids")
    return list(value)
