"""Every notices test sends to a local stand-in of the platforms, configured as an operator would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notices import platforms as pf


@pytest.fixture
def server() -> Iterator[pf.PlatformServer]:
    """The platforms' stand-in on 127.0.0.1, stopped at the end of the test."""
    srv = pf.PlatformServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def configured(settings: pytest.FixtureRequest, server: pf.PlatformServer) -> pf.PlatformServer:
    """Every channel configured against the stand-in; jobs retry at once (eager queue)."""
    settings.SOEGOV_WECOM_CORP_ID = pf.CORP_ID
    settings.SOEGOV_WECOM_SECRET = pf.CORP_SECRET
    settings.SOEGOV_WECOM_AGENT_ID = str(pf.AGENT)
    settings.SOEGOV_WECOM_API_URL = server.url
    settings.SOEGOV_DINGTALK_APP_KEY = pf.APP_KEY
    settings.SOEGOV_DINGTALK_APP_SECRET = pf.APP_SECRET
    settings.SOEGOV_DINGTALK_AGENT_ID = str(pf.DT_AGENT)
    settings.SOEGOV_DINGTALK_API_URL = server.url
    settings.SOEGOV_DINGTALK_ROBOT_WEBHOOK = f"{server.url}/robot/send?access_token={pf.ROBOT_TOKEN}"
    settings.SOEGOV_DINGTALK_ROBOT_SECRET = pf.ROBOT_SECRET
    settings.SOEGOV_SMS_URL = f"{server.url}/sms/send"
    settings.SOEGOV_SMS_KEY = pf.SMS_KEY
    settings.SOEGOV_SMS_TEMPLATE = pf.SMS_TEMPLATE
    settings.SOEGOV_SITE_URL = "https://soegov.example.gov.cn"
    return server
