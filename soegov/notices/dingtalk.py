"""钉钉: work notices from the internal application, and messages to a group through its custom robot.

Work notices, from the 钉钉 open platform documents: 获取企业内部应用的access_token (GET /gettoken?appkey&appsecret
→ errcode, errmsg, access_token, expires_in 7200) and 发送工作通知 (POST /topapi/message/corpconversation/
asyncsend_v2?access_token, JSON agent_id, userid_list, msg {msgtype text|action_card}; msg at most 2048 bytes;
answer errcode, errmsg, task_id, request_id). Error codes from 服务端错误码: -1 system busy, 40014 invalid
and 42001 expired access_token, 88 authentication (sub_code says why), 90002/90018 call rate over the limit.

Group robot, from 自定义机器人接入 / 自定义机器人安全设置 (open.dingtalk.com/document/robots/customize-robot-security-
settings): POST the webhook with &timestamp=<ms>&sign=<urlEncode(Base64(HmacSHA256(secret, timestamp+"\n"+secret)))>,
the timestamp within an hour of the server's clock; JSON msgtype markdown {title, text}. At most 20 messages a
minute per robot: beyond that 130101 "send too fast" (try later); 310000 means the signature, keyword or IP
check failed (a configuration error).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings

from soegov.notices import remote
from soegov.notices.remote import call, cut_bytes, errcode_failure, json_of, post_with_token

WHAT = "钉钉"
ROBOT = "钉钉群机器人"
TOKEN_EXPIRED = {40014, 42001}
TRY_LATER = {-1, 90002, 90018}
ROBOT_TRY_LATER = {-1, 130101}


def _token_key() -> str:
    return f"soegov:notices:dingtalk-token:{settings.SOEGOV_DINGTALK_APP_KEY}"


def _failure(data: dict[str, Any], doing: str, what: str = WHAT, later: set[int] = TRY_LATER) -> Exception:
    return errcode_failure(data, what=what, doing=doing, later=later)


def access_token(*, fresh: bool = False) -> str:
    """The internal application's access_token, cached until shortly before it expires."""
    return remote.access_token(cache_key=_token_key(), url=f"{settings.SOEGOV_DINGTALK_API_URL}/gettoken",
                               params={"appkey": settings.SOEGOV_DINGTALK_APP_KEY,
                                       "appsecret": settings.SOEGOV_DINGTALK_APP_SECRET},
                               what=WHAT, later=TRY_LATER, fresh=fresh)


def work_message(*, userid: str, title: str, text: str, url: str) -> dict[str, Any]:
    """The asyncsend_v2 body: an action card with a button when there is a link, else a text."""
    if url:
        msg: dict[str, Any] = {"msgtype": "action_card", "action_card": {
            "title": cut_bytes(title, 128), "markdown": cut_bytes(f"### {title}\n\n{text}", 1500),
            "single_title": "查看详情", "single_url": url}}
    else:
        msg = {"msgtype": "text", "text": {"content": cut_bytes(f"{title}\n{text}", 1800)}}
    return {"agent_id": int(settings.SOEGOV_DINGTALK_AGENT_ID), "userid_list": userid, "msg": msg}


def send_work_notice(*, userid: str, title: str, text: str, url: str) -> None:
    """Send one work notice to one person; TryLater or Refused when it did not go."""
    body = work_message(userid=userid, title=title, text=text, url=url)
    endpoint = f"{settings.SOEGOV_DINGTALK_API_URL}/topapi/message/corpconversation/asyncsend_v2"
    post_with_token(endpoint, body, what=WHAT, token=access_token, expired=TOKEN_EXPIRED,
                    refusal=lambda data: _failure(data, "发送工作通知"))


def robot_sign(secret: str, timestamp_ms: int) -> str:
    """The robot's 加签 value: Base64 of HMAC-SHA256 over "timestamp\\nsecret" keyed with the secret."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def robot_message(*, title: str, text: str, url: str) -> dict[str, Any]:
    """The robot's markdown body (the link, when there is one, as the last line)."""
    body = f"#### {title}\n\n{text}" + (f"\n\n[查看详情]({url})" if url else "")
    return {"msgtype": "markdown", "markdown": {"title": cut_bytes(title, 128), "text": cut_bytes(body, 4000)}}


def send_robot(*, title: str, text: str, url: str) -> None:
    """Post one message to the configured group through its robot; TryLater or Refused when it did not go."""
    timestamp = int(time.time() * 1000)
    params: dict[str, Any] = {}
    if settings.SOEGOV_DINGTALK_ROBOT_SECRET:
        # requests URL-encodes the parameter, which is the last step the robot documents ask for.
        params = {"timestamp": str(timestamp), "sign": robot_sign(settings.SOEGOV_DINGTALK_ROBOT_SECRET, timestamp)}
    response = call("POST", settings.SOEGOV_DINGTALK_ROBOT_WEBHOOK, what=ROBOT, params=params,
                    body=robot_message(title=title, text=text, url=url))
    data = json_of(response, ROBOT)
    if data.get("errcode") != 0:
        raise _failure(data, "发送消息", ROBOT, ROBOT_TRY_LATER)
