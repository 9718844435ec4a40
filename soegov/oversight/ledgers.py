"""Writes on payment ledgers: the upload, the check against the decisions on record (as a job), the refused
rows and the enterprise's purpose words, dismissing a finding.

Keyword-only, one transaction each, the acting user checked (oversight.gates) and an audit entry inside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.files import content_type, file_path, file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.meetings.models import AgendaItem
from soegov.oversight.gates import INSPECTOR_GATE
from soegov.oversight.models import Finding, FindingStatus, LedgerImport, PurposeMapping, RefusedRow
from soegov.oversight.selectors import ledger_rows
from soegov.user_input import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_type(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a ledger: a UTF-8 CSV, or an .xlsx that opens as one; anything else refused."""
    import filetype

    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime == XLSX:
            return content_type(data, accept={XLSX: "xlsx"}, field="file", label="台账文件")
        raise InputError("type_not_allowed", f"台账文件内容的类型为 {kind.mime}：只接受 UTF-8 编码的 CSV 或 .xlsx", "file",
                         "a ledger is a UTF-8 CSV or an .xlsx file")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not_utf8", "台账 CSV 不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”或直接上传 .xlsx", "file",
                         "the CSV is not UTF-8") from None
    if b"\x00" in data:
        raise InputError("type_not_allowed", "台账文件不是文本 CSV：只接受 UTF-8 编码的 CSV 或 .xlsx", "file",
                         "the file is not a text CSV")
    return "text/csv", "csv"


def system_decisions(enterprise: Enterprise) -> list[dict[str, Any]]:
    """Decisions and filings on record in the system for the ledger check (matters decided or approved)."""
    from soegov.matters.models import Matter

    out = []
    done = ("decided", "submitted", "under_review", "forwarded", "approved", "filed", "implemented")
    for m in Matter.objects.filter(enterprise=enterprise, amount__isnull=False, status__in=done):
        attrs = m.attributes or {}
        when = timezone.localtime(m.decided_at).date() if m.decided_at else m.occurred_on
        out.append({"ref": f"事项{m.pk}", "payee": str(attrs.get("payee") or attrs.get("counterparty") or ""),
                    "contract_id": str(attrs.get("contract_id") or ""), "amount": str(m.amount),
                    "date": when.isoformat()})
    out.extend(_meeting_decisions(enterprise))
    return out


def _meeting_decisions(enterprise: Enterprise) -> list[dict[str, Any]]:
    """Passed meeting items whose topic carries an amount (payee and contract from the topic's matter)."""

    out = []
    qs = AgendaItem.objects.filter(passed=True, topic__amount__isnull=False, meeting__enterprise=enterprise)
    for item in qs.select_related("meeting", "topic", "topic__matter"):
        attrs = (item.topic.matter.attributes if item.topic.matter else None) or {}
        out.append({"ref": f"议题{item.pk}", "payee": str(attrs.get("payee") or attrs.get("counterparty") or ""),
                    "contract_id": str(attrs.get("contract_id") or ""), "amount": str(item.topic.amount),
                    "date": timezone.localtime(item.meeting.held_at).date().isoformat()})
    return out


@INSPECTOR_GATE.on("enterprise")
def ledger_upload(*, actor: Any, enterprise: Enterprise, name: str, data: bytes, window_days: Any = 30,
                  inline: bool = False) -> LedgerImport:
    """Store an enterprise's ledger (CSV/.xlsx) and start its check on the task queue (`inline`: here and now).

    The page returns at once; the check's job shows its progress and its findings are kept with the ledger.
    """
    limit = int(getattr(settings, "SOEGOV_LEDGER_MAX_BYTES", 200 * 1024 * 1024))
    if not data:
        raise InputError("empty_file", "台账文件为空", "file", "the file is empty")
    if len(data) > limit:
        raise InputError("too_large", f"台账文件过大，不能超过 {limit / 1048576:.0f} MB", "file", "the file is too large")
    try:
        window = int(window_days)
    except (TypeError, ValueError):
        window = 0
    if not 1 <= window <= 366:
        raise InputError("invalid_window", "拆分支付的时间窗应为 1 到 366 天", "window_days",
                         "window_days must be a whole number of days from 1 to 366")
    with file_scope(), transaction.atomic():
        stored = file_store(data, check=ledger_type, limit=limit, field="file", label="台账文件")
        ledger = LedgerImport.objects.create(
            enterprise=enterprise, policy=enterprise.jurisdiction.default_policy,
            original_name=(Path(str(name or "")).stem[:200] or "台账") + f".{stored.extension}",
            extension=stored.extension, size=stored.size, sha256=stored.sha256, window_days=window,
            uploaded_by=acting_user(actor))
        audit_record(actor=actor, action="oversight.ledger_upload", obj=ledger,
                     after={"enterprise": enterprise.pk, "sha256": stored.sha256, "size": stored.size,
                            "name": ledger.original_name})
        ledger_check_start(actor=actor, ledger=ledger, inline=inline)
    ledger.refresh_from_db()
    return ledger


LEDGER_CHECK = "oversight.ledger_check"


def ledger_job_target(ledger: LedgerImport) -> str:
    """The job target naming one ledger import (its check jobs are found by it)."""
    return f"oversight.ledgerimport:{ledger.pk}"


@INSPECTOR_GATE.on("ledger.enterprise")
def ledger_check_start(*, actor: Any, ledger: LedgerImport, inline: bool = False) -> Any:
    """Start the check of a ledger on the task queue; a check already queued or running is returned instead."""
    from soegov.jobs.services import job_active, job_start

    target = ledger_job_target(ledger)
    active = job_active(LEDGER_CHECK, target)
    if active is not None:
        return active
    return job_start(actor=actor, kind=LEDGER_CHECK, params={"ledger": ledger.pk}, enterprise=ledger.enterprise,
                     target=target, label=f"台账检查：{ledger.original_name}", inline=inline)


@INSPECTOR_GATE.on("ledger.enterprise")
def ledger_check(*, actor: Any, ledger: LedgerImport, progress: Any = None) -> list[Finding]:
    """(Re)run the check against the decisions now on record; dismissed findings and cases are kept.

    `progress(done, total, stage)` is told how far it is (the job's progress bar). Safe to run twice: a
    second run finds the same findings and keeps them, so a check resumed after a lost worker is exact.
    """
    from soegov.ledger.scan import scan_ledger

    def step(done: int | None, total: int | None, stage: str) -> None:
        if progress is not None:
            progress(done, total, stage)

    ent = ledger.enterprise
    step(0, None, "读取系统中的决策与备案记录")
    decisions = system_decisions(ent)
    size = f"{ledger.size / 1048576:.1f} MB"

    def scanning(done: int, total: int, label: str) -> None:
        step(done, total, f"扫描台账（{size}，DuckDB）：{label}")
    # A split payment is dated by its payments, not by the start of the window the check slid over them,
    # so its period, its month on the dashboard and its text agree (three payments 09-30..10-19, not 09-08..).
    step(0, None, "从文件存储取出台账")
    # The worker reads the ledger from the file store (the S3 bucket when several machines share it). The rows
    # it cannot read are not skipped in silence: each is kept with its reasons (RefusedRow) and shown.
    with file_path(ledger.sha256, suffix=f".{ledger.extension}", what=f"台账“{ledger.original_name}”") as path:
        result = scan_ledger(path, policy=ledger.policy, level=ent.level, ownership=ent.ownership,
                             decisions=decisions, window_days=ledger.window_days, skip_invalid=True,
                             purpose_words=purpose_words(ent), on_stage=scanning)
        step(0, len(result["findings"]), f"保存发现（{int(result['stats'].get('rows', 0))} 行已扫描）")
        split_rows = sorted({int(r) for item in result["findings"] if item["code"] == "split_payment"
                             for r in item["rows"]})
        dates = {r["row"]: r["date"] for r in ledger_rows(ledger, split_rows, path=path)} if split_rows else {}
    for item in result["findings"]:
        days = sorted(dates[int(r)] for r in item["rows"] if int(r) in dates) if item["code"] == "split_payment" else []
        if days:
            item["from"], item["to"] = days[0].isoformat(), days[-1].isoformat()
            item["window_days"] = ledger.window_days
    return _findings_save(actor=actor, ledger=ledger, result=result, decisions=len(decisions), step=step)


def _findings_save(*, actor: Any, ledger: LedgerImport, result: dict[str, Any], decisions: int,
                   step: Any) -> list[Finding]:
    """Store a check's findings (open ones not found again go), refused rows and counts, in one transaction."""
    with transaction.atomic():
        existing = {(f.code, tuple(f.rows)): f for f in ledger.findings.select_for_update()}
        found = []
        seen = set()
        for i, item in enumerate(result["findings"]):
            if i % 500 == 0:
                step(i, len(result["findings"]), "保存发现")
            key = (item["code"], tuple(item["rows"]))
            seen.add(key)
            f = existing.get(key)
            if f is None:
                amount = item.get("total") or item.get("amount")
                day = item.get("from") or item.get("date")
                f = Finding.objects.create(
                    ledger=ledger, enterprise=ledger.enterprise, code=item["code"], rows=list(item["rows"]),
                    citation=str(item.get("citation") or ""), message=item["message"],
                    amount=Decimal(amount) if amount else None,
                    found_on=dt.date.fromisoformat(day[:10]) if day else None, data=item)
            found.append(f)
        stale = [f.pk for k, f in existing.items() if k not in seen and f.status == FindingStatus.OPEN]
        Finding.objects.filter(pk__in=stale).delete()
        ledger.rows = int(result["stats"].get("rows", 0))
        ledger.invalid_rows = int(result["stats"].get("invalid_rows", 0))
        ledger.unknown_purposes = _store_refusals(ledger, result["refused"])
        ledger.decisions_used = decisions
        ledger.checked_at = timezone.now()
        ledger.save()
        audit_record(actor=actor, action="oversight.ledger_check", obj=ledger,
                     after={"findings": len(found), "removed": len(stale), "decisions": decisions})
    return found


def _store_refusals(ledger: LedgerImport, refused: list[dict[str, Any]]) -> dict[str, int]:
    """Keep every refused row of this check with its reasons (the last check's replace the earlier); the unknown
    purpose words with how many rows use each."""
    RefusedRow.objects.filter(ledger=ledger).delete()
    unknown: dict[str, int] = {}
    batch: list[RefusedRow] = []
    for r in refused:
        reasons = [{k: p[k] for k in ("field", "problem", "value", "message")} for p in r["problems"]]
        for p in reasons:
            if p["problem"] == "unknown_purpose" and p["value"]:
                unknown[str(p["value"]).strip()] = unknown.get(str(p["value"]).strip(), 0) + 1
        batch.append(RefusedRow(ledger=ledger, row=int(r["row"]), reasons=reasons))
        if len(batch) >= 5000:
            RefusedRow.objects.bulk_create(batch)
            batch = []
    RefusedRow.objects.bulk_create(batch)
    return dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))


def purpose_words(enterprise: Enterprise) -> dict[str, str]:
    """The enterprise's own purpose words (word -> purpose code) its ledgers are read with."""
    return dict(PurposeMapping.objects.filter(enterprise=enterprise).values_list("word", "purpose"))


@INSPECTOR_GATE.on("enterprise")
def purpose_mapping_save(*, actor: Any, enterprise: Enterprise, mappings: dict[str, str]) -> list[PurposeMapping]:
    """Remember what the enterprise means by purpose words its ledgers use (word -> purpose code); audited.

    A word the ledger reader already knows, or a purpose that is not one of the rules', is refused, naming it.
    """
    from soegov.ledger.columns import PURPOSE_ALIASES, PURPOSE_LABELS, PURPOSES

    cleaned: dict[str, str] = {}
    for word, code in mappings.items():
        w = clean_text(word, "word", "台账中的用途", 50)
        if w in PURPOSE_ALIASES or w.lower() in PURPOSES:
            raise InputError("known_purpose", f"“{w}”已是可识别的用途，无须对应", "word", f"{w!r} is already a purpose")
        if code not in PURPOSES:
            raise InputError("invalid_purpose", f"请选择用途（“{w}”应对应{'、'.join(PURPOSE_LABELS.values())}之一）",
                             "purpose", "choose one of the purposes")
        cleaned[w] = code
    if not cleaned:
        raise InputError("required", "请填写要对应的用途词", "word", "give a word to map")
    saved = []
    with transaction.atomic():
        for w, code in cleaned.items():
            old = PurposeMapping.objects.select_for_update().filter(enterprise=enterprise, word=w).first()
            before = {"purpose": old.purpose} if old else {}
            mapping, _ = PurposeMapping.objects.update_or_create(
                enterprise=enterprise, word=w, defaults={"purpose": code, "created_by": acting_user(actor)})
            audit_record(actor=actor, action="oversight.purpose_mapping", obj=mapping, before=before,
                         after={"enterprise": enterprise.pk, "word": w, "purpose": code})
            saved.append(mapping)
    return saved


@INSPECTOR_GATE.on("finding.enterprise")
def finding_dismiss(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """Dismiss a finding with a reason (e.g. a decision on paper not in the system); audited."""
    reason = clean_text(reason, "reason", "排除理由", 2000)
    with transaction.atomic():
        f = Finding.objects.select_for_update().get(pk=finding.pk)
        if f.status != FindingStatus.OPEN:
            raise TransitionRefused("not_open", f"该发现当前为“{f.get_status_display()}”，不能排除", "status",
                                    "only an open finding may be dismissed")
        before = snapshot(f, ["status", "dismissed_reason"])
        f.status = FindingStatus.DISMISSED
        f.dismissed_reason = reason
        f.dismissed_by = acting_user(actor)
        f.dismissed_at = timezone.now()
        f.save()
        audit_record(actor=actor, action="oversight.finding_dismiss", obj=f, before=before,
                     after=snapshot(f, ["status", "dismissed_reason"]))
    return f
