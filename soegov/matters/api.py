"""REST endpoints of the reporting workflow (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from soegov.core.files import file_check_size, file_response
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES, ErrorOut
from soegov.matters import attachments as matters_attachments
from soegov.matters import document_downloads, editing, ledger, lifecycle, selectors
from soegov.matters.models import Matter
from soegov.matters.schemas import (
    AttachmentOut,
    CityAnswerIn,
    CommentIn,
    CommitteeIn,
    DecideIn,
    DecisionIn,
    MatterDetailOut,
    MatterIn,
    MatterOut,
    MatterUpdateIn,
    NotificationOut,
    ReturnIn,
    UpdateOut,
    VersionIn,
    WithdrawIn,
)

router = Router(tags=["重大事项报告"])


def _get(request: HttpRequest, matter_id: int) -> Matter:
    return selectors.matter_get(user=request.auth, pk=matter_id)


@router.get("/matters", response=list[MatterOut], summary="事项列表（本企业或本辖区；分页、筛选、关键词）",
            openapi_extra=PAGE_HEADERS_DOC)
def matter_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "",
                year: int | None = None, enterprise_id: int | None = None, type: str = "", route: str = "",
                overdue: bool | None = None, q: str = "") -> Any:
    """Matters in the caller's scope, newest first, one page (limit/offset; total in X-Total-Count)."""
    return api_page(request, response, _listed(selectors.matter_list(user=request.auth)), paging,
                    filters=selectors.MATTER_FILTERS, search_fields=selectors.MATTER_SEARCH, q=q,
                    values=_matter_filters(status=status, year=year, enterprise=enterprise_id, type=type, route=route,
                                           overdue=overdue))


def _matter_filters(**given: Any) -> dict[str, Any]:
    """The filters given as API parameters, read by the same declared list as the pages."""
    from soegov.core.paging import read_filters

    return read_filters({k: ("true" if v is True else "false" if v is False else str(v))
                         for k, v in given.items() if v not in (None, "")}, selectors.MATTER_FILTERS)


def _listed(qs: Any) -> Any:
    """What MatterOut reads of each row, loaded with the page (attachments for missing_attachments)."""
    return qs.prefetch_related("attachments")


@router.post("/matters", response={200: MatterDetailOut, **ERROR_RESPONSES}, summary="新建事项（一事一报），并由规则引擎判定")
def matter_create(request: HttpRequest, payload: MatterIn) -> Any:
    """Open a matter in draft; the verdict is stored with the pack version."""
    from soegov.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(user=request.auth, pk=payload.enterprise_id)
    m = editing.matter_create(actor=request.auth, enterprise=enterprise, matter_type=payload.type, title=payload.title,
                              occurred_on=payload.occurred_on, amount=payload.amount, attributes=payload.attributes,
                              description=payload.description, date_confirmed=payload.date_confirmed)
    return m


@router.get("/matters/queue", response=list[MatterOut], summary="审核队列（按答复期限排序；分页）",
            openapi_extra=PAGE_HEADERS_DOC)
def queue(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], overdue: bool | None = None,
          q: str = "") -> Any:
    """Matters waiting for the supervisor, soonest due first, one page."""
    return api_page(request, response, _listed(selectors.review_queue(user=request.auth)), paging,
                    filters=selectors.MATTER_FILTERS, search_fields=selectors.MATTER_SEARCH, q=q,
                    values=_matter_filters(overdue=overdue))


@router.get("/matters/ledger.xlsx", summary="台账导出 (.xlsx，筛选同事项列表，流式下载)", response={200: None})
def ledger_xlsx(request: HttpRequest, status: str = "", year: int | None = None, enterprise_id: int | None = None,
                type: str = "", route: str = "", overdue: bool | None = None, q: str = "") -> Any:
    """The ledger as an Excel workbook, streamed (bounded memory at any number of matters)."""
    from soegov.core.paging import apply_filters, search

    values = _matter_filters(status=status, year=year, enterprise=enterprise_id, type=type, route=route,
                             overdue=overdue)
    qs = search(apply_filters(selectors.matter_list(user=request.auth), values, selectors.MATTER_FILTERS), q,
                selectors.MATTER_SEARCH)
    return ledger.ledger_response(qs.order_by("enterprise__path", "occurred_on", "id"), "matters.xlsx")


@router.get("/matters/{matter_id}", response={200: MatterDetailOut, **ERROR_RESPONSES}, summary="事项详情（判定、材料、办理记录）")
def matter_detail(request: HttpRequest, matter_id: int) -> Any:
    """One matter with its verdicts, attachments, events and submissions."""
    return _get(request, matter_id)


@router.patch("/matters/{matter_id}", response={200: UpdateOut, **ERROR_RESPONSES}, summary="修改事实并重新判定（显示变化）")
def matter_update(request: HttpRequest, matter_id: int, payload: MatterUpdateIn) -> Any:
    """Change the facts; the engine runs again and the difference is returned."""
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version")
    m, verdict = editing.matter_update(actor=request.auth, matter=_get(request, matter_id), version=version, **fields)
    return {"matter": m, "changes": verdict.changes}


def _transition(name: str, summary: str, schema: type[Schema], call: Any) -> None:
    def endpoint(request: HttpRequest, matter_id: int, payload: Any) -> Any:
        data = payload.dict()
        return call(actor=request.auth, matter=_get(request, matter_id), **data)

    endpoint.__annotations__["payload"] = schema
    endpoint.__name__ = f"matter_{name.replace('-', '_')}"
    endpoint.__doc__ = summary
    router.post(f"/matters/{{matter_id}}/{name}", response={200: MatterOut, **ERROR_RESPONSES}, summary=summary)(endpoint)


_transition("decision", "记录集体决策（或事发时间），起算报送期限", DecisionIn, editing.matter_record_decision)
_transition("submit", "报送（检查材料与集体决策）", VersionIn, lifecycle.matter_submit)
_transition("review", "监管机构开始审核", VersionIn, lifecycle.matter_start_review)
_transition("return", "退回补正（列出所缺）", ReturnIn, lifecycle.matter_return)
_transition("committee", "登记国资监管机构党委会议研究通过（第二十一条，批复期限起算）", CommitteeIn, lifecycle.matter_record_committee)
_transition("forward", "转报市政府（第十一条）", CommentIn, lifecycle.matter_forward)
_transition("decide", "作出答复：approve 批准 / reject 不予批准或不予备案 / file 予以备案", DecideIn, lifecycle.matter_decide)
_transition("city-answer", "登记市政府批复", CityAnswerIn, lifecycle.matter_record_city_answer)
_transition("implement", "登记实施（批准或备案之后）", VersionIn, lifecycle.matter_implement)


@router.post("/matters/{matter_id}/attachments", response={200: AttachmentOut, **ERROR_RESPONSES}, summary="上传材料（按内容判定类型）")
def attachment_upload(request: HttpRequest, matter_id: int, kind: Form[str], file: File[UploadedFile],
                      version: Form[int | None] = None) -> Any:
    """Upload one attachment; a new upload of a kind becomes its next version."""
    file_check_size(file.size)
    a = matters_attachments.attachment_upload(actor=request.auth, matter=_get(request, matter_id), kind=kind,
                                              name=file.name or "", data=file.read(), version=version)
    return a


@router.post("/attachments/{attachment_id}/withdraw", response={200: AttachmentOut, **ERROR_RESPONSES},
             summary="撤回材料（报送前；该版本仍保留在记录中）")
def attachment_withdraw(request: HttpRequest, attachment_id: int, payload: WithdrawIn) -> Any:
    """Withdraw a wrong upload before submission: it no longer counts; the version and its file are kept."""
    a = selectors.attachment_get(user=request.auth, pk=attachment_id)
    return matters_attachments.attachment_withdraw(actor=request.auth, attachment=a, version=payload.version, reason=payload.reason)


@router.get("/attachments/{attachment_id}", summary="下载材料（始终作为附件下载）", response={200: None, 404: ErrorOut})
def attachment_download(request: HttpRequest, attachment_id: int) -> Any:
    """The stored file, to callers who may see its matter."""
    a = selectors.attachment_get(user=request.auth, pk=attachment_id)
    return file_response(a.sha256, a.original_name, actor=request.auth, what=f"材料“{a.original_name}”", api=True)


@router.get("/matters/{matter_id}/documents/{kind}.{fmt}", summary="公文：request 请示 / report 报告 / reply 批复 / receipt 备案回执，docx 或 pdf",
            response={200: None, 404: ErrorOut})
def document(request: HttpRequest, matter_id: int, kind: str, fmt: str) -> Any:
    """The generated official document."""
    return document_downloads.download(_get(request, matter_id), kind, fmt)


@router.get("/notifications", response=list[NotificationOut], summary="我的消息提醒（期限提醒、退回、答复）",
            openapi_extra=PAGE_HEADERS_DOC)
def notification_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams],
                      unread: bool = False) -> Any:
    """The caller's in-app messages, newest first, one page."""
    return api_page(request, response, selectors.notifications(user=request.auth, unread_only=unread), paging)


@router.get("/calendar/years", summary="工作日日历：掌握的年度及来源", response={200: list[dict[str, Any]], 403: ErrorOut})
def calendar_years(request: HttpRequest) -> Any:
    """Every year the calendar holds, with its source and document (system administrator)."""
    from django.core.exceptions import PermissionDenied

    from soegov.accounts.roles import Role
    from soegov.calendar import known_years, show_year

    if request.auth.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理节假日日历")
    return [{k: v for k, v in show_year(y).items() if k in ("year", "source", "document", "imported_at")}
            for y in known_years()]


@router.post("/calendar/import", summary="导入一年的国务院节假日安排（YAML 或 JSON 文件）",
             response={200: dict[str, Any], 400: ErrorOut, 403: ErrorOut})
def calendar_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Validate and store a year's schedule (system administrator); the same checks as `soegov calendar import`."""
    from soegov.matters.holidays import calendar_import as do_import

    schedule = do_import(actor=request.auth, name=file.name or "", data=file.read())
    return {"year": schedule.year, "document": schedule.document}
