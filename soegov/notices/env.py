"""The notice channels' settings read from the environment (SOEGOV_WECOM_*, SOEGOV_DINGTALK_*, SOEGOV_SMS_*).

Plain Python, imported by the settings module. Values are kept as given (stripped); `checks.py` says at
start-up what is missing or malformed, so a mistake stops `soegov serve` rather than the first notice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from soegov.identity.env import read_secret


def notice_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every notice setting with its value from the environment (or its default)."""
    env = os.environ if env is None else env

    def get(name: str, default: str = "") -> str:
        return env.get(name, "").strip() or default

    return {
        # 企业微信 self-built application (corp id, its secret and agent id from the admin console).
        "SOEGOV_WECOM_CORP_ID": get("SOEGOV_WECOM_CORP_ID"),
        "SOEGOV_WECOM_SECRET": read_secret(env, "SOEGOV_WECOM_SECRET"),
        "SOEGOV_WECOM_SECRET_FILE": get("SOEGOV_WECOM_SECRET_FILE"),
        "SOEGOV_WECOM_AGENT_ID": get("SOEGOV_WECOM_AGENT_ID"),
        "SOEGOV_WECOM_API_URL": get("SOEGOV_WECOM_API_URL", "https://qyapi.weixin.qq.com").rstrip("/"),
        # 钉钉 internal application (AppKey/AppSecret and the AgentId of its 工作通知).
        "SOEGOV_DINGTALK_APP_KEY": get("SOEGOV_DINGTALK_APP_KEY"),
        "SOEGOV_DINGTALK_APP_SECRET": read_secret(env, "SOEGOV_DINGTALK_APP_SECRET"),
        "SOEGOV_DINGTALK_APP_SECRET_FILE": get("SOEGOV_DINGTALK_APP_SECRET_FILE"),
        "SOEGOV_DINGTALK_AGENT_ID": get("SOEGOV_DINGTALK_AGENT_ID"),
        "SOEGOV_DINGTALK_API_URL": get("SOEGOV_DINGTALK_API_URL", "https://oapi.dingtalk.com").rstrip("/"),
        # 钉钉 group robot (自定义机器人, 加签): its webhook address, its SEC… secret, the events it posts.
        "SOEGOV_DINGTALK_ROBOT_WEBHOOK": get("SOEGOV_DINGTALK_ROBOT_WEBHOOK"),
        "SOEGOV_DINGTALK_ROBOT_SECRET": read_secret(env, "SOEGOV_DINGTALK_ROBOT_SECRET"),
        "SOEGOV_DINGTALK_ROBOT_SECRET_FILE": get("SOEGOV_DINGTALK_ROBOT_SECRET_FILE"),
        "SOEGOV_DINGTALK_ROBOT_EVENTS": get("SOEGOV_DINGTALK_ROBOT_EVENTS", "meeting,overdue"),
        # SMS through the operator's HTTP gateway (JSON POST; docs/notices.md).
        "SOEGOV_SMS_URL": get("SOEGOV_SMS_URL"),
        "SOEGOV_SMS_KEY": read_secret(env, "SOEGOV_SMS_KEY"),
        "SOEGOV_SMS_KEY_FILE": get("SOEGOV_SMS_KEY_FILE"),
        "SOEGOV_SMS_TEMPLATE": get("SOEGOV_SMS_TEMPLATE"),
        "SOEGOV_SMS_SIGN": get("SOEGOV_SMS_SIGN"),
        # The address people open soegov at, for the link in a card ("" = text messages without a link).
        "SOEGOV_SITE_URL": get("SOEGOV_SITE_URL").rstrip("/"),
        "SOEGOV_NOTICE_TIMEOUT_RAW": get("SOEGOV_NOTICE_TIMEOUT_SECONDS", "10"),
    }
