"""A local stand-in for the 企业微信, 钉钉 (work notice and group robot) and SMS gateway HTTP APIs.

It listens on 127.0.0.1 (a free port), checks every request against the documented format (the same
documents soegov/notices/wecom.py and dingtalk.py cite) and answers as the platform does: errcode/errmsg,
40014/42001 for a bad or expired access_token, 45009 / 90018 / 130101 when calls exceed the rate limit,
310000 for a robot signature that does not match, 81013 for an unknown user, 5xx while `down`.
A daemon thread; the fixture shuts it down at the end of the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CORP_ID, CORP_SECRET, AGENT = "ww0123456789abcdef", "wecom-app-secret", 1000002
APP_KEY, APP_SECRET, DT_AGENT = "dingappkey01", "dingtalk-app-secret", 2750001
ROBOT_TOKEN, ROBOT_SECRET = "robot-access-token", "SEC0123456789abcdef0123456789abcdef"
SMS_KEY, SMS_TEMPLATE = "sms-gateway-key", "SMS_100001"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class Platforms:
    """What the platforms know (users, tokens), what they were sent, and the knobs a test turns."""

    wecom_users: set[str] = field(default_factory=lambda: {"zhangsan", "lisi"})
    dingtalk_users: set[str] = field(default_factory=lambda: {"manager4220"})
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    down: bool = False
    # The next this many requests answer 502 (a platform restarting), then it is back.
    fail_next: int = 0
    # Calls allowed per 60 s window, per API (the robot's real limit is 20 a minute).
    limits: dict[str, int] = field(default_factory=lambda: {"robot": 20})
    calls: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    received: list[dict[str, Any]] = field(default_factory=list)
    token_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        """Every token issued so far has expired (as after two hours)."""
        with self.lock:
            for t in self.tokens:
                self.tokens[t] = 0.0

    def sent(self, api: str) -> list[dict[str, Any]]:
        """The accepted messages of one API (wecom, dingtalk, robot, sms)."""
        return [r for r in self.received if r["api"] == api and r["accepted"]]

    def over_limit(self, api: str) -> bool:
        now = time.monotonic()
        window = [t for t in self.calls[api] if now - t < 60]
        window.append(now)
        self.calls[api] = window
        return api in self.limits and len(window) > self.limits[api]

    def issue(self) -> str:
        token = secrets.token_hex(16)
        self.tokens[token] = time.monotonic() + 7200
        self.token_requests += 1
        return token

    def token_error(self, token: str) -> dict[str, Any] | None:
        if token not in self.tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if self.tokens[token] < time.monotonic():
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None


def _bytes(value: Any) -> int:
    return len(str(value).encode("utf-8"))


def wecom_gettoken(p: Platforms, q: dict[str, str]) -> dict[str, Any]:
    if q.get("corpid") != CORP_ID:
        return {"errcode": 40013, "errmsg": "invalid corpid"}
    if q.get("corpsecret") != CORP_SECRET:
        return {"errcode": 40001, "errmsg": "invalid credential"}
    return {"errcode": 0, "errmsg": "ok", "access_token": p.issue(), "expires_in": 7200}


def wecom_send(p: Platforms, q: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    bad = p.token_error(q.get("access_token", ""))
    if bad:
        return bad
    if p.over_limit("wecom"):
        return {"errcode": 45009, "errmsg": "api freq out of limit"}
    if body.get("agentid") != AGENT or not isinstance(body.get("touser"), str):
        return {"errcode": 40056, "errmsg": "invalid agentid"}
    kind = body.get("msgtype")
    if kind == "text":
        content = (body.get("text") or {}).get("content", "")
        if not content:
            return {"errcode": 44004, "errmsg": "empty content"}
        if _bytes(content) > 2048:
            return {"errcode": 45002, "errmsg": "content size out of limit"}
    elif kind == "textcard":
        card = body.get("textcard") or {}
        if not card.get("title") or not card.get("description") or not card.get("url"):
            return {"errcode": 41016, "errmsg": "missing title, description or url"}
        if _bytes(card["title"]) > 128 or _bytes(card["description"]) > 512 or _bytes(card.get("btntxt", "")) > 12:
            return {"errcode": 45002, "errmsg": "content size out of limit"}
    else:
        return {"errcode": 40008, "errmsg": "invalid message type"}
    users = body["touser"].split("|")
    invalid = [u for u in users if u not in p.wecom_users]
    if len(invalid) == len(users):
        return {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
    return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": secrets.token_hex(8)}


def dingtalk_gettoken(p: Platforms, q: dict[str, str]) -> dict[str, Any]:
    if q.get("appkey") != APP_KEY or q.get("appsecret") != APP_SECRET:
        return {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
    return {"errcode": 0, "errmsg": "ok", "access_token": p.issue(), "expires_in": 7200}


def dingtalk_send(p: Platforms, q: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    bad = p.token_error(q.get("access_token", ""))
    if bad:
        return bad | {"errmsg": "不合法的access_token" if bad["errcode"] == 40014 else "access_token超时"}
    if p.over_limit("dingtalk"):
        return {"errcode": 90018, "errmsg": "当前企业调用该接口超过每秒的限流"}
    if body.get("agent_id") != DT_AGENT:
        return {"errcode": 88, "sub_code": "60011", "sub_msg": "没有调用该接口的权限", "errmsg": "ding talk error"}
    msg = body.get("msg") or {}
    if _bytes(json.dumps(msg, ensure_ascii=False)) > 2048:
        return {"errcode": 40035, "errmsg": "消息内容超过 2048 字节"}
    kind = msg.get("msgtype")
    text_ok = kind == "text" and bool((msg.get("text") or {}).get("content"))
    card_ok = kind == "action_card" and {"title", "markdown", "single_title", "single_url"} <= set(msg.get("action_card") or {})
    if not (text_ok or card_ok):
        return {"errcode": 40035, "errmsg": "缺少参数 msg"}
    users = str(body.get("userid_list", "")).split(",")
    if not any(u in p.dingtalk_users for u in users):
        # The send is asynchronous: the platform takes it and reports unknown users in the send result.
        return {"errcode": 33012, "errmsg": "无效的USERID"}
    return {"errcode": 0, "errmsg": "ok", "task_id": int(time.time() * 1000), "request_id": secrets.token_hex(6)}


def robot_send(p: Platforms, q: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    if q.get("access_token") != ROBOT_TOKEN:
        return {"errcode": 300001, "errmsg": "token is not exist"}
    try:
        stamp = int(q.get("timestamp", ""))
    except ValueError:
        return {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}
    expected = base64.b64encode(hmac.new(ROBOT_SECRET.encode(), f"{stamp}\n{ROBOT_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    if abs(stamp - time.time() * 1000) > 3600 * 1000 or not hmac.compare_digest(q.get("sign", ""), expected):
        return {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}
    if p.over_limit("robot"):
        return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
    md = body.get("markdown") or {}
    if body.get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
        return {"errcode": 40035, "errmsg": "缺少参数 json"}
    return {"errcode": 0, "errmsg": "ok"}


def sms_send(p: Platforms, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if headers.get("Authorization") != f"Bearer {SMS_KEY}":
        return 401, {"message": "密钥无效"}
    if p.over_limit("sms"):
        return 429, {"message": "发送过于频繁"}
    if not MOBILE.match(str(body.get("mobile", ""))):
        return 400, {"message": "手机号码格式不对"}
    if body.get("template") != SMS_TEMPLATE or not (body.get("params") or {}).get("text"):
        return 400, {"message": "模板或参数不对"}
    return 200, {"code": "OK", "id": secrets.token_hex(8)}


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def _answer(self, status: int, data: dict[str, Any]) -> None:
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self, method: str) -> None:
        p: Platforms = self.server.platforms
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body: dict[str, Any] = {}
        if method == "POST":
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                return self._answer(400, {"errcode": 40035, "errmsg": "Content-Type 应为 application/json"})
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                return self._answer(200, {"errcode": 47001, "errmsg": "data format error"})
        with p.lock:
            failing = p.down or p.fail_next > 0
            p.fail_next = max(0, p.fail_next - 1)
        if failing:
            return self._answer(502, {"errmsg": "bad gateway"})
        routes = {("GET", "/cgi-bin/gettoken"), ("POST", "/cgi-bin/message/send"), ("GET", "/gettoken"),
                  ("POST", "/topapi/message/corpconversation/asyncsend_v2"), ("POST", "/robot/send"),
                  ("POST", "/sms/send")}
        if (method, parts.path) not in routes:
            return self._answer(404, {"errcode": 404, "errmsg": "请求的URI地址不存在"})
        with p.lock:
            status = 200
            if parts.path == "/cgi-bin/gettoken":
                api, data = "wecom_token", wecom_gettoken(p, q)
            elif parts.path == "/cgi-bin/message/send":
                api, data = "wecom", wecom_send(p, q, body)
            elif parts.path == "/gettoken":
                api, data = "dingtalk_token", dingtalk_gettoken(p, q)
            elif parts.path == "/robot/send":
                api, data = "robot", robot_send(p, q, body)
            elif parts.path == "/sms/send":
                api = "sms"
                status, data = sms_send(p, self.headers, body)
            else:
                api, data = "dingtalk", dingtalk_send(p, q, body)
            accepted = status == 200 and data.get("errcode", 0) == 0
            p.received.append({"api": api, "query": q, "body": body, "answer": data, "accepted": accepted})
        self._answer(status, data)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class PlatformServer:
    """The running stand-in: `url` is its base address, `platforms` its state."""

    def __init__(self) -> None:
        self.platforms = Platforms()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.platforms = self.platforms  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop listening and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def configure(settings: Any, server: PlatformServer) -> None:
    """Every channel configured against the stand-in, as an operator would set the environment."""
    settings.SOEGOV_WECOM_CORP_ID = CORP_ID
    settings.SOEGOV_WECOM_SECRET = CORP_SECRET
    settings.SOEGOV_WECOM_AGENT_ID = str(AGENT)
    settings.SOEGOV_WECOM_API_URL = server.url
    settings.SOEGOV_DINGTALK_APP_KEY = APP_KEY
    settings.SOEGOV_DINGTALK_APP_SECRET = APP_SECRET
    settings.SOEGOV_DINGTALK_AGENT_ID = str(DT_AGENT)
    settings.SOEGOV_DINGTALK_API_URL = server.url
    settings.SOEGOV_DINGTALK_ROBOT_WEBHOOK = f"{server.url}/robot/send?access_token={ROBOT_TOKEN}"
    settings.SOEGOV_DINGTALK_ROBOT_SECRET = ROBOT_SECRET
    settings.SOEGOV_SMS_URL = f"{server.url}/sms/send"
    settings.SOEGOV_SMS_KEY = SMS_KEY
    settings.SOEGOV_SMS_TEMPLATE = SMS_TEMPLATE
    settings.SOEGOV_SITE_URL = "https://soegov.example.gov.cn"
