"""Start-up checks of the notice channels' settings (`soegov serve`, `soegov worker`, `soegov check`).

A channel half configured (a corp id without its secret), a malformed address or a bad number stops the
start with the variable named, so a mistake is found when the operator sets it, not at the first notice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from soegov.identity.config import url_problem
from soegov.notices.models import Event

TAG = "notices"


def _error(n: int, msg: str, hint: str = "") -> checks.Error:
    return checks.Error(msg, hint=hint or None, id=f"soegov.notices.E{n:03d}")


def _url(n: int, name: str, value: str) -> list[checks.CheckMessage]:
    problem = url_problem(value) if value else ""
    return [_error(n, f"{name}={value!r} {problem}")] if problem else []


def _group(n: int, what: str, names: dict[str, str], secret_files: dict[str, str]) -> list[checks.CheckMessage]:
    """All of a channel's settings, or none of them."""
    given = {k for k, v in names.items() if v}
    if not given or given == set(names):
        return []
    missing = []
    for name in sorted(set(names) - given):
        file_name = secret_files.get(name)
        if file_name and getattr(settings, file_name, ""):
            missing.append(f"{name}（文件 {getattr(settings, file_name)} 无法读取或为空）")
        else:
            missing.append(name)
    return [_error(n, f"已配置{what}的 {'、'.join(sorted(given))}，但未设置 {'、'.join(missing)}；"
                      f"{what}须全部设置后才能发送", "在管理后台取得这些值后设置环境变量，或全部删去以停用该渠道")]


@checks.register(TAG)
def check_notice_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The 企业微信 / 钉钉 / SMS settings are complete and well formed."""
    s = settings
    out: list[checks.CheckMessage] = []
    out += _group(1, "企业微信", {"SOEGOV_WECOM_CORP_ID": s.SOEGOV_WECOM_CORP_ID, "SOEGOV_WECOM_SECRET": s.SOEGOV_WECOM_SECRET,
                                 "SOEGOV_WECOM_AGENT_ID": s.SOEGOV_WECOM_AGENT_ID},
                  {"SOEGOV_WECOM_SECRET": "SOEGOV_WECOM_SECRET_FILE"})
    out += _group(2, "钉钉工作通知", {"SOEGOV_DINGTALK_APP_KEY": s.SOEGOV_DINGTALK_APP_KEY,
                                   "SOEGOV_DINGTALK_APP_SECRET": s.SOEGOV_DINGTALK_APP_SECRET,
                                   "SOEGOV_DINGTALK_AGENT_ID": s.SOEGOV_DINGTALK_AGENT_ID},
                  {"SOEGOV_DINGTALK_APP_SECRET": "SOEGOV_DINGTALK_APP_SECRET_FILE"})
    out += _group(3, "短信网关", {"SOEGOV_SMS_URL": s.SOEGOV_SMS_URL, "SOEGOV_SMS_KEY": s.SOEGOV_SMS_KEY},
                  {"SOEGOV_SMS_KEY": "SOEGOV_SMS_KEY_FILE"})
    for name in ("SOEGOV_WECOM_AGENT_ID", "SOEGOV_DINGTALK_AGENT_ID"):
        value = getattr(s, name)
        if value and not (value.isdigit() and 0 < int(value) < 2**63):
            out.append(_error(4, f"{name}={value!r} 应为正整数（应用详情页的 AgentId）"))
    out += _url(5, "SOEGOV_WECOM_API_URL", s.SOEGOV_WECOM_API_URL)
    out += _url(5, "SOEGOV_DINGTALK_API_URL", s.SOEGOV_DINGTALK_API_URL)
    out += _url(5, "SOEGOV_DINGTALK_ROBOT_WEBHOOK", s.SOEGOV_DINGTALK_ROBOT_WEBHOOK)
    out += _url(5, "SOEGOV_SMS_URL", s.SOEGOV_SMS_URL)
    out += _url(5, "SOEGOV_SITE_URL", s.SOEGOV_SITE_URL)
    if s.SOEGOV_DINGTALK_ROBOT_SECRET and not s.SOEGOV_DINGTALK_ROBOT_WEBHOOK:
        out.append(_error(6, "设置了 SOEGOV_DINGTALK_ROBOT_SECRET，但未设置 SOEGOV_DINGTALK_ROBOT_WEBHOOK（机器人的 Webhook 地址）"))
    if s.SOEGOV_DINGTALK_ROBOT_SECRET and not s.SOEGOV_DINGTALK_ROBOT_SECRET.startswith("SEC"):
        out.append(_error(6, "SOEGOV_DINGTALK_ROBOT_SECRET 应为机器人安全设置“加签”处以 SEC 开头的密钥"))
    if s.SOEGOV_DINGTALK_ROBOT_SECRET_FILE and not s.SOEGOV_DINGTALK_ROBOT_SECRET:
        out.append(_error(6, f"SOEGOV_DINGTALK_ROBOT_SECRET_FILE：文件 {s.SOEGOV_DINGTALK_ROBOT_SECRET_FILE} 无法读取或为空"))
    events = [e.strip() for e in s.SOEGOV_DINGTALK_ROBOT_EVENTS.split(",") if e.strip()]
    unknown = [e for e in events if e not in Event.values]
    if unknown:
        out.append(_error(7, f"SOEGOV_DINGTALK_ROBOT_EVENTS 中的 {'、'.join(unknown)} 不是可用的事件",
                          "可用：" + "、".join(f"{value}（{label}）" for value, label in Event.choices)))
    try:
        timeout = float(s.SOEGOV_NOTICE_TIMEOUT_RAW)
    except ValueError:
        timeout = -1
    if not 0 < timeout <= 120:
        out.append(_error(8, f"SOEGOV_NOTICE_TIMEOUT_SECONDS={s.SOEGOV_NOTICE_TIMEOUT_RAW!r} 应为 0 到 120 之间的秒数"))
    if s.SOEGOV_SMS_URL and not s.SOEGOV_SMS_TEMPLATE:
        out.append(_error(10, "已配置短信网关，但未设置 SOEGOV_SMS_TEMPLATE（短信平台审核通过的模板编号）"))
    return out
