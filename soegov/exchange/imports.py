"""The supervisor's import of packages: unbundling, the order, every §4.1 check, storing what a package says.

An import is one transaction per zip: a package that breaks any rule is refused with the Chinese
message naming the file and the field, and nothing of it is stored. Every import is audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record
from soegov.core.errors import SoegovError
from soegov.core.files import file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import in_scope
from soegov.exchange import checks
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.anomalies import recheck_touched
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.error_codes import ExchangeError, PackageError, in_package, package_label
from soegov.exchange.models import (
    ReceivedItem,
    ReceivedMeeting,
    ReceivedPackage,
    ReceivedRegulation,
    ReceivedSubject,
    SubjectAnomaly,
)
from soegov.exchange.package_xml import from_xml
from soegov.exchange.schema import check_schema

IMPORTERS = frozenset({Role.SUPERVISOR_REVIEWER})
MAX_ZIP_BYTES = 50 * 1024 * 1024
# The words of the import's refusals that several records share.
_WHOLE = {"measure": "", "measure_en": "", "advice": "", "advice_en": ""}
_ADD_ONCE = {"rule": "新增时不得重复", "rule_en": "an add may not repeat it"}
_CHANGE = {"edit": {"change": "修改", "change_en": "change"}, "del": {"change": "删除", "change_en": "delete"},
           "either": {"change": "修改或删除", "change_en": "change or delete"}}


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
    if enterprise is None or (actor is not None and actor.role in ENTERPRISE_ROLES) or (actor is not None and not in_scope(actor, enterprise.pk)):
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
