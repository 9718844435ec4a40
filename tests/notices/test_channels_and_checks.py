"""A person's channel choice (every bad field named) and the start-up checks of the channels' settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks

from soegov.audit.models import AuditEntry
from soegov.core.errors import SoegovError
from soegov.notices import services
from soegov.notices.checks import check_notice_settings
from soegov.notices.models import NoticeChannels
from tests.factories import UserFactory
from tests.notices import platforms as pf


@pytest.mark.django_db
def test_channels_saved_and_audited(configured: pf.PlatformServer) -> None:
    user = UserFactory()
    row = services.channels_save(actor=user, user=user, data={"wecom": "on", "wecom_userid": " zhangsan ",
                                                              "sms": "on", "mobile": "139-0000-1111"}, version=0)
    assert (row.wecom, row.wecom_userid, row.sms, row.mobile, row.version) == (True, "zhangsan", True, "13900001111", 1)
    entry = AuditEntry.objects.get(action="notice.channels")
    assert entry.after["mobile"] == "13900001111" and entry.before["wecom"] is False


@pytest.mark.django_db
def test_every_bad_field_is_named_and_nothing_saved(configured: pf.PlatformServer) -> None:
    user = UserFactory()
    with pytest.raises(SoegovError) as caught:
        services.channels_save(actor=user, user=user, data={"wecom": "on", "sms": "on", "mobile": "1390000111",
                                                            "dingtalk_userid": "bad id!"})
    found = [(e.path, e.message) for e in caught.value.details]
    assert found == [("wecom_userid", "选择了企业微信，请填写企业微信账号"),
                     ("dingtalk_userid", "钉钉用户 ID只能由 1–64 个字母、数字和 _-@. 组成"),
                     ("mobile", "手机号码应为 11 位数字，以 1 开头")]
    assert not NoticeChannels.objects.exists()


@pytest.mark.django_db
def test_a_channel_the_deployment_lacks_cannot_be_chosen(settings: Any) -> None:
    settings.SOEGOV_SMS_URL = ""
    user = UserFactory()
    with pytest.raises(SoegovError) as caught:
        services.channels_save(actor=user, user=user, data={"sms": "on", "mobile": "13900001111"})
    assert (caught.value.path, caught.value.message) == ("sms", "本系统尚未配置短信网关，暂不能选择短信")


@pytest.mark.django_db
def test_stale_version_is_refused(configured: pf.PlatformServer) -> None:
    user = UserFactory()
    services.channels_save(actor=user, user=user, data={"mobile": "13900001111"}, version=0)
    with pytest.raises(SoegovError) as caught:
        services.channels_save(actor=user, user=user, data={"mobile": "13900002222"}, version=0)
    assert caught.value.code == "stale_version"
    assert NoticeChannels.objects.get(user=user).mobile == "13900001111"


def ids(found: list[checks.CheckMessage]) -> list[tuple[str, str]]:
    return [(m.id or "", m.msg) for m in found]


def test_checks_pass_when_nothing_or_everything_is_configured(configured: pf.PlatformServer) -> None:
    assert check_notice_settings() == []


def test_checks_pass_with_nothing_configured() -> None:
    assert check_notice_settings() == []


def test_corp_id_without_secret_stops_the_start(settings: Any) -> None:
    settings.SOEGOV_WECOM_CORP_ID = pf.CORP_ID
    settings.SOEGOV_WECOM_AGENT_ID = "1000002"
    assert ids(check_notice_settings()) == [(
        "soegov.notices.E001",
        "已配置企业微信的 SOEGOV_WECOM_AGENT_ID、SOEGOV_WECOM_CORP_ID，但未设置 SOEGOV_WECOM_SECRET；企业微信须全部设置后才能发送")]


def test_unreadable_secret_file_is_named(settings: Any, tmp_path: Any) -> None:
    settings.SOEGOV_SMS_URL = "https://sms.example.cn/send"
    settings.SOEGOV_SMS_TEMPLATE = "SMS_1"
    settings.SOEGOV_SMS_KEY_FILE = str(tmp_path / "missing")
    [(code, msg)] = ids(check_notice_settings())
    assert code == "soegov.notices.E003" and f"文件 {tmp_path / 'missing'} 无法读取或为空" in msg


def test_malformed_values_are_named(settings: Any) -> None:
    settings.SOEGOV_SMS_URL = "sms.example.cn/send"
    settings.SOEGOV_SMS_KEY = "k"
    settings.SOEGOV_SMS_TEMPLATE = "SMS_1"
    settings.SOEGOV_DINGTALK_ROBOT_WEBHOOK = "https://oapi.dingtalk.com/robot/send?access_token=x"
    settings.SOEGOV_DINGTALK_ROBOT_SECRET = "abc"
    settings.SOEGOV_DINGTALK_ROBOT_EVENTS = "meeting,party"
    settings.SOEGOV_NOTICE_TIMEOUT_RAW = "0"
    settings.SOEGOV_WECOM_AGENT_ID = "abc"
    settings.SOEGOV_WECOM_CORP_ID = "ww1"
    settings.SOEGOV_WECOM_SECRET = "s"
    found = dict((code, msg) for code, msg in reversed(ids(check_notice_settings())))
    assert found["soegov.notices.E004"] == "SOEGOV_WECOM_AGENT_ID='abc' 应为正整数（应用详情页的 AgentId）"
    assert found["soegov.notices.E005"] == "SOEGOV_SMS_URL='sms.example.cn/send' 应以 http:// 或 https:// 开头"
    assert found["soegov.notices.E006"] == "SOEGOV_DINGTALK_ROBOT_SECRET 应为机器人安全设置“加签”处以 SEC 开头的密钥"
    assert found["soegov.notices.E007"].startswith("SOEGOV_DINGTALK_ROBOT_EVENTS 中的 party 不是可用的事件")
    assert found["soegov.notices.E008"] == "SOEGOV_NOTICE_TIMEOUT_SECONDS='0' 应为 0 到 120 之间的秒数"


def test_soegov_check_reports_it_in_chinese(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, SOEGOV_WECOM_CORP_ID="ww1", SOEGOV_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "soegov", "check"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "[soegov.notices.E001] 已配置企业微信的 SOEGOV_WECOM_CORP_ID，但未设置 SOEGOV_WECOM_AGENT_ID、SOEGOV_WECOM_SECRET" in done.stderr


def test_cli_test_message_goes_and_a_refusal_is_explained(configured: pf.PlatformServer, capsys: Any) -> None:
    from soegov.cli import main

    assert main(["notices", "test", "--channel", "wecom", "--to", "zhangsan"]) == 0
    assert capsys.readouterr().out.strip() == "已通过企业微信发出测试消息（接收：zhangsan）"
    assert configured.platforms.sent("wecom")[0]["body"]["textcard"]["title"] == "soegov 测试消息"
    assert main(["notices", "test", "--channel", "robot"]) == 0
    assert main(["notices", "test", "--channel", "dingtalk", "--to", "nobody"]) == 2
    assert "钉钉工作通知测试消息未发出：钉钉发送工作通知失败：无效的USERID（错误码 33012）" in capsys.readouterr().out
    assert main(["notices", "test", "--channel", "sms"]) == 2
    assert "请用 --to 指定接收账号（手机号码）" in capsys.readouterr().out


def test_cli_test_on_an_unconfigured_channel(capsys: Any) -> None:
    from soegov.cli import main

    assert main(["notices", "test", "--channel", "sms", "--to", "13900001111"]) == 2
    assert capsys.readouterr().out.strip() == "soegov: 本系统未配置短信（见 docs/notices.md）"
