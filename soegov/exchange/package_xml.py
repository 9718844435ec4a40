"""The XML of an exchange package: root `<tiol>`, UTF-8, fields as SASAC-EXCHANGE.md §2 lists them.

Plain Python, no Django. Reading names the field and the place of every problem (`PackageError`).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from soegov.exchange.error_codes import NOWHERE, ExchangeError, Where
from soegov.exchange.records import (
    ITEM,
    OPER_TYPES,
    REGULATION,
    Attendee,
    Item,
    Meeting,
    Record,
    Regulation,
    Subject,
    VoteMode,
)


def yes_no(value: bool) -> str:
    """A flag as the packages write it: 是 / 否."""
    return "是" if value else "否"


def _sub(parent: ET.Element, tag: str, text: str | None) -> None:
    # org.json drops null values (§2): an absent value is an absent element, never an empty one.
    if text is None:
        return
    ET.SubElement(parent, tag).text = text


def to_xml(record: Record) -> bytes:
    """The package's XML: root `<tiol>`, UTF-8, fields as SASAC-EXCHANGE.md §2 lists them."""
    root = ET.Element("tiol")
    if isinstance(record, Item):
        _sub(root, "item_id", record.item_id)
        _sub(root, "item_name", record.item_name)
        _sub(root, "item_code", record.item_code)
        lst = ET.SubElement(root, "item_meeting_list")
        for m in record.meetings:
            ET.SubElement(lst, "item_meeting").text = m
        _sub(root, "legal_flag", yes_no(record.legal_flag))
        _sub(root, "remark", record.remark)
        _sub(root, "oper_type", record.oper_type)
    elif isinstance(record, Regulation):
        for tag in ("regulation_id", "regulation_name", "regulation_type_name", "approval_date", "effective_date"):
            _sub(root, tag, getattr(record, tag))
        _sub(root, "audit_flag", yes_no(record.audit_flag))
        _sub(root, "rate", record.rate)
        _sub(root, "remark", record.remark)
        _sub(root, "oper_type", record.oper_type)
        lst = ET.SubElement(root, "vote_mode_list")
        for vm in record.vote_modes:
            el = ET.SubElement(lst, "vote_mode")
            _sub(el, "item_code", vm.item_code)
            _sub(el, "vote_mode", vm.vote_mode)
            _sub(el, "remark", vm.remark or None)
    else:
        for tag in ("meeting_id", "meeting_name", "meeting_type_name", "meeting_time", "moderator", "oper_type"):
            _sub(root, tag, getattr(record, tag))
        lst = ET.SubElement(root, "attendee_list")
        for a in record.attendees:
            el = ET.SubElement(lst, "attendee")
            _sub(el, "attendee_name", a.attendee_name)
            _sub(el, "attend_flag", yes_no(a.attend_flag))
            _sub(el, "reason", a.reason or None)
        subjects = ET.SubElement(root, "subject_list")
        for s in record.subjects:
            _subject_xml(ET.SubElement(subjects, "subject"), s)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="unicode").encode("utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _subject_xml(el: ET.Element, s: Subject) -> None:
    for tag in ("subject_id", "subject_name", "source_name", "special_name"):
        _sub(el, tag, getattr(s, tag))
    items = ET.SubElement(el, "item_list")
    for code in s.item_codes:
        ET.SubElement(items, "item_code").text = code
    for tag in ("pass_flag", "approval_flag", "adopt_flag", "subject_result", "remark"):
        _sub(el, tag, getattr(s, tag))
    lst = ET.SubElement(el, "attendance_list")
    for name, position in s.attendances:
        a = ET.SubElement(lst, "attendance")
        _sub(a, "attendance_name", name)
        _sub(a, "position", position)
    lst = ET.SubElement(el, "deliberation_list")
    for person, result in s.deliberations:
        d = ET.SubElement(lst, "deliberation")
        _sub(d, "deliberation_personnel", person)
        _sub(d, "deliberation_result", result)
    lst = ET.SubElement(el, "relation_list")
    for meeting_name, subject_name in s.relations:
        r = ET.SubElement(lst, "relation")
        _sub(r, "rel_meeting_name", meeting_name)
        _sub(r, "rel_subject_name", subject_name)


def _text(el: ET.Element, tag: str, where: Where, *, required: bool = True) -> str:
    child = el.find(tag)
    value = (child.text or "").strip() if child is not None else ""
    if required and not value:
        raise ExchangeError.MISSING_FIELD.error(path=tag, tag=tag, **where.fields())
    return value


def _flag(el: ET.Element, tag: str, where: Where) -> bool:
    value = _text(el, tag, where)
    if value not in ("是", "否"):
        raise ExchangeError.BAD_FLAG.error(path=tag, tag=tag, value=value, **where.fields())
    return value == "是"


def _oper(root: ET.Element, where: Where) -> str:
    value = _text(root, "oper_type", where, required=False)
    if not value:
        raise ExchangeError.MISSING_OPER_TYPE.error(path="oper_type", **where.fields())
    if value not in OPER_TYPES:
        raise ExchangeError.BAD_OPER_TYPE.error(path="oper_type", value=value, **where.fields())
    return value


def from_xml(kind: str, data: bytes, where: Where = NOWHERE) -> Record:
    """The record of a package's XML; PackageError naming the field (and `where` the XML is) when it is malformed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ExchangeError.BAD_XML.error(path="xml", problem=f"无法解析：{exc}", problem_en=f"cannot be read: {exc}",
                                          **where.fields()) from exc
    if root.tag != "tiol":
        raise ExchangeError.BAD_XML.error(path="xml", problem=f"根元素应为 <tiol>，实为 <{root.tag}>",
                                          problem_en=f"has the root <{root.tag}> instead of <tiol>", **where.fields())
    oper = _oper(root, where)
    if kind == ITEM:
        return Item(
            item_id=_text(root, "item_id", where), item_name=_text(root, "item_name", where),
            item_code=_text(root, "item_code", where),
            meetings=[(m.text or "").strip() for m in root.findall("item_meeting_list/item_meeting")],
            legal_flag=_text(root, "legal_flag", where, required=False) == "是",
            remark=_text(root, "remark", where, required=False), oper_type=oper)
    if kind == REGULATION:
        return Regulation(
            regulation_id=_text(root, "regulation_id", where),
            regulation_name=_text(root, "regulation_name", where),
            regulation_type_name=_text(root, "regulation_type_name", where),
            approval_date=_text(root, "approval_date", where, required=False),
            effective_date=_text(root, "effective_date", where, required=False),
            audit_flag=_flag(root, "audit_flag", where), rate=_text(root, "rate", where),
            vote_modes=[VoteMode(_text(v, "item_code", where), _text(v, "vote_mode", where),
                                 _text(v, "remark", where, required=False))
                        for v in root.findall("vote_mode_list/vote_mode")],
            remark=_text(root, "remark", where, required=False), oper_type=oper)
    attendees = []
    for a in root.findall("attendee_list/attendee"):
        flag = _text(a, "attend_flag", where, required=False)
        reason = _text(a, "reason", where, required=False)
        # §2.3: without attend_flag a reason means absent, otherwise present.
        present = flag == "是" if flag else not reason
        attendees.append(Attendee(_text(a, "attendee_name", where.then("参会人", "attendee: ")), present, reason))
    return Meeting(
        meeting_id=_text(root, "meeting_id", where), meeting_name=_text(root, "meeting_name", where),
        meeting_type_name=_text(root, "meeting_type_name", where),
        meeting_time=_text(root, "meeting_time", where), moderator=_text(root, "moderator", where, required=False),
        attendees=attendees, subjects=[_subject(s, where) for s in root.findall("subject_list/subject")],
        oper_type=oper)


def _subject(el: ET.Element, where: Where) -> Subject:
    name = _text(el, "subject_name", where)
    w = where.then(f"议题“{name}”", f"subject “{name}”: ")
    relations = [(_text(r, "rel_meeting_name", w), _text(r, "rel_subject_name", w))
                 for r in el.findall("relation_list/relation")]
    # The parser also accepts one relation directly under the subject (§2.3).
    if el.find("rel_meeting_name") is not None:
        relations.append((_text(el, "rel_meeting_name", w), _text(el, "rel_subject_name", w)))
    return Subject(
        subject_id=_text(el, "subject_id", w), subject_name=name,
        item_codes=[(c.text or "").strip() for c in el.findall("item_list/item_code")],
        pass_flag=_text(el, "pass_flag", w), approval_flag=_text(el, "approval_flag", w),
        adopt_flag=_text(el, "adopt_flag", w), source_name=_text(el, "source_name", w, required=False),
        special_name=_text(el, "special_name", w, required=False),
        subject_result=_text(el, "subject_result", w, required=False), remark=_text(el, "remark", w, required=False),
        attendances=[(_text(a, "attendance_name", w), _text(a, "position", w, required=False))
                     for a in el.findall("attendance_list/attendance")],
        deliberations=[(_text(d, "deliberation_personnel", w), _text(d, "deliberation_result", w))
                       for d in el.findall("deliberation_list/deliberation")],
        relations=relations)

