"""The API's shared shapes: the error body of the contract ({"error": {"code", "message", "path"}}) and the
types every app's schemas use (a record id, a year, a local time)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import Field, PlainSerializer


class ErrorBody(Schema):
    code: str
    message: str
    path: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


# The error statuses every endpoint may answer (a SoegovError, a denial, a record out of scope).
ERROR_RESPONSES: dict[int, type[Schema]] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# A record's id in a path or query string: a positive integer the database's integer columns can hold (a
# larger one would overflow the query: issue 14 item 7).
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]
# A moment as the API writes it: ISO 8601 in Asia/Shanghai (+08:00), whatever zone the database returned.
LocalDateTime = Annotated[dt.datetime, PlainSerializer(lambda v: timezone.localtime(v).isoformat(), return_type=str)]
# A year of the records soegov keeps, as the pages' filters and soegov.user_input.YEARS.
Year = Annotated[int, Field(ge=2000, le=2100)]

# Why an operation may answer each error status, for the statuses the OpenAPI of an operation does not list yet.
ERROR_STATUS_REASONS = {
    400: "参数或请求体无效（error.path 指出字段）",
    401: "未登录，或 API 令牌无效、过期、吊销或随账号失效",
    403: "无权进行此操作（角色、令牌只读或接口范围）",
    404: "对象不存在或不在您的范围内",
    429: "请求过多（公开接口按来源地址限流；无效令牌尝试过多）",
}


def document_error_statuses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of an OpenAPI document the error statuses it can answer and does not list.

    Any operation can refuse input (400) and be rate-limited (429); one behind authentication can answer 401 and
    403; one with a path parameter 404. Each is the contract's error body.
    """
    error_ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = [400, 429]
            if operation.get("security"):
                codes += [401, 403]
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                codes.append(404)
            responses = operation["responses"]
            for code in codes:
                # django-ninja keys responses by int: a str key of the same code would be a duplicate in the JSON.
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": ERROR_STATUS_REASONS[code], **error_ref}
    return schema
