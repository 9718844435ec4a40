"""Writes of the oversight app: ledger imports and findings, accountability cases, parties and sanctions.

Keyword-only, one transaction each, the acting user checked and an audit entry inside. Case steps lock
the case row and check the version the actor saw, like matters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.files import content_type, file_path, file_scope, file_store
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.models import BodyMember, Enterprise
from soegov.enterprises.permissions import within_jurisdiction
from soegov.meetings import selectors as meeting_selectors
from soegov.meetings.models import AgendaItem
from soegov.oversight import selectors, workflow
from soegov.oversight.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Finding,
    FindingStatus,
    LedgerImport,
    PurposeMapping,
    RefusedRow,
    Responsibility,
    Sanction,
)
from soegov.oversight.selectors import ledger_rows
from soegov.user_input import clean_text, clean_year

CASE_FIELDS = ["status", "version", "violation", "responsibility", "referral", "decision", "decided_at", "appeal",
               "appeal_result", "closed_at"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Only the supervisor's inspector of the enterprise's jurisdiction (None: system/demo loader).
INSPECTOR_GATE = Gate({Role.SUPERVISOR_INSPECTOR}, "只有本辖区的国资监管检查人可以办理", within_jurisdiction,
                      "只有本辖区的国资监管检查人可以办理")






# --- ledger ------------------------------------------------------------------------------------------


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
    from soegov.meetings.models import AgendaItem

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
                    ledger=ledger, enterprise=ent, code=item["code"], rows=list(item["rows"]),
                    citation=str(item.get("citation") or ""), message=item["message"],
                    amount=Decimal(amount) if amount else None,
                    found_on=dt.date.fromisoformat(day[:10]) if day else None, data=item)
            found.append(f)
        stale = [f.pk for k, f in existing.items() if k not in seen and f.status == FindingStatus.OPEN]
        Finding.objects.filter(pk__in=stale).delete()
        ledger.rows = int(result["stats"].get("rows", 0))
        ledger.invalid_rows = int(result["stats"].get("invalid_rows", 0))
        ledger.unknown_purposes = _store_refusals(ledger, result["refused"])
        ledger.decisions_used = len(decisions)
        ledger.checked_at = timezone.now()
        ledger.save()
        audit_record(actor=actor, action="oversight.ledger_check", obj=ledger,
                     after={"findings": len(found), "removed": len(stale), "decisions": len(decisions)})
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


# --- cases -------------------------------------------------------------------------------------------


def _lock(case: Case, version: Any) -> Case:
    locked: Case = lock_current(Case.objects.select_related("enterprise"), case.pk, version, "案件", "case")
    return locked


def _save(case: Case, before: dict[str, Any], *, actor: Any, action: str, note: str = "") -> Case:
    case.version += 1
    case.updated_at = timezone.now()
    case.save()
    CaseEvent.objects.create(case=case, action=action, from_status=before.get("status", ""), to_status=case.status,
                             note=note, actor=acting_user(actor))
    audit_record(actor=actor, action=f"oversight.case_{action}", obj=case, before=before,
                 after=snapshot(case, CASE_FIELDS) | ({"note": note} if note else {}))
    return case


@INSPECTOR_GATE.on("enterprise")
def case_open(*, actor: Any, enterprise: Enterprise, title: str, facts: str, violation: str,
              responsibility: str = Case.INDIVIDUAL, finding: Finding | None = None, matter: Any = None,
              agenda_item_id: int | None = None) -> Case:
    """Open a case by hand or from a finding, naming the violated provision of the enterprise's pack."""
    from soegov.policy.sanctions import sanctions_for

    policy = enterprise.jurisdiction.default_policy
    v = sanctions_for(policy).violation(str(violation or ""))
    if responsibility not in (Case.COLLECTIVE, Case.INDIVIDUAL):
        raise InputError("invalid_responsibility", "请选择集体责任或个人责任", "responsibility", "collective or individual")
    if agenda_item_id is not None and not AgendaItem.objects.filter(
            pk=agenda_item_id, meeting__enterprise=enterprise).exists():
        raise InputError("invalid_agenda_item", f"会议议题 {agenda_item_id} 不存在或不属于所选企业", "agenda_item",
                         "the agenda item is not the enterprise's")
    with transaction.atomic():
        if finding is not None:
            finding = Finding.objects.select_for_update().get(pk=finding.pk)
            if finding.enterprise_id != enterprise.pk:
                raise InputError("wrong_enterprise", "该发现不属于所选企业", "finding", "finding of another enterprise")
            if finding.status == FindingStatus.DISMISSED:
                raise TransitionRefused("dismissed", "该发现已排除，不能据以立案", "finding", "the finding was dismissed")
            existing = selectors.open_case_of(finding)
            if existing is not None:
                raise TransitionRefused(
                    "finding_has_case",
                    f"该发现已立案：{existing.doc_number}“{existing.title}”（{existing.get_status_display()}，"
                    f"/oversight/cases/{existing.pk}/），同一发现不能重复立案", "finding",
                    f"this finding already has an open case: /oversight/cases/{existing.pk}/")
        case = Case.objects.create(
            enterprise=enterprise, policy=policy, title=clean_text(title, "title", "案件名称", 200),
            facts=clean_text(facts, "facts", "违规事实", 10000), violation=v.code,
            citation={"document": v.citation.document, "article": v.citation.article, "item": v.citation.item,
                      "text": v.citation.text},
            responsibility=responsibility, finding=finding, matter=matter, agenda_item_id=agenda_item_id,
            opened_by=acting_user(actor))
        # Numbered in the order cases are opened in the jurisdiction's year, not by row id.
        # The issuing organ's short name leads the number (伊国资委追责〔2026〕3号), as on its 批复.
        from soegov.matters.documents import abbreviation
        from soegov.matters.numbers import next_number

        year = timezone.localdate().year
        n = next_number(f"jurisdiction:{enterprise.jurisdiction_id}", "case", year)
        case.doc_number = f"{abbreviation(enterprise.jurisdiction.supervisor)}追责〔{year}〕{n}号"
        case.save(update_fields=["doc_number"])
        if finding is not None:
            before = snapshot(finding, ["status"])
            finding.status = FindingStatus.CASE
            finding.save(update_fields=["status"])
            audit_record(actor=actor, action="oversight.finding_case", obj=finding, before=before,
                         after={"status": finding.status, "case": case.pk})
        CaseEvent.objects.create(case=case, action="open", to_status=case.status, actor=acting_user(actor),
                                 note=f"违反{v.zh}")
        audit_record(actor=actor, action="oversight.case_open", obj=case, after=snapshot(case, [*CASE_FIELDS, "title", "facts"]))
    return case


def dissent_proof(positions: list[dict[str, Any]], member_id: int) -> dict[str, Any] | None:
    """The minutes' proof that a member dissented (xundian art. 30): voted against with the opinion recorded.

    A secret ballot (无记名投票) proves nobody's dissent: the minutes hold only its tally, never who voted how.
    """
    for p in positions:
        member = p.get("member")
        pk = getattr(member, "pk", member)
        if pk != member_id:
            continue
        if p.get("secret"):
            return None
        if p.get("present") and not p.get("recused") and p.get("vote") == "against" and str(p.get("opinion") or "").strip():
            return {"vote": "against", "opinion": str(p["opinion"]).strip(), "name": p.get("name", "")}
        return None
    return None


def item_positions(agenda_item_id: int) -> list[dict[str, Any]]:
    """Each member's position on a meeting item, from the meetings app's minutes."""
    item = AgendaItem.objects.select_related("meeting").filter(pk=agenda_item_id).first()
    return meeting_selectors.item_positions(item) if item is not None else []


@INSPECTOR_GATE.on("case.enterprise")
def party_add(*, actor: Any, case: Case, version: Any = None, name: str = "", position: str = "",
              responsibility: str = "direct", member: BodyMember | None = None,
              exempt: bool = False, propose_exemption: bool = False) -> CaseParty:
    """Record a responsible person or, on the minutes' proof of dissent only, an exempt member.

    Xundian art. 30 says a recorded dissent *may* exempt (可免除): `exempt` is the case handler's own decision
    on that proof; `propose_exemption` only records the proof as a proposal, left for the handler to grant or
    refuse (exemption_decide), never applied by itself.
    """
    if responsibility not in Responsibility.values:
        raise InputError("invalid_responsibility", "请选择直接责任、主管责任或领导责任", "responsibility", "bad kind")
    if member is not None:
        if member.body.enterprise_id != case.enterprise_id and not case.enterprise.path.startswith(member.body.enterprise.path):
            raise InputError("wrong_enterprise", "该成员不属于本案企业的决策机构", "member", "member of another enterprise")
        name = name or member.name
        # A member picked from the list brings his post on the body, so the case file never reads "杨晓东（）".
        position = str(position or "").strip() or f"{member.body.name}{member.get_role_display()}"
    proof: dict[str, Any] = {}
    if exempt:
        if member is None or case.agenda_item_id is None:
            raise InputError("no_proof", "免除责任须有会议记录证明：请关联会议议题并选择该决策机构成员（寻甸办法第三十条）",
                             "exempt", "exemption needs the minutes: link the agenda item and pick the member")
        found = dissent_proof(item_positions(case.agenda_item_id), member.pk)
        if found is None and any(p.get("secret") for p in item_positions(case.agenda_item_id)):
            raise InputError("secret_ballot",
                             f"该议题以无记名投票表决，会议记录只载明票数，不能据此证明{member.name}表示过异议（寻甸办法第三十条）",
                             "exempt", "a secret ballot records no one's vote: no exemption can be proven from it")
        if found is None:
            raise InputError("no_dissent_recorded",
                             f"会议记录中没有{member.name}在表决时明确表示异议（反对且记录意见）的记载，不能免除责任（寻甸办法第三十条）",
                             "exempt", "no recorded dissent for this member: not exempt (xundian art. 30)")
        proof = found | {"agenda_item": case.agenda_item_id, "status": EXEMPTION_GRANTED}
    elif propose_exemption and member is not None and case.agenda_item_id is not None:
        found = dissent_proof(item_positions(case.agenda_item_id), member.pk)
        if found is not None:
            proof = found | {"agenda_item": case.agenda_item_id, "status": EXEMPTION_PROPOSED}
    with transaction.atomic():
        c = _lock(case, version)
        _check_editable(c)
        party = CaseParty.objects.create(case=c, name=clean_text(name, "name", "姓名", 50),
                                         position=clean_text(position, "position", "职务", 100, required=False),
                                         enterprise=c.enterprise, member=member, responsibility=responsibility,
                                         exempt=bool(exempt), exemption_proof=proof)
        before = snapshot(c, CASE_FIELDS)
        _save(c, before, actor=actor, action="add_party",
              note=f"{party.name}：{'免除责任（会议记录载明表决时反对）' if party.exempt else party.get_responsibility_display()}"
                   + ("；会议记录载明表决时反对，拟免除责任，待办案人员决定" if exemption_pending(party) else ""))
    return party


EXEMPTION_PROPOSED, EXEMPTION_GRANTED, EXEMPTION_REFUSED = "proposed", "granted", "refused"


def exemption_pending(party: CaseParty) -> bool:
    """Whether a recorded dissent was proposed as grounds for exemption and not yet decided (xundian art. 30)."""
    return (party.exemption_proof or {}).get("status") == EXEMPTION_PROPOSED


@INSPECTOR_GATE.on("party.case.enterprise")
def exemption_decide(*, actor: Any, party: CaseParty, grant: Any, reason: str = "", version: Any = None) -> CaseParty:
    """Grant or refuse a proposed exemption (xundian art. 30 "可免除": the case handler decides on the minutes' proof)."""
    if not exemption_pending(party):
        raise InputError("no_exemption_proposed", f"{party.name}没有待决定的免责建议（须有会议记录载明表决时反对）",
                         "case_party", "no exemption was proposed for this party")
    granted = grant is True or str(grant) in ("1", "true", "grant")
    why = clean_text(reason, "reason", "理由", 500, required=not granted)
    if granted and party.sanctions.exists():
        raise InputError("party_sanctioned", f"{party.name}已登记处理，不能再免除责任", "case_party", "the party has a sanction")
    with transaction.atomic():
        c = _lock(party.case, version)
        _check_editable(c)
        before_party = {"exempt": party.exempt, "exemption_proof": dict(party.exemption_proof)}
        party.exempt = granted
        party.exemption_proof = {**party.exemption_proof, "status": EXEMPTION_GRANTED if granted else EXEMPTION_REFUSED,
                                 "decided_by": getattr(acting_user(actor), "username", ""),
                                 "decided_at": timezone.now().isoformat(timespec="seconds"), "reason": why}
        party.save(update_fields=["exempt", "exemption_proof"])
        audit_record(actor=actor, action="oversight.exemption_decide", obj=party, before=before_party,
                     after={"exempt": party.exempt, "exemption_proof": party.exemption_proof})
        before = snapshot(c, CASE_FIELDS)
        _save(c, before, actor=actor, action="exemption_decide",
              note=f"{party.name}：" + ("准予免除责任（寻甸办法第三十条，会议记录载明表决时反对）" if granted
                                        else f"不予免除责任（{why}）"))
    return party


@INSPECTOR_GATE.on("case.enterprise")
def parties_from_item(*, actor: Any, case: Case, version: Any = None) -> list[CaseParty]:
    """Record every voting member of the case's agenda item, each responsible; a recorded dissent is proposed as
    grounds for exemption, for the case handler to decide."""
    if case.agenda_item_id is None:
        raise InputError("no_item", "本案未关联会议议题", "agenda_item", "the case has no agenda item")
    out = []
    version_now = version
    for p in item_positions(case.agenda_item_id):
        member = p.get("member")
        if not isinstance(member, BodyMember) or not p.get("present") or p.get("recused"):
            continue
        if case.parties.filter(member=member).exists():
            continue
        # A recorded dissent is proposed as grounds for exemption; the case handler decides (exemption_decide).
        party = party_add(actor=actor, case=case, version=version_now, member=member, propose_exemption=True,
                          responsibility="leadership" if member.is_principal else "direct",
                          position=member.get_role_display())
        version_now = None
        out.append(party)
    return out


def _check_editable(case: Case) -> None:
    if case.status not in workflow.EDITABLE:
        raise TransitionRefused("not_editable", f"案件当前为“{case.get_status_display()}”，不能再登记当事人或处理",
                                "status", "the case can no longer be changed")


@INSPECTOR_GATE.on("party.case.enterprise")
def sanction_add(*, actor: Any, party: CaseParty, tier: str, year: Any, rate: Any = None, note: str = "",
                 version: Any = None) -> Sanction:
    """Record a sanction; a deduction is its rate times the leader's pay record of the year (xundian art. 32).

    The pay is never typed into the case (issue 13.4): it is read from the pay record the supervisor set, so the
    case and the payroll cannot disagree, and that record is locked against change from then on.
    """
    from soegov.leaders.models import PayRecord
    from soegov.policy.sanctions import deduction, sanctions_for

    case = party.case
    if party.exempt:
        raise InputError("party_exempt", f"{party.name}已凭会议记录免除责任，不能给予处理", "case_party", "the party is exempt")
    if exemption_pending(party):
        raise InputError("exemption_pending", f"{party.name}有待决定的免责建议（会议记录载明表决时反对）：请先决定是否免除责任",
                         "case_party", "decide the proposed exemption first")
    t = sanctions_for(case.policy).tier(str(tier or ""))
    y = clean_year(year)
    with transaction.atomic():
        c = _lock(case, version)
        _check_editable(c)
        record = selectors.pay_record_for(party, y) if t.deducts else None
        if t.deducts and record is None:
            raise InputError("no_pay_record",
                             f"{party.name}{y}年度的薪酬记录尚未登记：扣减按当年薪酬记录的绩效年薪计算（{t.citation.document}第"
                             f"{t.citation.article}条），请国资监管机构先在“企业领导人员 → 薪酬”登记其{y}年度薪酬决定",
                             "year", f"no pay record of {y} for {party.name}: the deduction is computed from it")
        if record is not None:
            record = PayRecord.objects.select_for_update().get(pk=record.pk)
        pay = record.performance_pay if record is not None else Decimal("0")
        tenure = record.tenure_incentive if record is not None else Decimal("0")
        d = deduction(t, performance_pay=pay, tenure_incentive=tenure, rate=rate)
        s = Sanction.objects.create(
            case_party=party, tier=t.code, tier_label=t.zh,
            citation={"document": t.citation.document, "article": t.citation.article},
            year=y, pay_record=record, rate=d.rate, performance_pay=pay, tenure_incentive=tenure,
            performance_pay_deduction=d.performance_pay_deduction, tenure_incentive_deduction=d.tenure_incentive_deduction,
            note=clean_text(note, "note", "说明", 2000, required=False), created_by=acting_user(actor))
        audit_record(actor=actor, action="oversight.sanction_add", obj=s, after=snapshot(s))
        before = snapshot(c, CASE_FIELDS)
        _save(c, before, actor=actor, action="add_sanction",
              note=f"{party.name}：{t.zh}；{y}年扣减绩效年薪 {d.performance_pay_deduction} 元"
                   + (f"、任期激励 {d.tenure_incentive_deduction} 元" if d.tenure_incentive_deduction else ""))
    return s


@INSPECTOR_GATE.on("case.enterprise")
def case_step(*, actor: Any, case: Case, action: str, version: Any = None, note: str = "", referral: str = "",
              decision: str = "") -> Case:
    """Take one step of the case lifecycle (workflow.TRANSITIONS); each step is audited."""
    if action not in workflow.TRANSITIONS:
        raise InputError("invalid_action", f"未知的操作：{action}", "action", f"unknown action {action!r}")
    with transaction.atomic():
        c = _lock(case, version)
        if not workflow.allowed(action, c.status):
            froms = "、".join(CaseStatus(s).label for s in sorted(workflow.TRANSITIONS[action][0]))
            raise TransitionRefused("invalid_transition",
                                    f"案件当前为“{c.get_status_display()}”，不能{workflow.ACTION_LABELS[action]}（仅限：{froms}）",
                                    "status", f"cannot {action} from {c.status}")
        before = snapshot(c, CASE_FIELDS)
        note = clean_text(note, "note", "说明", 5000, required=False)
        if action == "refer":
            from soegov.policy.sanctions import sanctions_for

            codes = {r.code: r for r in sanctions_for(c.policy).referral}
            if referral not in codes:
                raise InputError("invalid_referral", "请选择移送纪检监察机关或司法机关", "referral", "choose a referral")
            c.referral, c.referral_note = referral, note
            note = codes[referral].zh + (f"：{note}" if note else "")
        elif action == "decide":
            c.decision = clean_text(decision, "decision", "处理决定", 10000)
            if not c.parties.exists():
                raise TransitionRefused("no_parties", "请先登记责任人（寻甸办法第三十条：不得以集体责任代替个人责任）",
                                        "parties", "record the responsible persons first")
            c.decided_at = timezone.now()
        elif action == "appeal":
            c.appeal = clean_text(note, "note", "申诉理由", 5000)
        elif action == "review_appeal":
            c.appeal_result = clean_text(note, "note", "复查结果", 5000)
        elif action == "close":
            c.closed_at = timezone.now()
        c.status = workflow.TRANSITIONS[action][1]
        _save(c, before, actor=actor, action=action, note=note)
    return c
