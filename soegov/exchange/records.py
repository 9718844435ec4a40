"""The national "三重一大" exchange records (0004 事项清单 / 0005 有关制度 / 0006 会议决策) and their file names.

Plain Python, no Django: docs/exchange.md describes the fields (after SASAC-EXCHANGE.md §1–§2). The XML form
is in `package_xml`, the zip form in `packages`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from soegov.core.errors import InputError
from soegov.enterprises.uscc import validate_uscc
from soegov.exchange.error_codes import ExchangeError

VERSION = "1000"
API_CODE = "SZ01"
ITEM, REGULATION, MEETING = "0004", "0005", "0006"
KIND_LABELS = {ITEM: "事项清单", REGULATION: "有关制度", MEETING: "会议决策"}
OPER_TYPES = ("add", "edit", "del")
# Folder names inside the zips (SASAC-EXCHANGE.md §1.2).
FORMAL, EVIDENCE = "正式文件", "佐证材料"
MINUTES, NOTICE = "会议纪要", "会议通知"
OPINIONS, MATERIALS = "听取意见", "议题材料"
_DATE = re.compile(r"^\d{8}$")



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


def own_meeting_id(uscc: str, meeting_pk: int) -> str:
    """The 0006 meeting_id of a soegov meeting (its subjects' ids are its agenda items' ids)."""
    return f"{uscc}-M{meeting_pk}"


def kind_of(record: Record) -> str:
    """The business code of a record."""
    return {Item: ITEM, Regulation: REGULATION, Meeting: MEETING}[type(record)]



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
    base = PurePosixPath(name.replace("\\", "/")).name
    stem = base[:-4] if base.lower().endswith(".zip") else base
    parts = stem.split("_")
    if not base.lower().endswith(".zip") or len(parts) < 4:
        raise ExchangeError.BAD_FILE_NAME.error(
            path="file_name", name=base, problem="不符合“<统一社会信用代码>_<业务编码>_1000_<yyyyMMdd>.zip”格式",
            problem_en="does not read “<USCC>_<business code>_1000_<yyyyMMdd>.zip”")
    try:
        uscc = validate_uscc(parts[0], "file_name")
    except InputError as exc:
        raise ExchangeError.BAD_FILE_NAME.error(
            path="file_name", name=base, problem=f"第 1 段不是有效的统一社会信用代码：{exc.message}",
            problem_en=f"does not begin with a valid unified social credit code: {exc.message_en}") from exc
    if parts[1] not in KIND_LABELS:
        raise ExchangeError.BAD_FILE_NAME.error(
            path="file_name", name=base, problem=f"第 2 段业务编码“{parts[1]}”不是 0004、0005 或 0006",
            problem_en=f"has business code “{parts[1]}” in its 2nd part, not 0004, 0005 or 0006")
    day = None
    # The collector's date check is commented out (§1.3); a wrong date is still kept out of our records.
    if _DATE.match(parts[3]):
        try:
            day = dt.datetime.strptime(parts[3], "%Y%m%d").date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            day = None
    return ZipName(uscc=uscc, kind=parts[1], day=day)

