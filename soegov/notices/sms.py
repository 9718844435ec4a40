"""SMS through the operator's HTTP gateway: one JSON POST per message (docs/notices.md states the contract).

Carriers' SMS platforms differ, so soegov speaks one plain contract a deployment's gateway (or a small
adapter in front of Aliyun / Tencent Cloud SMS) accepts: POST SOEGOV_SMS_URL with
`Authorization: Bearer <SOEGOV_SMS_KEY>` and {"mobile", "template", "sign", "params": {"title", "text", "url"}}.
Any 2xx is accepted; 429 (rate limit) and 5xx mean try later; any other status is a refusal whose JSON
"message" (or body) is shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from soegov.notices.remote import Refused, TryLater, call, cut_bytes

WHAT = "短信网关"


def sms_message(*, mobile: str, title: str, text: str, url: str) -> dict[str, Any]:
    """The gateway's JSON body."""
    return {"mobile": mobile, "template": settings.SOEGOV_SMS_TEMPLATE, "sign": settings.SOEGOV_SMS_SIGN,
            "params": {"title": cut_bytes(title, 90), "text": cut_bytes(text, 300), "url": url}}


def send(*, mobile: str, title: str, text: str, url: str) -> None:
    """Send one SMS; TryLater or Refused when the gateway did not take it."""
    response = call("POST", settings.SOEGOV_SMS_URL, what=WHAT,
                    headers={"Authorization": f"Bearer {settings.SOEGOV_SMS_KEY}"},
                    body=sms_message(mobile=mobile, title=title, text=text, url=url))
    if 200 <= response.status_code < 300:
        return
    try:
        detail = str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        detail = response.text[:200]
    message = f"{WHAT}未接收（HTTP {response.status_code}）：{detail}"
    if response.status_code == 429:
        raise TryLater(message)
    raise Refused(message)
