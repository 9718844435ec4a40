"""Writes of the enterprise's side of the exchange: its regulations (0005) and building its packages (0004,
0005, 0006) as zips. Every export is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.files import content_type, file_read, file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import in_scope
from soegov.exchange import checks
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.error_codes import ExchangeError, Where
from soegov.exchange.models import ReceivedRegulation, Regulation
from soegov.exchange.package_xml import to_xml
from soegov.exchange.schema import check_schema
from soegov.user_input import clean_date

REGULATION_WRITERS = frozenset({Role.ENTERPRISE_FILER, Role.SECRETARY, Role.ENTERPRISE_LEADER})
CATALOG_LETTERS = {category: letter for letter, category in checks.CATEGORY_OF.items()}


def _in_scope(actor: Any, enterprise: Enterprise) -> bool:
    return actor is None or in_scope(actor, enterprise.pk)


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


def regulation_download(*, actor: Any, reg: Regulation) -> tuple[str, bytes]:
    """The 0005 zip a person downloads to report by hand: 修改 (edit) where the supervisor already holds this
    regulation (an active received row of its id), as a re-sent 0004 item goes, so sending it again is applied
    instead of refused as a duplicate; 新增 otherwise, 删除 once withdrawn."""
    package = regulation_package(reg)
    if package.oper_type == "add" and ReceivedRegulation.objects.filter(enterprise=reg.enterprise, sid=reg.sid,
                                                                        active=True).exists():
        package.oper_type = "edit"
    return export_zip(actor=actor, enterprise=reg.enterprise, record=package)


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
