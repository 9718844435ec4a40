"""企业微信 application messages: gettoken, then message/send as text or textcard.

Formats from the 企业微信 developer documents: 获取access_token (developer.work.weixin.qq.com/document/
path/91039: GET /cgi-bin/gettoken?corpid&corpsecret → errcode, errmsg, access_token, expires_in) and
发送应用消息 (path/90236: POST /cgi-bin/message/send?access_token, JSON touser/msgtype/agentid and text.content
≤2048 bytes or textcard.title ≤128 / description ≤512 bytes / url / btntxt; answer errcode, errmsg,
invaliduser). Error codes from 全局错误码 (path/90313): 40014 invalid and 42001 expired access_token (fetch a
new token and send again), 45009 call frequency over the limit, 45033 too many concurrent calls and -1
system busy (try later), 81013 every recipient invalid.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from soegov.notices import remote
from soegov.notices.remote import Refused, cut_bytes, errcode_failure, post_with_token

WHAT = "企业微信"
TOKEN_EXPIRED = {40014, 42001}
TRY_LATER = {-1, 45009, 45033}


def _token_key() -> str:
    return f"soegov:notices:wecom-token:{settings.SOEGOV_WECOM_CORP_ID}:{settings.SOEGOV_WECOM_AGENT_ID}"


def _failure(data: dict[str, Any], doing: str) -> Exception:
    return errcode_failure(data, what=WHAT, doing=doing, later=TRY_LATER)


def access_token(*, fresh: bool = False) -> str:
    """The application's access_token, kept in the cache until shortly before it expires."""
    return remote.access_token(cache_key=_token_key(), url=f"{settings.SOEGOV_WECOM_API_URL}/cgi-bin/gettoken",
                               params={"corpid": settings.SOEGOV_WECOM_CORP_ID,
                                       "corpsecret": settings.SOEGOV_WECOM_SECRET},
                               what=WHAT, later=TRY_LATER, fresh=fresh)


def message(*, userid: str, title: str, text: str, url: str) -> dict[str, Any]:
    """The message/send body: a textcard when there is a link to open, else a text."""
    agent = int(settings.SOEGOV_WECOM_AGENT_ID)
    if url:
        return {"touser": userid, "msgtype": "textcard", "agentid": agent,
                "textcard": {"title": cut_bytes(title, 128), "description": cut_bytes(text, 512),
                             "url": url, "btntxt": "详情"}}
    return {"touser": userid, "msgtype": "text", "agentid": agent,
            "text": {"content": cut_bytes(f"{title}\n{text}", 2048)}}


def send(*, userid: str, title: str, text: str, url: str) -> None:
    """Send one application message to one person; TryLater or Refused when it did not go."""
    body = message(userid=userid, title=title, text=text, url=url)
    endpoint = f"{settings.SOEGOV_WECOM_API_URL}/cgi-bin/message/send"
    data = post_with_token(endpoint, body, what=WHAT, token=access_token, expired=TOKEN_EXPIRED,
                           refusal=lambda d: _failure(d, "发送消息"))
    invalid = {u.lower() for u in str(data.get("invaliduser") or "").split("|") if u}
    if userid.lower() in invalid:
        raise Refused(f"{WHAT}不认识账号 {userid}，或该账号不在应用的可见范围内（invaliduser）")
