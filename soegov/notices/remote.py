"""Calling the messaging platforms over HTTP: time limits, and the two kinds of failure a sender reports.

`TryLater`: the other side is down, busy or limiting our rate; the notice stays pending and the queue
tries again with backoff. `Refused`: the request itself is wrong (a bad secret, an unknown userid); trying
again would give the same answer, so the notice is marked failed with the platform's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache


class TryLater(Exception):
    """The platform could not take the message now; send it again later."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Refused(Exception):
    """The platform refused the message for a reason another try would not change."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def timeout_seconds() -> float:
    """SOEGOV_NOTICE_TIMEOUT_SECONDS as a number (the start-up check refuses a bad value)."""
    try:
        value = float(settings.SOEGOV_NOTICE_TIMEOUT_RAW)
    except ValueError:
        return 10.0
    return value if 0 < value <= 120 else 10.0


def call(method: str, url: str, *, what: str, params: dict[str, Any] | None = None,
         body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> requests.Response:
    """One HTTP request with the time limit; a connection failure or a 5xx answer is TryLater."""
    try:
        response = requests.request(method, url, params=params, json=body, headers=headers,
                                    timeout=timeout_seconds())
    except requests.RequestException as exc:
        raise TryLater(f"无法连接{what}（{type(exc).__name__}）") from exc
    if response.status_code >= 500:
        raise TryLater(f"{what}暂时不可用（HTTP {response.status_code}）")
    return response


def json_of(response: requests.Response, what: str) -> dict[str, Any]:
    """The JSON object a platform answered with (anything else is TryLater: a proxy page, a cut answer)."""
    try:
        data = response.json()
    except ValueError as exc:
        raise TryLater(f"{what}的应答不是 JSON（HTTP {response.status_code}）") from exc
    if not isinstance(data, dict):
        raise TryLater(f"{what}的应答格式不对（HTTP {response.status_code}）")
    return data


def cut_bytes(text: str, limit: int) -> str:
    """The text cut to at most `limit` UTF-8 bytes without splitting a character (platforms count bytes)."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode("utf-8", errors="ignore") + "…"


def errcode_failure(data: dict[str, Any], *, what: str, doing: str, later: set[int]) -> Exception:
    """A platform's {errcode, errmsg} refusal as the error to raise: TryLater for the codes that mean so, else Refused."""
    code = data.get("errcode")
    detail = data.get("sub_msg") or data.get("errmsg", "")
    message = f"{what}{doing}失败：{detail}（错误码 {code}）"
    return TryLater(message) if code in later else Refused(message)


def access_token(*, cache_key: str, url: str, params: dict[str, Any], what: str, later: set[int],
                 fresh: bool = False) -> str:
    """A platform's access_token from its gettoken endpoint (企业微信 and 钉钉 answer alike), kept in the cache."""
    if not fresh:
        cached = cache.get(cache_key)
        if cached:
            return str(cached)
    data = json_of(call("GET", url, what=what, params=params), what)
    if data.get("errcode") != 0 or not data.get("access_token"):
        raise errcode_failure(data, what=what, doing="获取 access_token ", later=later)
    # Refresh a few minutes early so a token never expires between the cache and the call.
    cache.set(cache_key, data["access_token"], max(60, int(data.get("expires_in") or 7200) - 300))
    return str(data["access_token"])


def post_with_token(endpoint: str, body: dict[str, Any], *, what: str, token: Callable[..., str], expired: set[int],
                    refusal: Callable[[dict[str, Any]], Exception]) -> dict[str, Any]:
    """POST a message with the platform's access_token; a token the platform calls expired is renewed once."""
    def post(access_token: str) -> dict[str, Any]:
        return json_of(call("POST", endpoint, what=what, params={"access_token": access_token}, body=body), what)

    data = post(token())
    if data.get("errcode") in expired:
        data = post(token(fresh=True))
    if data.get("errcode") != 0:
        raise refusal(data)
    return data
