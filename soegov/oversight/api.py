"""REST endpoints of the oversight app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from soegov.accounts.roles import SUPERVISOR_ROLES
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES, Year
from soegov.oversight import cases as oversight_cases
from soegov.oversight import dashboard as oversight_dashboard
from soegov.oversight import events, inspections, ledgers, selectors
from soegov.oversight.schemas import (
    AnswersIn,
    CaseIn,
    CaseOut,
    DismissIn,
    EventIn,
    EventOut,
    ExemptionIn,
    FindingOut,
    InspectionIn,
    InspectionOut,
    KindOut,
    LedgerOut,
    LedgerStartedOut,
    PartyIn,
    PartyOut,
    PurposeMappingIn,
    RefusedRowOut,
    ReviewIn,
    RowOut,
    SanctionIn,
    SanctionOut,
    StepIn,
)

router = Router(tags=["监督追责"])


def _supervisor(request: HttpRequest) -> Any:
    user = request.auth
    if user.role not in SUPERVISOR_ROLES:
        raise PermissionDenied("只有国资监管人员可以访问监督追责数据")
    return user


@router.get("/oversight/dashboard", response=list[KindOut], summary="监督看板：各类问题合计（每项可取明细）")
def dashboard(request: HttpRequest) -> Any:
    """Each figure of the dashboard with its count."""
    totals = oversight_dashboard.figure_totals(user=_supervisor(request))
    return [{"kind": k, "label": label, "cite": cite, "count": n} for k, label, cite, n in totals]


@router.get("/oversight/rows/{kind}", response={200: list[RowOut], **ERROR_RESPONSES}, summary="看板数字背后的记录")
def rows(request: HttpRequest, kind: str, enterprise_id: int | None = None) -> Any:
    """The rows behind one figure."""
    items = oversight_dashboard.rows(user=_supervisor(request), kind=kind, enterprise_id=enterprise_id)
    return [r | {"enterprise_id": r["enterprise"].pk, "enterprise_name": r["enterprise"].name} for r in items]


@router.get("/oversight/ledgers", response=list[LedgerOut], summary="已导入的台账", openapi_extra=PAGE_HEADERS_DOC)
def ledger_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams]) -> Any:
    """Ledger imports in scope."""
    return api_page(request, response, selectors.ledger_list(user=_supervisor(request)), paging)


@router.post("/oversight/ledgers", response={202: LedgerStartedOut, **ERROR_RESPONSES},
             summary="导入企业台账（CSV/.xlsx）并在后台检查：轮询 /api/v1/jobs/{job.id}，完成后按 ledger_id 取发现")
def ledger_upload(request: HttpRequest, enterprise_id: Form[int], file: File[UploadedFile],
                  window_days: Form[int] = 30) -> Any:
    """Store the ledger and start its check on the task queue; returns at once with the job to poll."""
    from soegov.enterprises.selectors import enterprise_get
    from soegov.jobs.selectors import job_for

    user = _supervisor(request)
    ent = enterprise_get(user=user, pk=enterprise_id)
    ledger = ledgers.ledger_upload(actor=user, enterprise=ent, name=file.name or "", data=file.read(),
                                   window_days=window_days)
    return Status(202, {"ledger": ledger, "job": job_for(user=user, target=ledgers.ledger_job_target(ledger))})


@router.get("/oversight/ledgers/{ledger_id}/refused", response=list[RefusedRowOut], openapi_extra=PAGE_HEADERS_DOC,
            summary="台账中无法检查的行（行号与原因，与 soegov ledger check --json 的 refused 相同）")
def ledger_refused(request: HttpRequest, response: HttpResponse, ledger_id: int, paging: Query[PageParams]) -> Any:
    """Every row of the ledger's last check that could not be read, with its reasons, in row order."""
    ledger = selectors.ledger_get(user=_supervisor(request), pk=ledger_id)
    return api_page(request, response, ledger.refused_rows.all(), paging)


@router.post("/oversight/ledgers/{ledger_id}/purposes", response={202: LedgerStartedOut, **ERROR_RESPONSES},
             summary="用途对应：记住企业自己的用途词（词 → 用途代码），并按其重新检查该台账")
def ledger_purposes(request: HttpRequest, ledger_id: int, payload: PurposeMappingIn) -> Any:
    """Remember the enterprise's purpose words (audited) and start the ledger's check again."""
    from soegov.jobs.selectors import job_for

    user = _supervisor(request)
    ledger = selectors.ledger_get(user=user, pk=ledger_id)
    ledgers.purpose_mapping_save(actor=user, enterprise=ledger.enterprise, mappings=payload.mappings)
    ledgers.ledger_check_start(actor=user, ledger=ledger)
    ledger.refresh_from_db()
    return Status(202, {"ledger": ledger, "job": job_for(user=user, target=ledgers.ledger_job_target(ledger))})


@router.get("/oversight/findings", response=list[FindingOut], summary="台账检查发现", openapi_extra=PAGE_HEADERS_DOC)
def finding_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "", enterprise_id: int | None = None,
                 ledger_id: int | None = None) -> Any:
    """Stored findings in scope (of one ledger import with ledger_id)."""
    found = selectors.finding_list(user=_supervisor(request), status=status, enterprise_id=enterprise_id)
    return api_page(request, response, found.filter(ledger_id=ledger_id) if ledger_id is not None else found, paging)


@router.post("/oversight/findings/{finding_id}/dismiss", response={200: FindingOut, **ERROR_RESPONSES}, summary="排除发现（须写明理由）")
def finding_dismiss(request: HttpRequest, finding_id: int, payload: DismissIn) -> Any:
    """Dismiss a finding with a reason (audited)."""
    user = _supervisor(request)
    return ledgers.finding_dismiss(actor=user, finding=selectors.finding_get(user=user, pk=finding_id), reason=payload.reason)


@router.get("/oversight/cases", response=list[CaseOut], summary="责任追究案件", openapi_extra=PAGE_HEADERS_DOC)
def case_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "") -> Any:
    """Cases in scope."""
    cases = selectors.case_list(user=_supervisor(request), status=status).prefetch_related("parties__sanctions")
    return api_page(request, response, cases, paging)


@router.post("/oversight/cases", response={200: CaseOut, **ERROR_RESPONSES}, summary="立案（手工或据台账发现）")
def case_open(request: HttpRequest, payload: CaseIn) -> Any:
    """Open a case naming the violated provision."""
    from soegov.enterprises.selectors import enterprise_get

    user = _supervisor(request)
    finding = selectors.finding_get(user=user, pk=payload.finding_id) if payload.finding_id else None
    return oversight_cases.case_open(actor=user, enterprise=enterprise_get(user=user, pk=payload.enterprise_id),
                                     title=payload.title, facts=payload.facts, violation=payload.violation,
                                     responsibility=payload.responsibility, finding=finding,
                                     agenda_item_id=payload.agenda_item_id)


@router.get("/oversight/cases/{case_id}", response={200: CaseOut, **ERROR_RESPONSES}, summary="案件详情")
def case_detail(request: HttpRequest, case_id: int) -> Any:
    """One case with its parties and sanctions (the read is audited: it names people and their pay)."""
    from soegov.audit.services import audit_record

    user = _supervisor(request)
    case = selectors.case_get(user=user, pk=case_id)
    audit_record(actor=user, action="oversight.case_read", obj=case, after={"via": "api"})
    return case


@router.post("/oversight/cases/{case_id}/parties", response={200: PartyOut, **ERROR_RESPONSES}, summary="登记当事人（异议免责须有会议记录）")
def party_add(request: HttpRequest, case_id: int, payload: PartyIn) -> Any:
    """Record a responsible person or an exempt member."""
    from soegov.enterprises.selectors import member_get

    user = _supervisor(request)
    member = member_get(user=user, pk=payload.member_id) if payload.member_id else None
    return oversight_cases.party_add(actor=user, case=selectors.case_get(user=user, pk=case_id), version=payload.version,
                                     name=payload.name, position=payload.position, responsibility=payload.responsibility,
                                     member=member, exempt=payload.exempt)


@router.post("/oversight/cases/{case_id}/parties/{party_id}/exemption", response={200: PartyOut, **ERROR_RESPONSES},
             summary="决定是否免除责任（寻甸办法第三十条：异议“可免除”，由办案人员决定）")
def exemption_decide(request: HttpRequest, case_id: int, party_id: int, payload: ExemptionIn) -> Any:
    """Grant or refuse the exemption proposed on a member's recorded dissent; refusing needs a reason."""
    user = _supervisor(request)
    party = selectors.party_get(user=user, pk=party_id)
    if party.case_id != case_id:
        raise PermissionDenied("当事人不属于本案")
    return oversight_cases.exemption_decide(actor=user, party=party, grant=payload.grant, reason=payload.reason,
                                            version=payload.version)


@router.post("/oversight/cases/{case_id}/sanctions", response={200: SanctionOut, **ERROR_RESPONSES}, summary="登记处理并计算扣减")
def sanction_add(request: HttpRequest, case_id: int, payload: SanctionIn) -> Any:
    """Record a sanction; a deduction is computed from the leader's pay record of the year (never typed)."""
    user = _supervisor(request)
    party = selectors.party_get(user=user, pk=payload.party_id)
    if party.case_id != case_id:
        raise PermissionDenied("当事人不属于本案")
    return oversight_cases.sanction_add(actor=user, party=party, tier=payload.tier, year=payload.year,
                                        rate=payload.rate, note=payload.note, version=payload.version)


@router.post("/oversight/cases/{case_id}/steps", response={200: CaseOut, **ERROR_RESPONSES}, summary="案件办理：调查、移送、决定、申诉、结案")
def case_step(request: HttpRequest, case_id: int, payload: StepIn) -> Any:
    """One step of the case lifecycle."""
    user = _supervisor(request)
    return oversight_cases.case_step(actor=user, case=selectors.case_get(user=user, pk=case_id), action=payload.action,
                                     version=payload.version, note=payload.note, referral=payload.referral,
                                     decision=payload.decision)


@router.get("/oversight/compliance/{enterprise_id}/{year}", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="年度合规记录（供年度考核，伊宁第二十七条、寻甸第二十八条）")
def compliance(request: HttpRequest, enterprise_id: int, year: Year, person_name: str = "") -> Any:
    """Counts and lists of one enterprise's (or person's) oversight results of a year."""
    from soegov.audit.services import audit_record
    from soegov.enterprises.selectors import enterprise_get

    user = _supervisor(request)
    ent = enterprise_get(user=user, pk=enterprise_id)
    audit_record(actor=user, action="oversight.compliance_read", obj=ent, after={"year": year, "person_name": person_name})
    return selectors.compliance_record(ent, year, person_name or None)


@router.get("/oversight/events", response=list[EventOut], summary="随时报告事件", openapi_extra=PAGE_HEADERS_DOC)
def event_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams]) -> Any:
    """Event reports in scope."""
    return api_page(request, response, selectors.event_list(user=request.auth), paging)


@router.post("/oversight/events", response={200: EventOut, **ERROR_RESPONSES}, summary="报告事件（12 小时 / 立即）")
def event_report(request: HttpRequest, payload: EventIn) -> Any:
    """Record and report an event; its clock comes from the pack."""
    from soegov.enterprises.selectors import enterprise_get

    user = request.auth
    return events.event_report(actor=user, enterprise=enterprise_get(user=user, pk=payload.enterprise_id),
                               category=payload.category, title=payload.title, occurred_at=payload.occurred_at,
                               description=payload.description, report_now=payload.report_now)


@router.get("/oversight/inspections", response=list[InspectionOut], summary="检查表", openapi_extra=PAGE_HEADERS_DOC)
def inspection_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], year: int | None = None) -> Any:
    """Inspection checklists in scope."""
    return api_page(request, response, selectors.inspection_list(user=request.auth, year=year), paging)


@router.post("/oversight/inspections", response={200: InspectionOut, **ERROR_RESPONSES}, summary="生成年度检查表（预填系统证据）")
def inspection_generate(request: HttpRequest, payload: InspectionIn) -> Any:
    """Generate (or refresh) an enterprise's checklist for a year."""
    from soegov.enterprises.selectors import enterprise_get

    user = _supervisor(request)
    return inspections.inspection_generate(actor=user, enterprise=enterprise_get(user=user, pk=payload.enterprise_id),
                                           year=payload.year)


@router.post("/oversight/inspections/{inspection_id}/complete", response={200: InspectionOut, **ERROR_RESPONSES}, summary="企业填报自查")
def inspection_complete(request: HttpRequest, inspection_id: int, payload: AnswersIn) -> Any:
    """The enterprise answers each point."""
    user = request.auth
    return inspections.inspection_complete(actor=user, inspection=selectors.inspection_get(user=user, pk=inspection_id),
                                           answers=payload.answers, version=payload.version)


@router.post("/oversight/inspections/{inspection_id}/review", response={200: InspectionOut, **ERROR_RESPONSES}, summary="监管审核检查表")
def inspection_review(request: HttpRequest, inspection_id: int, payload: ReviewIn) -> Any:
    """The inspector accepts or returns the checklist."""
    user = _supervisor(request)
    return inspections.inspection_review(actor=user, inspection=selectors.inspection_get(user=user, pk=inspection_id),
                                         accept=payload.accept, comment=payload.comment, version=payload.version)
