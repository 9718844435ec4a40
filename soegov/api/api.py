"""The REST API: public engine endpoints (the CLI contract's JSON) and the scoped registry endpoints."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from soegov.api import schemas
from soegov.api.auth import REFUSAL_ATTR, CompleteSessionAuth, TokenAuth, TokenRateLimited
from soegov.api.ratelimit import over_limit
from soegov.core.errors import InputError, SoegovError
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ErrorOut, document_error_statuses
from soegov.field_labels import readable_dict
from soegov.policy.inputs import document_policy


class SoegovAPI(NinjaAPI):
    """The API, whose OpenAPI lists every error status each operation can answer (schemathesis checks it)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        """The OpenAPI document, with the error statuses of soegov.core.schemas.document_error_statuses."""
        return document_error_statuses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = SoegovAPI(
    title="soegov API",
    version="1",
    description=(
        "国有企业重大事项报告与“三重一大”决策合规系统的接口。`/api/v1/classify`、`/api/v1/meeting-check`、"
        "`/api/v1/deadline` 依据公开制度计算，无需登录（按来源地址限流），请求与响应与命令行契约的 JSON 完全一致，"
        "命令行的 `--policy` 参数成为请求体的 `policy` 字段。其余接口需会话或令牌（`Authorization: Bearer …`）。"
    ),
    auth=[TokenAuth(), CompleteSessionAuth()],
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


def _add_routers() -> None:
    """Routers of the other apps, mounted under /api/v1."""
    from soegov.collector.api import router as collector_router
    from soegov.exchange.api import router as exchange_router
    from soegov.followup.api import router as followup_router
    from soegov.jobs.api import router as jobs_router
    from soegov.leaders.api import router as leaders_router
    from soegov.matters.api import router as matters_router
    from soegov.meetings.api import router as meetings_router
    from soegov.oversight.api import router as oversight_router
    from soegov.search.api import router as search_router

    for router in (matters_router, meetings_router, followup_router, exchange_router, oversight_router, leaders_router,
                   jobs_router, collector_router, search_router):
        api.add_router("/v1", router)


_add_routers()


def _error(code: str, message: str, path: str | None, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "path": path}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@api.exception_handler(SoegovError)
def _soegov_error(request: HttpRequest, exc: SoegovError) -> HttpResponse:
    return JsonResponse(exc.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", [])]
    # ("body", "payload", "uscc") names the field as the client sent it: "uscc".
    if loc[:1] == ["body"]:
        loc = loc[2:] or loc[1:]
    elif loc[:1] in (["path"], ["query"]):
        loc = loc[1:]
    field = ".".join(loc)
    reason = _REASONS.get(str(first.get("type", "")).split(".")[0])
    bound = first.get("ctx") or {}
    if first.get("type") in _BOUNDS:
        reason = _BOUNDS[str(first.get("type"))].format(next(iter(bound.values()), ""))
    message = f"缺少必填参数 {field}" if first.get("type") == "missing" else (
        f"参数 {field} 无效：{reason or first.get('msg', '')}")
    return _error("invalid_input", message, field or None, 400)


# pydantic's range errors in Chinese, with the bound (ctx holds {"ge": 2000} and the like).
_BOUNDS = {"greater_than_equal": "应不小于 {}", "greater_than": "应大于 {}", "less_than_equal": "应不大于 {}",
           "less_than": "应小于 {}"}
# pydantic's error types in Chinese, so an API client's user reads the reason, not "Field required".
_REASONS = {
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "decimal_parsing": "应为数字", "decimal_type": "应为数字",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "string_type": "应为文本", "string_too_long": "过长", "string_too_short": "不能为空",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期", "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_type": "应为 YYYY-MM-DD 格式的日期", "datetime_parsing": "应为 ISO 8601 格式的时间",
    "datetime_from_date_parsing": "应为 ISO 8601 格式的时间", "datetime_type": "应为 ISO 8601 格式的时间",
    "list_type": "应为列表", "dict_type": "应为 JSON 对象", "model_attributes_type": "应为 JSON 对象",
    "json_invalid": "不是合法的 JSON", "enum": "不是可选的取值", "literal_error": "不是可选的取值",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja's own refusals ({"detail": ...}) in the contract's error body; the one it raises for input is
    # a body it cannot parse.
    if exc.status_code == 400:
        return _error("invalid_json", "请求体无法解析：应为 UTF-8 编码的 JSON，或按接口说明的表单格式", None, 400)
    return _error("http_error", str(exc), None, exc.status_code)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    refusal = getattr(request, REFUSAL_ATTR, None)
    if refusal:
        return _error("unauthorized", f"API 令牌不可用：{refusal}", None, 401)
    return _error("unauthorized", "需要登录或有效的 API 令牌（Authorization: Bearer …）", None, 401)


@api.exception_handler(TokenRateLimited)
def _token_rate_limited(request: HttpRequest, exc: TokenRateLimited) -> HttpResponse:
    response = _error("rate_limited", "无效令牌尝试过多，请一分钟后再试", None, 429)
    response["Retry-After"] = "60"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error("not_found", "对象不存在或不在您的范围内", None, 404)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    from soegov.audit.services import audit_record

    audit_record(actor=getattr(request, "auth", None) or getattr(request, "user", None), action="access.denied",
                 object_type="url", object_repr=request.path[:255], after={"reason": str(exc)[:200]})
    return _error("forbidden", str(exc) or "无权访问", None, 403)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        doc = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        # Where it broke, in words, as the CLI says it: Python's own English text ("Expecting property name…")
        # is no message for a Chinese reader.
        where = f"（第{exc.lineno}行第{exc.colno}列）" if isinstance(exc, json.JSONDecodeError) else "（不是 UTF-8 文本）"
        where_en = (f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError)
                    else " (not UTF-8 text)")
        raise InputError("invalid_json", f"请求体不是有效的 JSON{where}", None,
                         f"request body is not valid JSON{where_en}") from None
    if not isinstance(doc, dict):
        raise InputError("invalid_json", "请求体应为 JSON 对象", None, "the request body must be a JSON object")
    return doc


def _lang(doc: dict[str, Any]) -> str:
    lang = doc.pop("lang", "zh")
    if lang not in ("zh", "en"):
        raise InputError("invalid_lang", "lang 应为 zh 或 en", "lang", "lang must be zh or en")
    return str(lang)


def _policy(doc: dict[str, Any]) -> str:
    return document_policy(doc)[1]


def _public(request: HttpRequest, bucket: str, compute: Callable[[dict[str, Any]], dict[str, Any]]) -> HttpResponse:
    if over_limit(request, bucket):
        return _error("rate_limited", "请求过于频繁，请稍后再试", None, 429)
    try:
        result = compute(_json_body(request))
    except SoegovError as exc:
        # The engine's refusal as the CLI's --json gives it: fields named in Chinese, paths as the contract's.
        return JsonResponse(readable_dict(exc), status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})


def _body_doc(example: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True},
                                             "example": example}},
        },
        "responses": {
            200: {"description": "命令行契约的输出 JSON", "content": {"application/json": {"schema": {"type": "object"}}}},
            400: {"description": "无效输入：{\"error\": {\"code\", \"message\", \"path\"}}",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}},
            429: {"description": "超过限流"},
        },
    }


CLASSIFY_EXAMPLE = {"policy": "yining-2024", "date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                    "type": "asset_transfer", "amount": "4000000", "attributes": {}}
MEETING_EXAMPLE = {
    "policy": "xundian-2020", "date": "2026-03-10",
    "body": {"kind": "board", "members": ["王", "李", "张", "赵", "刘"], "principal": "王"},
    "attendees": ["王", "李", "张"], "nonvoting_attendees": [], "notice_sent": True,
    "items": [{"id": "1", "title": "关于处置闲置厂房的议题", "category": "major_decision", "on_agenda": True,
               "prepared": True, "materials_in_advance": True, "voting_method": "show_of_hands", "recused": [],
               "statements": ["李", "张", "王"], "votes": {"王": "for", "李": "for", "张": "against"}}],
}
DEADLINE_EXAMPLE = {"from": "2026-09-30T16:00:00+08:00", "working_days": 5}


@api.post("/v1/classify", auth=None, tags=["规则引擎（公开）"], summary="事项分类：须履行哪些义务",
          openapi_extra=_body_doc(CLASSIFY_EXAMPLE, "soegov classify 的输入，另加 policy 字段"))
def classify(request: HttpRequest) -> HttpResponse:
    """The obligations of a matter under a policy (contract §1)."""
    def run(doc: dict[str, Any]) -> dict[str, Any]:
        policy, lang = _policy(doc), _lang(doc)
        from soegov.policy import classify as engine_classify

        return engine_classify(doc, policy=policy, lang=lang)

    return _public(request, "classify", run)


@api.post("/v1/meeting-check", auth=None, tags=["规则引擎（公开）"], summary="会议合规检查",
          openapi_extra=_body_doc(MEETING_EXAMPLE, "soegov meeting-check 的输入，另加 policy 字段"))
def meeting_check(request: HttpRequest) -> HttpResponse:
    """Quorum, votes and procedure of one decision meeting (contract §2)."""
    def run(doc: dict[str, Any]) -> dict[str, Any]:
        policy, lang = _policy(doc), _lang(doc)
        from soegov.policy import meeting_check as engine_meeting_check

        return engine_meeting_check(doc, policy=policy, lang=lang)

    return _public(request, "meeting-check", run)


@api.post("/v1/deadline", auth=None, tags=["规则引擎（公开）"], summary="期限计算（工作日或小时）",
          openapi_extra=_body_doc(DEADLINE_EXAMPLE, "{\"from\": …, \"working_days\": N} 或 {\"from\": …, \"hours\": N}"))
def deadline(request: HttpRequest) -> HttpResponse:
    """The due time counted in working days or hours (contract §3)."""
    def run(doc: dict[str, Any]) -> dict[str, Any]:
        from soegov.calendar import deadline_from_doc

        lang = _lang(doc)
        return dict(deadline_from_doc(doc, lang=lang))

    return _public(request, "deadline", run)


@api.get("/v1/jurisdictions", response=list[schemas.JurisdictionOut], tags=["企业名录"], summary="监管辖区")
def jurisdictions(request: HttpRequest) -> Any:
    """The jurisdictions the caller works in."""
    from soegov.enterprises.selectors import jurisdiction_list

    return list(jurisdiction_list(user=request.auth))


@api.get("/v1/enterprises", response=list[schemas.EnterpriseOut], tags=["企业名录"], summary="企业列表",
         openapi_extra=PAGE_HEADERS_DOC)
def enterprises(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], q: str = "") -> Any:
    """Enterprises in the caller's scope, in tree order, one page."""
    from soegov.enterprises.selectors import enterprise_list

    return api_page(request, response, enterprise_list(user=request.auth, q=q), paging)


@api.get("/v1/enterprises/{enterprise_id}", response={200: schemas.EnterpriseOut, 404: ErrorOut}, tags=["企业名录"], summary="企业详情")
def enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    """One enterprise in the caller's scope."""
    from soegov.enterprises.selectors import enterprise_get

    return enterprise_get(user=request.auth, pk=enterprise_id)


@api.get("/v1/enterprises/{enterprise_id}/bodies", response=list[schemas.BodyOut], tags=["决策机构"],
         summary="企业的决策机构")
def enterprise_bodies(request: HttpRequest, enterprise_id: int) -> Any:
    """The decision bodies of one enterprise, with members."""
    from soegov.enterprises.selectors import body_list, enterprise_get

    e = enterprise_get(user=request.auth, pk=enterprise_id)
    return list(body_list(user=request.auth, enterprise=e).prefetch_related("members"))


@api.get("/v1/bodies/{body_id}", response=schemas.BodyOut, tags=["决策机构"], summary="决策机构详情")
def body(request: HttpRequest, body_id: int) -> Any:
    """One decision body with members."""
    from soegov.enterprises.selectors import body_get

    return body_get(user=request.auth, pk=body_id)


@api.post("/v1/enterprises", response={201: schemas.EnterpriseOut, 400: ErrorOut, 403: ErrorOut},
          tags=["企业名录"], summary="登记企业")
def enterprise_create(request: HttpRequest, payload: schemas.EnterpriseIn) -> Any:
    """Register an enterprise (system admin, or a reviewer in their jurisdiction)."""
    from soegov.enterprises import selectors, services

    jurisdiction = selectors.jurisdiction_list(user=request.auth).filter(pk=payload.jurisdiction_id).first()
    if jurisdiction is None:
        raise InputError("invalid_jurisdiction", "监管辖区不存在或不在您的范围内", "jurisdiction_id",
                         "unknown jurisdiction")
    parent = None
    if payload.parent_id is not None:
        try:
            parent = selectors.enterprise_get(user=request.auth, pk=payload.parent_id)
        except Http404:
            raise InputError("invalid_parent", "上级企业不存在或不在您的范围内", "parent_id", "unknown parent") from None
    e = services.enterprise_create(actor=request.auth, jurisdiction=jurisdiction, parent=parent, name=payload.name,
                                   uscc=payload.uscc, ownership=payload.ownership, status=payload.status)
    return Status(201, e)


@api.post("/v1/enterprises/{enterprise_id}/bodies", response={201: schemas.BodyOut, 400: ErrorOut},
          tags=["决策机构"], summary="新增决策机构")
def body_create(request: HttpRequest, enterprise_id: int, payload: schemas.BodyIn) -> Any:
    """Add a decision body to an enterprise in the caller's scope."""
    from soegov.enterprises import selectors, services

    e = selectors.enterprise_get(user=request.auth, pk=enterprise_id)
    return Status(201, services.body_create(actor=request.auth, enterprise=e, kind=payload.kind, name=payload.name))


@api.post("/v1/bodies/{body_id}/members", response={201: schemas.MemberOut, 400: ErrorOut},
          tags=["决策机构"], summary="添加成员或列席人员")
def member_add(request: HttpRequest, body_id: int, payload: schemas.MemberIn) -> Any:
    """Add a member (or a non-voting attendee) to a decision body."""
    from soegov.enterprises import selectors, services

    b = selectors.body_get(user=request.auth, pk=body_id)
    return Status(201, services.member_add(actor=request.auth, body=b, **payload.dict()))


@api.delete("/v1/members/{member_id}", response={204: None}, tags=["决策机构"], summary="移除成员")
def member_remove(request: HttpRequest, member_id: int) -> Any:
    """Take a member off a decision body."""
    from soegov.enterprises import selectors, services

    services.member_remove(actor=request.auth, member=selectors.member_get(user=request.auth, pk=member_id))
    return Status(204, None)
