"""The national "三重一大" exchange packages (0004 事项清单 / 0005 有关制度 / 0006 会议决策): build and read.

Plain Python, no Django: docs/exchange.md describes the layout (after SASAC-EXCHANGE.md §1–§2).
Zip entry names are written in UTF-8 with the zip "language encoding" flag (bit 11) set, which
Python, Info-ZIP and java.util.zip (the collector's unzip, even when opened with GBK) all honour;
`entry_encoding="gbk"` writes GBK names without the flag for tools that ignore it. On reading, a name
without the flag is tried as UTF-8 and then as GBK, so packages from the vendor tools read correctly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

from soegov.core.errors import InputError

VERSION = "1000"
API_CODE = "SZ01"
ITEM, REGULATION, MEETING = "0004", "0005", "0006"
KIND_LABELS = {ITEM: "事项清单", REGULATION: "有关制度", MEETING: "会议决策"}
OPER_TYPES = ("add", "edit", "del")
# Folder names inside the zips (SASAC-EXCHANGE.md §1.2).
FORMAL, EVIDENCE = "正式文件", "佐证材料"
MINUTES, NOTICE = "会议纪要", "会议通知"
OPINIONS, MATERIALS = "听取意见", "议题材料"
_EFS_FLAG = 0x800
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_DATE = re.compile(r"^\d{8}$")


class PackageError(InputError):
    """A package that cannot be read or breaks a collection rule; names the file and the field."""


def _refuse(code: str, message: str, where: str) -> PackageError:
    return PackageError(code, message, where, message)


# --- records -------------------------------------------------------------------------------------


@dataclass
class Item:
    """One 事项 of the decision list (0004): one per package."""

    item_id: str
    item_name: str
    item_code: str
    meetings: list[str]
    legal_flag: bool
    remark: str = ""
    oper_type: str = "add"


@dataclass
class VoteMode:
    """The vote mode of one item (or of every item: item_code "默认")."""

    item_code: str
    vote_mode: str
    remark: str = ""


@dataclass
class Regulation:
    """One 制度 (0005), e.g. a body's rules of procedure (议事规则), with its formal file and evidence."""

    regulation_id: str
    regulation_name: str
    regulation_type_name: str
    approval_date: str
    effective_date: str
    audit_flag: bool
    rate: str
    vote_modes: list[VoteMode] = field(default_factory=list)
    remark: str = ""
    oper_type: str = "add"
    formal_files: dict[str, bytes] = field(default_factory=dict)
    evidence_files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Attendee:
    """One member called to the meeting: present or absent with the reason."""

    attendee_name: str
    attend_flag: bool
    reason: str = ""


@dataclass
class Subject:
    """One 议题 of a meeting with the per-person deliberation results and its files."""

    subject_id: str
    subject_name: str
    item_codes: list[str]
    pass_flag: str
    approval_flag: str
    adopt_flag: str
    source_name: str = "无"
    special_name: str = "无"
    subject_result: str = ""
    remark: str = ""
    attendances: list[tuple[str, str]] = field(default_factory=list)
    deliberations: list[tuple[str, str]] = field(default_factory=list)
    relations: list[tuple[str, str]] = field(default_factory=list)
    opinion_files: dict[str, bytes] = field(default_factory=dict)
    material_files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Meeting:
    """One decision meeting (0006) with its attendance, subjects, minutes and notice."""

    meeting_id: str
    meeting_name: str
    meeting_type_name: str
    meeting_time: str
    moderator: str
    attendees: list[Attendee] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    oper_type: str = "add"
    minutes_files: dict[str, bytes] = field(default_factory=dict)
    notice_files: dict[str, bytes] = field(default_factory=dict)


Record = Item | Regulation | Meeting


def kind_of(record: Record) -> str:
    """The business code of a record."""
    return {Item: ITEM, Regulation: REGULATION, Meeting: MEETING}[type(record)]


# --- names --------------------------------------------------------------------------------------


def file_stem(kind: str, day: dt.date) -> str:
    """The enterprise-side stem `<业务编码>_1000_<yyyyMMdd>` of both the XML and the zip."""
    return f"{kind}_{VERSION}_{day:%Y%m%d}"


def zip_name(kind: str, day: dt.date, uscc: str | None = None) -> str:
    """The zip name; with `uscc` the collector's form `<USCC>_<业务编码>_1000_<yyyyMMdd>.zip`."""
    stem = file_stem(kind, day)
    return f"{uscc}_{stem}.zip" if uscc else f"{stem}.zip"


@dataclass
class ZipName:
    """What a collector-side zip name says."""

    uscc: str
    kind: str
    day: dt.date | None


def parse_zip_name(name: str) -> ZipName:
    """The USCC, business code and date of `<USCC>_<业务编码>_1000_<yyyyMMdd>.zip` (§1.3 validFileName)."""
    from soegov.enterprises.uscc import validate_uscc

    base = PurePosixPath(name.replace("\\", "/")).name
    stem = base[:-4] if base.lower().endswith(".zip") else base
    parts = stem.split("_")
    if not base.lower().endswith(".zip") or len(parts) < 4:
        raise _refuse("bad_file_name", f"文件名“{base}”不符合“<统一社会信用代码>_<业务编码>_1000_<yyyyMMdd>.zip”格式",
                      "file_name")
    try:
        uscc = validate_uscc(parts[0], "file_name")
    except InputError as exc:
        raise _refuse("bad_file_name", f"文件名“{base}”第 1 段不是有效的统一社会信用代码：{exc.message}",
                      "file_name") from exc
    if parts[1] not in KIND_LABELS:
        raise _refuse("bad_file_name", f"文件名“{base}”第 2 段业务编码“{parts[1]}”不是 0004、0005 或 0006", "file_name")
    day = None
    # The collector's date check is commented out (§1.3); a wrong date is still kept out of our records.
    if _DATE.match(parts[3]):
        try:
            day = dt.datetime.strptime(parts[3], "%Y%m%d").date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            day = None
    return ZipName(uscc=uscc, kind=parts[1], day=day)


# --- XML ----------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
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
        _sub(root, "legal_flag", _yes(record.legal_flag))
        _sub(root, "remark", record.remark)
        _sub(root, "oper_type", record.oper_type)
    elif isinstance(record, Regulation):
        for tag in ("regulation_id", "regulation_name", "regulation_type_name", "approval_date", "effective_date"):
            _sub(root, tag, getattr(record, tag))
        _sub(root, "audit_flag", _yes(record.audit_flag))
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
            _sub(el, "attend_flag", _yes(a.attend_flag))
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


def _text(el: ET.Element, tag: str, where: str, *, required: bool = True) -> str:
    child = el.find(tag)
    value = (child.text or "").strip() if child is not None else ""
    if required and not value:
        raise _refuse("missing_field", f"{where}缺少 {tag}", tag)
    return value


def _flag(el: ET.Element, tag: str, where: str) -> bool:
    value = _text(el, tag, where)
    if value not in ("是", "否"):
        raise _refuse("bad_flag", f"{where}{tag} 应为“是”或“否”，实为“{value}”", tag)
    return value == "是"


def _oper(root: ET.Element, where: str) -> str:
    value = _text(root, "oper_type", where, required=False)
    if not value:
        raise _refuse("missing_oper_type", f"{where}操作类型oper_type为空", "oper_type")
    if value not in OPER_TYPES:
        raise _refuse("bad_oper_type", f"{where}操作类型oper_type“{value}”应为 add、edit 或 del", "oper_type")
    return value


def from_xml(kind: str, data: bytes, where: str = "") -> Record:
    """The record of a package's XML; PackageError naming the field when it is malformed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _refuse("bad_xml", f"{where}XML 无法解析：{exc}", "xml") from exc
    if root.tag != "tiol":
        raise _refuse("bad_xml", f"{where}XML 根元素应为 <tiol>，实为 <{root.tag}>", "xml")
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
        attendees.append(Attendee(_text(a, "attendee_name", where + "参会人"), present, reason))
    return Meeting(
        meeting_id=_text(root, "meeting_id", where), meeting_name=_text(root, "meeting_name", where),
        meeting_type_name=_text(root, "meeting_type_name", where),
        meeting_time=_text(root, "meeting_time", where), moderator=_text(root, "moderator", where, required=False),
        attendees=attendees, subjects=[_subject(s, where) for s in root.findall("subject_list/subject")],
        oper_type=oper)


def _subject(el: ET.Element, where: str) -> Subject:
    name = _text(el, "subject_name", where)
    w = f"{where}议题“{name}”"
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


# --- zip ----------------------------------------------------------------------------------------


class _GbkInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored in GBK without the UTF-8 flag (what the vendor tools write)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~_EFS_FLAG


def _files(record: Record) -> dict[str, bytes]:
    """The package's files by path inside the zip (without the XML)."""
    out: dict[str, bytes] = {}
    if isinstance(record, Regulation):
        out.update({f"{FORMAL}/{n}": b for n, b in record.formal_files.items()})
        out.update({f"{EVIDENCE}/{n}": b for n, b in record.evidence_files.items()})
    elif isinstance(record, Meeting):
        out.update({f"{MINUTES}/{n}": b for n, b in record.minutes_files.items()})
        out.update({f"{NOTICE}/{n}": b for n, b in record.notice_files.items()})
        for s in record.subjects:
            out.update({f"{s.subject_id}/{OPINIONS}/{n}": b for n, b in s.opinion_files.items()})
            out.update({f"{s.subject_id}/{MATERIALS}/{n}": b for n, b in s.material_files.items()})
    return out


def build_zip(record: Record, day: dt.date, *, entry_encoding: str = "utf-8") -> bytes:
    """The zip of one package: `<stem>.xml` at the root plus the folders of its kind."""
    if entry_encoding not in ("utf-8", "gbk"):
        raise ValueError(entry_encoding)
    buf = io.BytesIO()
    entries = {f"{file_stem(kind_of(record), day)}.xml": to_xml(record), **_files(record)}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = _GbkInfo(name) if entry_encoding == "gbk" else zipfile.ZipInfo(name)
            info.date_time = (day.year, day.month, day.day, 0, 0, 0)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _entry_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _EFS_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded a name without the flag
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


@dataclass
class Package:
    """One read package: its kind, the record and its files."""

    kind: str
    record: Record
    xml: bytes


def read_zip(data: bytes, kind: str, *, name: str = "") -> Package:
    """The package inside a zip: one XML at the root (or in a folder named like the zip) and its folders."""
    label = f"数据包“{name}”" if name else "数据包"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # A zip bomb is refused before anything is inflated.
        if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
            raise _refuse("too_large", f"{label}解压后超过 {MAX_UNZIPPED_BYTES // 1048576} MB，请拆分报送", "file")
        entries = {_entry_name(i): zf.read(i) for i in infos}
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, RuntimeError) as exc:
        raise _refuse("bad_zip", f"{label}不是有效的 zip 文件：{exc}", "file") from exc
    stem = PurePosixPath(name).stem if name else ""
    # §1.3: if the zip holds a folder named like the zip, the files are read from there.
    if stem and entries and all(n.startswith(stem + "/") for n in entries):
        entries = {n[len(stem) + 1:]: b for n, b in entries.items()}
    xmls = [n for n in entries if "/" not in n and n.lower().endswith(".xml")]
    if len(xmls) != 1:
        raise _refuse("bad_zip", f"{label}根目录应有且只有一个 XML 文件，实有 {len(xmls)} 个", "xml")
    where = f"{label}的 {xmls[0]}："
    record = from_xml(kind, entries[xmls[0]], where)
    files = {n: b for n, b in entries.items() if n != xmls[0]}

    def folder(prefix: str) -> dict[str, bytes]:
        return {n[len(prefix):]: b for n, b in files.items() if n.startswith(prefix) and "/" not in n[len(prefix):]}

    if isinstance(record, Regulation):
        record.formal_files = folder(f"{FORMAL}/")
        record.evidence_files = folder(f"{EVIDENCE}/")
        # §2.2: exactly one formal file, except on del.
        if record.oper_type != "del" and len(record.formal_files) != 1:
            raise _refuse("formal_file", f"{label}的“{FORMAL}/”文件夹应有且只有一个制度正式文件，实有 "
                          f"{len(record.formal_files)} 个", FORMAL)
    elif isinstance(record, Meeting):
        record.minutes_files = folder(f"{MINUTES}/")
        record.notice_files = folder(f"{NOTICE}/")
        for s in record.subjects:
            s.opinion_files = folder(f"{s.subject_id}/{OPINIONS}/")
            s.material_files = folder(f"{s.subject_id}/{MATERIALS}/")
        # §2.3: the notice is required unless the type is a board (董事) or "其他" meeting.
        if (record.oper_type != "del" and not record.notice_files
                and "董事" not in record.meeting_type_name and "其他" not in record.meeting_type_name):
            raise _refuse("notice_missing", f"{label}：会议通知文件未找到（“{NOTICE}/”文件夹为空）", NOTICE)
    return Package(kind=kind, record=record, xml=entries[xmls[0]])


# --- JSON (soegov's API form of the same package) -------------------------------------------------


def to_json(record: Record) -> dict[str, Any]:
    """The same package as JSON data: the XML field names, flags as 是/否, files listed by name only."""
    data = asdict(record)
    data["business_type"] = kind_of(record)

    def strip(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: (sorted(v) if k.endswith("_files") else strip(v)) for k, v in obj.items()}
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        if isinstance(obj, tuple):
            return list(obj)
        if isinstance(obj, bool):
            return _yes(obj)
        return obj

    result: dict[str, Any] = strip(data)
    return result


def json_dumps(record: Record) -> str:
    """The JSON form as text."""
    return json.dumps(to_json(record), ensure_ascii=False, indent=2)
