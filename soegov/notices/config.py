"""Which channels this deployment has configured (settings read at call time, so a test's override applies)."""

from __future__ import annotations

from django.conf import settings

from soegov.notices.models import Channel, Event


def wecom_configured() -> bool:
    """Whether 企业微信 application messages can be sent."""
    return bool(settings.SOEGOV_WECOM_CORP_ID and settings.SOEGOV_WECOM_SECRET and settings.SOEGOV_WECOM_AGENT_ID)


def dingtalk_configured() -> bool:
    """Whether 钉钉 work notices can be sent."""
    return bool(settings.SOEGOV_DINGTALK_APP_KEY and settings.SOEGOV_DINGTALK_APP_SECRET
                and settings.SOEGOV_DINGTALK_AGENT_ID)


def robot_configured() -> bool:
    """Whether a 钉钉 group robot is set up."""
    return bool(settings.SOEGOV_DINGTALK_ROBOT_WEBHOOK)


def sms_configured() -> bool:
    """Whether the SMS gateway is set up."""
    return bool(settings.SOEGOV_SMS_URL and settings.SOEGOV_SMS_KEY)


def configured(channel: str) -> bool:
    """Whether the channel can be used in this deployment."""
    return {Channel.WECOM: wecom_configured, Channel.DINGTALK: dingtalk_configured,
            Channel.DINGTALK_ROBOT: robot_configured, Channel.SMS: sms_configured}[Channel(channel)]()


def robot_events() -> set[str]:
    """The events the group robot posts (SOEGOV_DINGTALK_ROBOT_EVENTS)."""
    return {e.strip() for e in settings.SOEGOV_DINGTALK_ROBOT_EVENTS.split(",") if e.strip()} & set(Event.values)


def absolute_url(path: str) -> str:
    """A page's address people can open from their phone ("" without SOEGOV_SITE_URL: no link is sent)."""
    if not path or not settings.SOEGOV_SITE_URL:
        return ""
    return path if path.startswith(("http://", "https://")) else settings.SOEGOV_SITE_URL + "/" + path.lstrip("/")
