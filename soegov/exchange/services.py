"""Writes of the exchange: an enterprise's regulations, building its packages, and the supervisor's import.

An import is one transaction per zip: a package that breaks any rule is refused with the Chinese
message naming the file and the field, and nothing of it is stored. Every import and export is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import SoegovError
from soegov.core.files import content_type, file_read, file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import in_scope
from soegov.exchange import checks
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.anomalies import recheck_touched
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.error_codes import ExchangeError, PackageError, Where, in_package, package_label
from soegov.exchange.models import (
    ReceivedItem,
    ReceivedMeeting,
    ReceivedPackage,
    ReceivedRegulation,
    ReceivedSubject,
    Regulation,
    SubjectAnomaly,
)
from soegov.exchange.package_xml import from_xml, to_xml
from soegov.exchange.schema import check_schema
from soegov.user_input import clean_date

IMPORTERS = frozenset({Role.SUPERVISOR_REVIEWER})
REGULATION_WRITERS = frozenset({Role.ENTERPRISE_FILER, Role.SECRETARY, Role.ENTERPRISE_LEADER})
CATALOG_LETTERS = {category: letter for letter, category in checks.CATEGORY_OF.items()}
MAX_ZIP_BYTES = 50 * 1024 * 1024
# The words of the import's refusals that several records share.
_WHOLE = {"measure": "", "measure_en": "", "advice": "", "advice_en": ""}
_ADD_ONCE = {"rule": "新增时不得重复", "rule_en": "an add may not repeat it"}
_CHANGE = {"edit": {"change": "修改", "change_en": "change"}, "del": {"change": "删除", "change_en": "delete"},
           "either": {"change": "修改或删除", "change_en": "change or delete"}}


def _in_scope(actor: Any, enterprise: Enterprise) -> bool:
    return actor is None or in_scope(actor, enterprise.pk)


# --- the enterprise's regulations (0005) ------------------------------------------------------------



def regulation_create(*, actor: Any, enterprise: Enterprise, name: str, type_name: str = "议事规则",
                      approval_date: Any, effective_date: Any, audit_flag: bool, rate: str,
                      vote_mode: str, formal_name: str, formal_data: bytes, remark: str = "") -> Regulation:
    """Record a regulation with its formal file (typed by content, as matters attachments are)."""
    if actor is not None and (actor.role not in REGULATION_WRITERS or not _in_scope(actor, enterprise)):
        raise PermissionDenied("只有本企业用户可以登记本企业的制度")
    name = (name or "").strip()
    if not name:
        raise ExchangeError.REQUIRED.error(path="name", what="填写制度名称（如“党委会议事规则”）",
                                           what_en="give the regulation's name")
    if type_name not in checks.REGULATION_TYPES:
        raise ExchangeError.INVALID_TYPE.error(path="type_name", allowed="、".join(checks.REGULATION_TYPES))
    if checks.parse_rate(rate or "") is None:
        raise ExchangeError.INVALID_RATE.error(path="rate")
    if vote_mode not in checks.DEFAULT_DICTIONARIES.vote_modes:
        raise ExchangeError.INVALID_VOTE_MODE.error(path="vote_mode")
    if not formal_data:
        raise ExchangeError.REQUIRED.error(path="formal_file", what="上传制度正式文件（0005 数据包须有且只有一个正式文件）",
                                           what_en="upload the regulation's formal file (a 0005 package holds exactly one)")
    content_type(formal_data, field="formal_file", label="制度正式文件")
    approval = clean_date(approval_date, "approval_date", "审批日期")
    effective = clean_date(effective_date, "effective_date", "生效日期")
    if effective < approval:
        raise ExchangeError.INVALID_DATE.error(path="effective_date")
    with file_scope(), transaction.atomic():
        stored = file_store(formal_data, field="formal_file", label="制度正式文件")
        ext, sha, mime = stored.extension, stored.sha256, stored.content_type
        reg = Regulation.objects.create(
            enterprise=enterprise, name=name[:200], type_name=type_name, approval_date=approval,
            effective_date=effective, audit_flag=bool(audit_flag), rate=rate.strip(),
            vote_modes=[{"item_code": checks.DEFAULT_ITEM, "vote_mode": vote_mode}], remark=remark[:200],
            formal_name=f"{(formal_name or name).rsplit('.', 1)[0][:150]}.{ext}", formal_sha256=sha, formal_type=mime,
            created_by=acting_user(actor))
        audit_record(actor=actor, action=ExchangeAction.REGULATION_CREATE, obj=reg, after=snapshot(reg))
    return reg


def read_file(sha: str) -> bytes:
    """The stored bytes of a hash, checked against it (empty when there is none)."""
    try:
        return file_read(sha) if sha else b""
    except FileNotFoundError:
        return b""


# --- building packages -------------------------------------------------------------------------------


def decision_items(enterprise: Enterprise) -> list[rec.Item]:
    """The 0004 items of an enterprise: its own decision list (filed, else the latest draft, of the meetings
    app), or, before it has one, the list its jurisdiction's pack lays down."""
    from soegov.meetings.decision_lists import current_list, list_policy, pack_entries

    dlist = current_list(enterprise)
    entries: list[dict[str, Any]] = list(dlist.entries) if dlist and dlist.entries else []
    if not entries:
        policy = list_policy(enterprise)
        entries = pack_entries(policy)[1] if policy else []
    items: list[rec.Item] = []
    counters: dict[str, int] = {}
    for entry in entries:
        bodies = entry.get("enterprise_bodies") or entry.get("bodies") or []
        if entry.get("decision", "collective_decision") != "collective_decision" or not bodies:
            continue
        letter = CATALOG_LETTERS.get(entry.get("category") or "", "D")
        counters[letter] = counters.get(letter, 0) + 1
        cite = entry.get("citation") or {}
        threshold = entry.get("threshold")
        items.append(rec.Item(
            item_id=f"{enterprise.uscc}-{entry.get('rule', counters[letter])}", item_code=f"{letter}01-{counters[letter]:03d}",
            item_name="、".join(t["label"] for t in entry.get("types") or [])[:200] or str(entry.get("rule")),
            meetings=[checks.BODY_KIND_TYPES.get(b, b) for b in bodies],
            # xundian art. 11 (二) 1: a collective decision's materials include the legality review.
            legal_flag=True,
            remark=(f"{entry.get('condition') or ''}{f'（本企业标准：{threshold} 元起）' if threshold else ''}"
                    f"（{cite.get('doc')} 第{cite.get('article')}条）")[:80]))
    return items


@transaction.atomic
def items_export(*, actor: Any, enterprise: Enterprise, day: dt.date | None = None) -> list[tuple[str, bytes, rec.Item]]:
    """The 0004 packages to send now, one per item: `add` for an item never exported, `edit` for one already
    sent (so the collector updates it instead of refusing a duplicate), `del` for one sent before that has
    left the list. What was exported is recorded per item (ExportedItem)."""
    from soegov.exchange.models import ExportedItem

    sent = {e.sid: e for e in ExportedItem.objects.select_for_update().filter(enterprise=enterprise)}
    out: list[tuple[str, bytes, rec.Item]] = []
    now = timezone.now()
    current = decision_items(enterprise)
    for item in current:
        before = sent.get(item.item_id)
        item.oper_type = "edit" if before is not None and before.active else "add"
        name, data = export_zip(actor=actor, enterprise=enterprise, record=item, day=day)
        out.append((name, data, item))
        ExportedItem.objects.update_or_create(enterprise=enterprise, sid=item.item_id, defaults={
            "code": item.item_code, "name": item.item_name[:200], "meetings": item.meetings,
            "legal_flag": item.legal_flag, "active": True, "exported_at": now})
    keep = {i.item_id for i in current}
    for sid, gone in sent.items():
        if sid in keep or not gone.active:
            continue
        record = rec.Item(item_id=sid, item_name=gone.name, item_code=gone.code, meetings=list(gone.meetings),
                        legal_flag=gone.legal_flag, oper_type="del")
        name, data = export_zip(actor=actor, enterprise=enterprise, record=record, day=day)
        out.append((name, data, record))
        gone.active, gone.exported_at = False, now
        gone.save(update_fields=["active", "exported_at"])
    return out


def regulation_package(reg: Regulation) -> rec.Regulation:
    """The 0005 record of a stored regulation with its formal file."""
    return rec.Regulation(
        regulation_id=reg.sid, regulation_name=reg.name, regulation_type_name=reg.type_name,
        approval_date=reg.approval_date.isoformat(), effective_date=reg.effective_date.isoformat(),
        audit_flag=reg.audit_flag, rate=reg.rate,
        vote_modes=[rec.VoteMode(v["item_code"], v["vote_mode"]) for v in reg.vote_modes], remark=reg.remark,
        oper_type="add" if reg.active else "del",
        formal_files={reg.formal_name: read_file(reg.formal_sha256)} if reg.formal_sha256 else {})


def export_zip(*, actor: Any, enterprise: Enterprise, record: rec.Record, day: dt.date | None = None,
               entry_encoding: str = "utf-8") -> tuple[str, bytes]:
    """The collector-form zip (`<USCC>_<code>_1000_<yyyyMMdd>.zip`) of one record, schema-checked and audited."""
    if actor is not None and not _in_scope(actor, enterprise):
        raise PermissionDenied("该企业不在您的范围内")
    day = day or timezone.localdate()
    check_schema(rec.kind_of(record), to_xml(record), Where("导出的数据包", "the exported package "))
    data = p.build_zip(record, day, entry_encoding=entry_encoding)
    name = rec.zip_name(rec.kind_of(record), day, enterprise.uscc)
    audit_record(actor=actor, action=ExchangeAction.EXPORT, obj=enterprise,
                 after={"file": name, "kind": rec.kind_of(record), "sha256": hashlib.sha256(data).hexdigest()})
    return name, data


# --- the supervisor's import -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What one zip of an import came to."""

    file_name: str
    ok: bool
    message: str
    package: ReceivedPackage | None = None
    anomalies: int = 0


def import_packages(*, actor: Any, files: Iterable[tuple[str, bytes]]) -> list[ImportResult]:
    """Import many zips, items before regulations before meetings (each refers to the former), each on its own."""
    return [_import_one(actor, name, data) for name, data in _import_order(_unbundle(files))]


IMPORT = "exchange.import"


def import_start(*, actor: Any, files: Iterable[tuple[str, bytes]]) -> Any:
    """Keep the uploaded zips in the file storage and import them on the task queue; returns the job at once."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from soegov.jobs.services import job_start

    if actor is not None and actor.role not in IMPORTERS:
        raise PermissionDenied("只有国资监管审核人可以接收企业报送的数据包")
    files = list(files)
    if not files:
        raise ExchangeError.REQUIRED.error(path="files", what="选择要导入的数据包（.zip）", what_en="choose the packages (.zip) to import")
    if any(len(data) > MAX_ZIP_BYTES for _, data in files):
        raise ExchangeError.TOO_LARGE.error(path="files", mb=MAX_ZIP_BYTES // 1048576, **_WHOLE, **package_label("").fields())
    store = storages["default"]
    batch = uuid.uuid4().hex
    kept = []
    for i, (name, data) in enumerate(files):
        base = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:150] or f"{i}.zip"
        kept.append([base, store.save(f"exchange/imports/{batch}/{i:03d}.zip", ContentFile(data))])
    return job_start(actor=actor, kind=IMPORT, params={"files": kept},
                     label=f"导入数据包（{len(kept)} 个文件）")


def import_stored(*, actor: Any, files: list[list[str]], since: Any, progress: Any = None) -> list[ImportResult]:
    """The queue's side of `import_start`: import the kept zips (a zip this job already stored is not stored
    twice when a lost worker's job runs again), then delete them from the storage."""
    from django.core.files.storage import storages

    store = storages["default"]
    loaded: list[tuple[str, bytes]] = []
    for i, (name, key) in enumerate(files):
        if progress is not None:
            progress(i, len(files), f"读取数据包 {name}")
        with store.open(key, "rb") as fh:
            loaded.append((name, fh.read()))
    done = set(ReceivedPackage.objects.filter(received_by=acting_user(actor), received_at__gte=since)
               .values_list("sha256", "file_name"))
    results: list[ImportResult] = []
    ordered = _import_order(_unbundle(loaded))
    for i, (name, data) in enumerate(ordered):
        if progress is not None:
            progress(i, len(ordered), f"校验并导入 {name}")
        file_name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
        if (hashlib.sha256(data).hexdigest(), file_name) in done:
            results.append(ImportResult(name, True, "已接收（本次导入中断前已入库）"))
            continue
        results.append(_import_one(actor, name, data))
    for _, key in files:
        store.delete(key)
    return results


def _import_order(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Items before regulations before meetings (each refers to the former), then by name."""
    order = {rec.ITEM: 0, rec.REGULATION: 1, rec.MEETING: 2}

    def key(f: tuple[str, bytes]) -> tuple[int, str]:
        parts = f[0].rsplit("/", 1)[-1].split("_")
        return (order.get(parts[1], 9) if len(parts) > 1 else 9, f[0])

    return sorted(files, key=key)


def _import_one(actor: Any, name: str, data: bytes) -> ImportResult:
    try:
        pkg, found = import_package(actor=actor, name=name, data=data)
    except SoegovError as exc:
        return ImportResult(name, False, exc.message)
    return ImportResult(name, True, applied_text(pkg), pkg, found)


def applied_text(pkg: ReceivedPackage) -> str:
    """What importing the package did, in a line: its kind, the operation applied and the record it applied to."""
    from soegov.exchange.models import OPER_LABELS

    what = rec.KIND_LABELS[pkg.kind]
    if pkg.kind == rec.ITEM:
        item = ReceivedItem.objects.filter(package=pkg).first()
        sent = from_xml(pkg.kind, pkg.xml.encode("utf-8")).oper_type  # as the enterprise sent it
        label = f"事项 {item.code} {item.name}" if item else "事项"
        if sent == "add" and pkg.oper_type == "edit":
            return f"已接收（{what}）：{label} 此前已入库，重复报送按修改处理"
        return f"已接收（{what}）：{OPER_LABELS.get(pkg.oper_type, pkg.oper_type)}{label}"
    return f"已接收（{what}，{OPER_LABELS.get(pkg.oper_type, pkg.oper_type)}）"


# A batch's outcome: every package applied, some, or none; with the page's HTTP status for each.
OUTCOMES = {"applied": 200, "partial": 207, "refused": 400, "empty": 200}


def batch_outcome(oks: list[bool]) -> tuple[str, str]:
    """(outcome code, the sentence that states it) of a batch whose packages were each applied (True) or not."""
    n, ok = len(oks), sum(1 for x in oks if x)
    if n == 0:
        return "empty", "没有可导入的数据包"
    if ok == n:
        return "applied", f"全部接收：{n} 个数据包均已入库"
    if ok == 0:
        return "refused", f"全部退回：{n} 个数据包均未入库"
    return "partial", f"部分接收：已接收 {ok} 个，退回 {n - ok} 个（共 {n} 个）；退回的数据包未入库，其余已入库"


def _unbundle(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Zips as uploaded, with a bundle of packages (a zip holding only zips, as the 0004 download) opened."""
    import io
    import zipfile

    out: list[tuple[str, bytes]] = []
    for name, data in files:
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            inner = [i for i in zf.infolist() if not i.is_dir()]
            if inner and all(i.filename.lower().endswith(".zip") for i in inner) and sum(
                    i.file_size for i in inner) <= MAX_ZIP_BYTES:
                out += [(i.filename.rsplit("/", 1)[-1], zf.read(i)) for i in inner]
                continue
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            pass
        out.append((name, data))
    return out


def import_package(*, actor: Any, name: str, data: bytes) -> tuple[ReceivedPackage, int]:
    """Validate and store one zip; returns the package and the number of anomalies found. All or nothing."""
    if actor is not None and actor.role not in IMPORTERS:
        raise PermissionDenied("只有国资监管审核人可以接收企业报送的数据包")
    file_name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    if len(data) > MAX_ZIP_BYTES:
        raise ExchangeError.TOO_LARGE.error(path="file", mb=MAX_ZIP_BYTES // 1048576, **_WHOLE,
                                            **package_label(file_name).fields())
    zn = rec.parse_zip_name(file_name)
    enterprise = Enterprise.objects.filter(uscc=zn.uscc).select_related("jurisdiction").first()
    if enterprise is None or (actor is not None and actor.role in ENTERPRISE_ROLES) or not _in_scope(actor, enterprise):
        raise ExchangeError.UNKNOWN_ENTERPRISE.error(path="file_name", file=file_name, uscc=zn.uscc)
    package = p.read_zip(data, zn.kind, name=file_name)
    check_schema(zn.kind, package.xml, package_label(file_name).then("的 XML ", ", its XML "))
    with file_scope(), transaction.atomic():
        kept = file_store(data, accept=None, limit=MAX_ZIP_BYTES, field="files", label=file_name)
        record = package.record
        active_items = set(ReceivedItem.objects.filter(enterprise=enterprise, active=True).values_list("code", flat=True))
        stored = _stored_subjects(enterprise)
        try:
            checks.validate(record, active_items=active_items, stored_subjects=stored)
        except PackageError as exc:
            raise in_package(exc, file_name) from exc
        received = ReceivedPackage.objects.create(
            enterprise=enterprise, kind=zn.kind, file_name=file_name, sha256=kept.sha256,
            size=len(data), oper_type=record.oper_type, xml=package.xml.decode("utf-8", "replace"),
            received_by=acting_user(actor))
        found = 0
        if isinstance(record, rec.Item):
            applied = _store_item(received, record, file_name)
            if applied != record.oper_type:
                # The list of received packages shows what was done; the XML kept beside it, what was sent.
                received.oper_type = applied
                received.save(update_fields=["oper_type"])
            # The meetings citing the item (under any code it had) are judged again by what is stored now.
            recheck_touched(enterprise, codes=ReceivedItem.objects.filter(
                enterprise=enterprise, sid=record.item_id).values_list("code", flat=True))
        elif isinstance(record, rec.Regulation):
            _store_regulation(received, record, file_name)
            recheck_touched(enterprise, every=True)
        else:
            found = _store_meeting(received, record, file_name)
        audit_record(actor=actor, action=ExchangeAction.IMPORT, obj=received,
                     after={"file": file_name, "kind": zn.kind, "enterprise": enterprise.uscc,
                            "oper_type": record.oper_type, "applied": received.oper_type, "sha256": received.sha256,
                            "anomalies": found})
    return received, found


def _stored_subjects(enterprise: Enterprise) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for meeting_name, subject_name in ReceivedSubject.objects.filter(
            meeting__enterprise=enterprise, meeting__active=True, active=True).values_list("meeting__name", "name"):
        out.setdefault(meeting_name, set()).add(subject_name)
    return out


def _store_item(pkg: ReceivedPackage, item: rec.Item, file_name: str) -> str:
    """Store one 事项; returns the operation applied. An `add` of an item already stored under its own item_id is
    that item sent again (README: re-sent items go as 修改), so it is applied as an edit and said so; an add of
    another item under a code in use is still a duplicate."""
    same = ReceivedItem.objects.select_for_update().filter(enterprise=pkg.enterprise, active=True)
    applied = item.oper_type
    if item.oper_type == "add" and same.filter(sid=item.item_id).exists():
        applied = "edit"
    if applied == "add":
        if same.filter(code=item.item_code).exists():
            raise ExchangeError.DUPLICATE.error(path="item_code", file=file_name, record=f"事项编码 {item.item_code} ",
                                                record_en=f"item code {item.item_code}", **_ADD_ONCE)
    else:
        old = same.filter(sid=item.item_id)
        if not old.exists():
            raise ExchangeError.NOT_FOUND.error(path="item_id", file=file_name, record="事项", record_en="item",
                                                sid=item.item_id, **_CHANGE[item.oper_type])
        old.update(active=False)
        if item.oper_type == "del":
            return applied
    ReceivedItem.objects.create(package=pkg, enterprise=pkg.enterprise, sid=item.item_id, code=item.item_code,
                                name=item.item_name[:200], meetings=item.meetings, legal_flag=item.legal_flag,
                                remark=item.remark[:200])
    return applied


def _store_regulation(pkg: ReceivedPackage, reg: rec.Regulation, file_name: str) -> None:
    same = ReceivedRegulation.objects.select_for_update().filter(enterprise=pkg.enterprise, active=True)
    if reg.oper_type == "add":
        # The regulation id is the key (a renamed rule under the same id is a change, sent as edit): two active
        # rows of one id would leave the meetings' checks reading either.
        if same.filter(sid=reg.regulation_id).exists():
            raise ExchangeError.DUPLICATE.error(path="regulation_id", file=file_name, record=f"制度“{reg.regulation_name}”",
                                                record_en=f"regulation “{reg.regulation_name}”", **_ADD_ONCE)
    else:
        old = same.filter(sid=reg.regulation_id)
        if not old.exists():
            raise ExchangeError.NOT_FOUND.error(path="regulation_id", file=file_name, record="制度", record_en="regulation",
                                                sid=reg.regulation_id, **_CHANGE["either"])
        old.update(active=False)
        if reg.oper_type == "del":
            return
    ReceivedRegulation.objects.create(
        package=pkg, enterprise=pkg.enterprise, sid=reg.regulation_id, name=reg.regulation_name[:200],
        type_name=reg.regulation_type_name, approval_date=reg.approval_date[:20], effective_date=reg.effective_date[:20],
        audit_flag=reg.audit_flag, rate=reg.rate[:10],
        vote_modes=[{"item_code": v.item_code, "vote_mode": v.vote_mode} for v in reg.vote_modes],
        files=[f"{rec.FORMAL}/{n}" for n in reg.formal_files] + [f"{rec.EVIDENCE}/{n}" for n in reg.evidence_files])


def _store_meeting(pkg: ReceivedPackage, m: rec.Meeting, file_name: str) -> int:
    same = ReceivedMeeting.objects.select_for_update().filter(enterprise=pkg.enterprise, active=True)
    names: set[str] = set()
    if m.oper_type == "add":
        if same.filter(meeting_time=m.meeting_time, name=m.meeting_name).exists():
            raise ExchangeError.DUPLICATE.error(
                path="meeting_name", file=file_name, record=f"{m.meeting_time}“{m.meeting_name}”",
                record_en=f"meeting “{m.meeting_name}” of {m.meeting_time}", rule="同日同名会议不得重复新增",
                rule_en="a meeting of the same name and day is added once")
    else:
        old = same.filter(sid=m.meeting_id)
        if not old.exists():
            raise ExchangeError.NOT_FOUND.error(path="meeting_id", file=file_name, record="会议", record_en="meeting",
                                                sid=m.meeting_id, **_CHANGE["either"])
        # The meetings related to the retired one (a pre-study it settled, or that settled it) are judged again.
        names = set(old.values_list("name", flat=True)) | {r[0] for rels in ReceivedSubject.objects.filter(
            meeting__in=old, active=True).values_list("relations", flat=True) for r in rels}
        ReceivedSubject.objects.filter(meeting__in=old).update(active=False)
        old.update(active=False)
        if m.oper_type == "del":
            recheck_touched(pkg.enterprise, names=names)
            return 0
    meeting = ReceivedMeeting.objects.create(
        package=pkg, enterprise=pkg.enterprise, sid=m.meeting_id, name=m.meeting_name[:200],
        type_name=m.meeting_type_name[:40], meeting_time=m.meeting_time[:20], moderator=m.moderator[:50],
        attendees=[{"name": a.attendee_name, "present": a.attend_flag, "reason": a.reason} for a in m.attendees],
        files=[f"{rec.MINUTES}/{n}" for n in m.minutes_files] + [f"{rec.NOTICE}/{n}" for n in m.notice_files])
    for s in m.subjects:
        ReceivedSubject.objects.create(
            meeting=meeting, sid=s.subject_id, name=s.subject_name[:200], item_codes=s.item_codes,
            pass_flag=s.pass_flag, approval_flag=s.approval_flag, adopt_flag=s.adopt_flag,
            source_name=s.source_name[:40], special_name=s.special_name[:40], result=s.subject_result,
            attendances=[list(a) for a in s.attendances], deliberations=[list(d) for d in s.deliberations],
            relations=[list(r) for r in s.relations],
            files=[f"{rec.OPINIONS}/{n}" for n in s.opinion_files] + [f"{rec.MATERIALS}/{n}" for n in s.material_files])
    # This meeting, and those it is related to either way (a later decision may settle an earlier pre-study's
    # finding, §4.2 type 3), are judged by what is stored now.
    recheck_touched(pkg.enterprise, names={m.meeting_name} | (names if m.oper_type == "edit" else set()))
    return SubjectAnomaly.objects.filter(subject__meeting=meeting).count()
