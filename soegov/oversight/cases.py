"""Writes on accountability cases: opening one, its parties (from an agenda item's dissent proof too), exemptions,
sanctions and the case's steps.

Keyword-only, one transaction each, the acting user checked (oversight.gates) and an audit entry inside. Case steps lock the case row and check the version the actor saw,
like matters.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.locking import lock_current
from soegov.enterprises.models import BodyMember, Enterprise
from soegov.meetings import selectors as meeting_selectors
from soegov.meetings.models import AgendaItem
from soegov.oversight import selectors, workflow
from soegov.oversight.gates import INSPECTOR_GATE
from soegov.oversight.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Finding,
    FindingStatus,
    Responsibility,
    Sanction,
)
from soegov.user_input import clean_text, clean_year

CASE_FIELDS = ["status", "version", "violation", "responsibility", "referral", "decision", "decided_at", "appeal",
               "appeal_result", "closed_at"]


def case_lock(case: Case, version: Any) -> Case:
    """The case re-read under a row lock; refused when the actor saw an older version."""
    locked: Case = lock_current(Case.objects.select_related("enterprise"), case.pk, version, "案件", "case")
    return locked


def case_save(case: Case, before: dict[str, Any], *, actor: Any, action: str, note: str = "") -> Case:
    """Raise the case's version, save it and write its event and audit entry (inside the caller's transaction)."""
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
        c = case_lock(case, version)
        _check_editable(c)
        party = CaseParty.objects.create(case=c, name=clean_text(name, "name", "姓名", 50),
                                         position=clean_text(position, "position", "职务", 100, required=False),
                                         enterprise=c.enterprise, member=member, responsibility=responsibility,
                                         exempt=bool(exempt), exemption_proof=proof)
        before = snapshot(c, CASE_FIELDS)
        case_save(c, before, actor=actor, action="add_party",
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
        c = case_lock(party.case, version)
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
        case_save(c, before, actor=actor, action="exemption_decide",
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
        c = case_lock(case, version)
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
        case_save(c, before, actor=actor, action="add_sanction",
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
        c = case_lock(case, version)
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
        case_save(c, before, actor=actor, action=action, note=note)
    return c
