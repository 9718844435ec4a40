"""REST endpoints of the leaders app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES
from soegov.enterprises.selectors import enterprise_get
from soegov.leaders import appointments, contracts, ledger, pay, records, selectors
from soegov.leaders.models import PayRecord
from soegov.leaders.schemas import (
    AppointmentIn,
    AppointmentOut,
    CancelIn,
    ContractIn,
    ContractOut,
    DeductionOut,
    DocumentOut,
    LeaderIn,
    LeaderOut,
    ListingIn,
    PayIn,
    PayOut,
    RecruitmentCloseIn,
    RecruitmentIn,
    RecruitmentOut,
    SanctionIn,
    ScoreIn,
    StepIn,
)

router = Router(tags=["企业领导人员"])


def _pay_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "decision_id": row["record"].decision_id, "version": row["record"].version}


@router.get("/leaders", response=list[LeaderOut], summary="企业领导人员名册（姓名、职务、任期）", openapi_extra=PAGE_HEADERS_DOC)
def leader_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], enterprise_id: int | None = None, active_only: bool = False) -> Any:
    """Leaders in the caller's scope."""
    return api_page(request, response, selectors.leader_list(user=request.auth, enterprise_id=enterprise_id, active_only=active_only), paging)


@router.post("/leaders", response={200: LeaderOut, **ERROR_RESPONSES}, summary="登记现任领导人员")
def leader_create(request: HttpRequest, payload: LeaderIn) -> Any:
    """Record a serving leader."""
    e = enterprise_get(user=request.auth, pk=payload.enterprise_id)
    return records.leader_create(actor=request.auth, enterprise=e, name=payload.name, post=payload.post,
                                 term_start=payload.term_start, term_end=payload.term_end)


@router.get("/leaders/enterprises/{enterprise_id}/route", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="企业适用的任免程序（伊宁办法第七条，按层级）")
def enterprise_route(request: HttpRequest, enterprise_id: int) -> Any:
    """The art. 7 route of the enterprise's level and listing."""
    return appointments.route_for(enterprise_get(user=request.auth, pk=enterprise_id))


@router.put("/leaders/enterprises/{enterprise_id}/listing", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="列入/移出市委研究决定的二级企业集团名单")
def listing_set(request: HttpRequest, enterprise_id: int, payload: ListingIn) -> Any:
    """Set the listed flag of a level-2 group."""
    listing = records.listing_set(actor=request.auth, enterprise=enterprise_get(user=request.auth, pk=enterprise_id),
                                  listed=payload.listed, basis=payload.basis)
    return {"enterprise_id": enterprise_id, "listed": listing.listed, "basis": listing.basis}


@router.post("/leaders/documents", response={200: DocumentOut, **ERROR_RESPONSES}, summary="上传文件（按内容判定类型）")
def document_upload(request: HttpRequest, enterprise_id: Form[int], title: Form[str], file: File[UploadedFile],
                    doc_number: Form[str] = "") -> Any:
    """Store a document for a later step, recruitment, contract or pay decision."""
    e = enterprise_get(user=request.auth, pk=enterprise_id)
    return records.document_upload(actor=request.auth, enterprise=e, title=title, doc_number=doc_number,
                                   name=file.name or "", data=file.read())


@router.get("/leaders/appointments", response=list[AppointmentOut], summary="任免事项列表", openapi_extra=PAGE_HEADERS_DOC)
def appointment_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], enterprise_id: int | None = None) -> Any:
    """Appointments in the caller's scope."""
    return api_page(request, response, selectors.appointment_list(user=request.auth, enterprise_id=enterprise_id), paging)


@router.post("/leaders/appointments", response={200: AppointmentOut, **ERROR_RESPONSES}, summary="启动任免程序")
def appointment_start(request: HttpRequest, payload: AppointmentIn) -> Any:
    """Open an appointment or removal on the route of the enterprise's level."""
    e = enterprise_get(user=request.auth, pk=payload.enterprise_id)
    leader = selectors.leader_get(user=request.auth, pk=payload.leader_id) if payload.leader_id else None
    rec = selectors.recruitment_get(user=request.auth, pk=payload.recruitment_id) if payload.recruitment_id else None
    return appointments.appointment_start(actor=request.auth, enterprise=e, kind=payload.kind, person_name=payload.person_name,
                                          post=payload.post, term_start=payload.term_start, term_end=payload.term_end,
                                          leader=leader, recruitment=rec)


@router.get("/leaders/appointments/{appointment_id}", response={200: AppointmentOut, **ERROR_RESPONSES}, summary="任免事项详情")
def appointment_get(request: HttpRequest, appointment_id: int) -> Any:
    """One appointment with its route and steps."""
    return selectors.appointment_get(user=request.auth, pk=appointment_id)


@router.post("/leaders/appointments/{appointment_id}/steps", response={200: AppointmentOut, **ERROR_RESPONSES},
             summary="登记下一步骤（企业会议决定须为投票表决通过的人事任免议题）")
def appointment_step(request: HttpRequest, appointment_id: int, payload: StepIn) -> Any:
    """Record the route's next step with its document (and meeting item)."""
    a = selectors.appointment_get(user=request.auth, pk=appointment_id)
    doc = selectors.document_get(user=request.auth, pk=payload.document_id)
    return appointments.appointment_step(actor=request.auth, appointment=a, document=doc, decided_on=payload.decided_on,
                                         comment=payload.comment, agenda_item=payload.agenda_item_id, version=payload.version)


@router.post("/leaders/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **ERROR_RESPONSES}, summary="终止任免事项")
def appointment_cancel(request: HttpRequest, appointment_id: int, payload: CancelIn) -> Any:
    """Stop an appointment in progress."""
    a = selectors.appointment_get(user=request.auth, pk=appointment_id)
    return appointments.appointment_cancel(actor=request.auth, appointment=a, comment=payload.comment, version=payload.version)


@router.get("/leaders/recruitments", response=list[RecruitmentOut], summary="公开选聘列表（伊宁办法第八条）", openapi_extra=PAGE_HEADERS_DOC)
def recruitment_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams]) -> Any:
    """Recruitments in the caller's scope."""
    return api_page(request, response, selectors.recruitment_list(user=request.auth), paging)


@router.post("/leaders/recruitments", response={200: RecruitmentOut, **ERROR_RESPONSES}, summary="登记公开选聘")
def recruitment_open(request: HttpRequest, payload: RecruitmentIn) -> Any:
    """Open a recruitment on an approving decision."""
    e = enterprise_get(user=request.auth, pk=payload.enterprise_id)
    return appointments.recruitment_open(actor=request.auth, enterprise=e, post=payload.post,
                                         decision=selectors.document_get(user=request.auth, pk=payload.decision_id),
                                         decided_on=payload.decided_on, announcement=payload.announcement)


@router.post("/leaders/recruitments/{recruitment_id}/close", response={200: RecruitmentOut, **ERROR_RESPONSES}, summary="登记选聘结果")
def recruitment_close(request: HttpRequest, recruitment_id: int, payload: RecruitmentCloseIn) -> Any:
    """Record who was hired, or that nobody was."""
    r = selectors.recruitment_get(user=request.auth, pk=recruitment_id)
    return appointments.recruitment_close(actor=request.auth, recruitment=r, hired=payload.hired, result=payload.result,
                                          hired_name=payload.hired_name, version=payload.version)


@router.get("/leaders/leaders/{leader_id}/contracts", response={200: list[ContractOut], **ERROR_RESPONSES},
            summary="经营业绩责任书（个人信息：仅本人与授权人员，查看留痕）")
def contract_list(request: HttpRequest, leader_id: int) -> Any:
    """The leader's contracts (a personal-data read, audited)."""
    return list(selectors.contracts_of(user=request.auth, leader=selectors.leader_get(user=request.auth, pk=leader_id)))


@router.post("/leaders/leaders/{leader_id}/contracts", response={200: ContractOut, **ERROR_RESPONSES}, summary="签订年度/任期经营业绩责任书")
def contract_sign(request: HttpRequest, leader_id: int, payload: ContractIn) -> Any:
    """Sign a contract; the targets' weights must total 100."""
    leader = selectors.leader_get(user=request.auth, pk=leader_id)
    doc = selectors.document_get(user=request.auth, pk=payload.document_id) if payload.document_id else None
    return contracts.contract_sign(actor=request.auth, leader=leader, kind=payload.kind, year=payload.year,
                                   end_year=payload.end_year, targets=[t.dict() for t in payload.targets],
                                   signed_on=payload.signed_on, document=doc)


@router.post("/leaders/contracts/{contract_id}/score", response={200: ContractOut, **ERROR_RESPONSES}, summary="年终考核评分")
def contract_score(request: HttpRequest, contract_id: int, payload: ScoreIn) -> Any:
    """Enter results; the score, grade and compliance findings are computed."""
    c = selectors.contract_get(user=request.auth, pk=contract_id)
    return contracts.contract_score(actor=request.auth, contract=c, results=payload.results, scored_on=payload.scored_on,
                                    reward=payload.reward, appointment_consequence=payload.appointment_consequence,
                                    version=payload.version)


@router.get("/leaders/leaders/{leader_id}/pay", response={200: list[PayOut], **ERROR_RESPONSES},
            summary="薪酬与问责扣减（个人信息：仅本人与授权人员，查看留痕）")
def pay_list(request: HttpRequest, leader_id: int) -> Any:
    """The leader's pay by year (a personal-data read, audited)."""
    leader = selectors.leader_get(user=request.auth, pk=leader_id)
    return [_pay_out(r) for r in selectors.pay_of(user=request.auth, leader=leader)]


@router.put("/leaders/leaders/{leader_id}/pay/{year}", response={200: PayOut, **ERROR_RESPONSES}, summary="登记薪酬决定（伊宁办法第十条）")
def pay_set(request: HttpRequest, leader_id: int, year: int, payload: PayIn) -> Any:
    """Set a year's pay from the supervisor's decision."""
    leader = selectors.leader_get(user=request.auth, pk=leader_id)
    record = pay.pay_set(actor=request.auth, leader=leader, year=year, base_pay=payload.base_pay,
                         performance_pay=payload.performance_pay, tenure_incentive=payload.tenure_incentive,
                         decision_number=payload.decision_number,
                         decision=selectors.document_get(user=request.auth, pk=payload.decision_id),
                         version=payload.version)
    return _pay_out(selectors.pay_row(record))


@router.post("/leaders/pay/{pay_id}/deductions", response={200: DeductionOut, **ERROR_RESPONSES},
             summary="按问责处理扣减当年薪酬（寻甸办法第三十二条，同一处理只扣一次）")
def sanction_apply(request: HttpRequest, pay_id: int, payload: SanctionIn) -> Any:
    """Apply an oversight sanction to this pay record."""
    from django.http import Http404

    record = PayRecord.objects.select_related("leader__enterprise").filter(pk=pay_id).first()
    if record is None:
        raise Http404("薪酬记录不存在")
    selectors.leader_get(user=request.auth, pk=record.leader_id)
    return pay.sanction_apply(actor=request.auth, pay_record=record, sanction_id=payload.sanction_id)


@router.get("/leaders/pay-ledger.xlsx", summary="导出薪酬台账（无权查看的金额屏蔽为 ***）")
def pay_ledger(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The pay ledger workbook."""
    response = HttpResponse(ledger.pay_ledger_xlsx(user=request.auth, year=year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="leaders-pay-ledger.xlsx"'
    return response
