"""The collector endpoint (thin): a signed package in, the receipt or the refusal out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router

from soegov.collector import receiving, signing
from soegov.collector.error_codes import Conflict, Forbidden, TooLarge, Unauthenticated
from soegov.core.errors import SoegovError
from soegov.core.schemas import ErrorOut
from soegov.exchange.imports import MAX_ZIP_BYTES

router = Router(tags=["三重一大数据报送"])
STATUS_OF_REFUSAL = {Unauthenticated: 401, Forbidden: 403, Conflict: 409, TooLarge: 413}
SIGNED_HEADERS = "、".join(signing.HEADERS.values())


@router.post(
    "/exchange/collector/packages", auth=None,
    response={200: dict[str, Any], 207: dict[str, Any], 400: dict[str, Any], 401: ErrorOut, 403: ErrorOut,
              409: ErrorOut, 413: ErrorOut},
    summary="国资委采集端：企业端 soegov 报送一个数据包（zip 原样作为请求体，SM2 签名），按人工导入的同一套校验入库，"
            "返回回执：全部接收 200、部分接收 207、全部退回 400；同一数据包编号重发得到同一回执",
    description=f"请求头：{SIGNED_HEADERS}（签名算法见 docs/exchange.md）。密钥由国资委端管理员签发"
                "（soegov collector key issue），只存公钥。",
    openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}}})
def receive(request: HttpRequest) -> Any:
    """Verify the signature, import the package once, answer with its receipt."""
    # Read from the stream, not request.body: the site's 10 MB form limit is not the packages' 50 MB one.
    body = request.read(MAX_ZIP_BYTES + 1)
    try:
        answer = receiving.receive(headers=request.headers, body=body)
    except SoegovError as exc:
        status = next((code for cls, code in STATUS_OF_REFUSAL.items() if isinstance(exc, cls)), 400)
        return JsonResponse(exc.as_dict(), status=status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(answer.body, status=answer.status, json_dumps_params={"ensure_ascii": False})
