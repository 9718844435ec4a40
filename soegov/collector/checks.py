"""Start-up checks of the reporting settings (`soegov serve`, `soegov worker`, `soegov check`).

Half a configuration (a URL without its key), a malformed address, plain http to another host, a key file
that is not a key or a bad number stops the start with the variable named, not the first report.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from soegov.collector import signing
from soegov.collector.env import number, switch
from soegov.identity.config import url_problem

TAG = "collector"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A key id the supervisor issues: the enterprise's USCC, "-", 8 hex digits (credentials.key_issue).
KEY_ID = re.compile(r"[0-9A-Z]{18}-[0-9a-f]{8}")


def _error(n: int, msg: str, hint: str = "") -> checks.Error:
    return checks.Error(msg, hint=hint or None, id=f"soegov.collector.E{n:03d}")


def _address(url: str) -> list[checks.CheckMessage]:
    problem = url_problem(url)
    if problem:
        return [_error(2, f"SOEGOV_COLLECTOR_URL={url!r} {problem}")]
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return [_error(3, f"SOEGOV_COLLECTOR_URL={url!r} 须使用 https://（明文 http 只允许本机 127.0.0.1 测试）",
                       "向国资委索取采集端的 https 地址；自签证书用 SOEGOV_COLLECTOR_CA_BUNDLE 指定其 CA")]
    return []


def _key_file(path: str) -> list[checks.CheckMessage]:
    try:
        signing.read_key_file(Path(path))
    except ValueError as exc:
        return [_error(4, f"SOEGOV_COLLECTOR_KEY_FILE：{exc}")]
    mode = os.stat(path).st_mode
    if mode & 0o077:
        return [checks.Warning(f"SOEGOV_COLLECTOR_KEY_FILE {path} 可被其他用户读取（权限 {mode & 0o777:o}）",
                               hint=f"chmod 600 {path}", id="soegov.collector.W001")]
    return []


def _numbers() -> list[checks.CheckMessage]:
    s = settings
    out: list[checks.CheckMessage] = []
    for name, raw, low, high, unit in (
            ("SOEGOV_COLLECTOR_SCHEDULE_MINUTES", s.SOEGOV_COLLECTOR_SCHEDULE_RAW, 0, 7 * 24 * 60, "分钟（0 表示只按需发送）"),
            ("SOEGOV_COLLECTOR_RETRY_SECONDS", s.SOEGOV_COLLECTOR_RETRY_RAW, 1, 86400, "秒"),
            ("SOEGOV_COLLECTOR_RETRY_MAX_SECONDS", s.SOEGOV_COLLECTOR_RETRY_MAX_RAW, 1, 7 * 86400, "秒"),
            ("SOEGOV_COLLECTOR_TIMEOUT_SECONDS", s.SOEGOV_COLLECTOR_TIMEOUT_RAW, 1, 600, "秒")):
        if number(str(raw), low, high) is None:
            out.append(_error(5, f"{name}={raw!r} 应为 {low} 到 {high} 之间的{unit}"))
    return out


@checks.register(TAG)
def check_collector_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The collector's URL, key id and key file are all set or none, and each is usable."""
    s = settings
    given = {"SOEGOV_COLLECTOR_URL": s.SOEGOV_COLLECTOR_URL, "SOEGOV_COLLECTOR_KEY_ID": s.SOEGOV_COLLECTOR_KEY_ID,
             "SOEGOV_COLLECTOR_KEY_FILE": s.SOEGOV_COLLECTOR_KEY_FILE}
    out = _numbers()
    auto = switch(str(s.SOEGOV_COLLECTOR_AUTO_RAW))
    if auto is None:
        out.append(_error(8, f"SOEGOV_COLLECTOR_AUTO={s.SOEGOV_COLLECTOR_AUTO_RAW!r} 应为 1（自动报送）或 0（只在点击“报送”时报送）"))
    if s.SOEGOV_COLLECTOR_CA_BUNDLE and not os.access(s.SOEGOV_COLLECTOR_CA_BUNDLE, os.R_OK):
        out.append(_error(6, f"SOEGOV_COLLECTOR_CA_BUNDLE：文件 {s.SOEGOV_COLLECTOR_CA_BUNDLE} 不存在或无法读取"))
    set_ = {k for k, v in given.items() if v}
    if not set_:
        return out
    if set_ != set(given):
        missing = "、".join(sorted(set(given) - set_))
        return [*out, _error(1, f"已设置 {'、'.join(sorted(set_))}，但未设置 {missing}；报送到国资委采集端须三者都设置",
                              "向国资委端管理员索取密钥编号与密钥文件（soegov collector key issue），或全部删去以停用报送")]
    out += _address(s.SOEGOV_COLLECTOR_URL)
    key_id = s.SOEGOV_COLLECTOR_KEY_ID
    if len(key_id) > 64 or any(c.isspace() for c in key_id):
        out.append(_error(7, f"SOEGOV_COLLECTOR_KEY_ID={key_id!r} 不是密钥编号（形如 <统一社会信用代码>-<8 位十六进制>）"))
    elif auto and not KEY_ID.fullmatch(key_id):
        # The automatic reporting reports for the enterprise the key was issued to, read from the key id.
        out.append(_error(9, f"SOEGOV_COLLECTOR_KEY_ID={key_id!r} 不以统一社会信用代码开头（形如 <统一社会信用代码>-<8 位十六进制>），"
                             "自动报送无法确定为哪家企业报送",
                          "使用国资委签发的密钥编号，或设置 SOEGOV_COLLECTOR_AUTO=0 只在点击“报送”时报送"))
    out += _key_file(s.SOEGOV_COLLECTOR_KEY_FILE)
    return out
