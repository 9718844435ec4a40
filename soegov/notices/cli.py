"""`soegov notices test`: send one test message on a channel now, to check the operator's settings."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CHANNELS = {"wecom": "wecom", "dingtalk": "dingtalk", "robot": "dingtalk_robot", "sms": "sms"}


def cmd_test(args: argparse.Namespace) -> int:
    """Send one message at once (not through the queue) and say what the platform answered."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.notices import config
    from soegov.notices.models import Notice
    from soegov.notices.remote import Refused, TryLater
    from soegov.notices.services import send_one

    channel = CHANNELS[args.channel]
    notice = Notice(channel=channel, event="review", address=args.to or "",
                    title="soegov 测试消息", text="这是一条测试消息：收到即说明通知渠道配置正确。",
                    url=config.absolute_url("/notices/"))
    label = notice.get_channel_display()
    if channel != "dingtalk_robot" and not args.to:
        print(f"soegov: 请用 --to 指定接收账号（{'手机号码' if channel == 'sms' else '用户 ID'}）")
        return 2
    if not config.configured(channel):
        print(f"soegov: 本系统未配置{label}（见 docs/notices.md）")
        return 2
    try:
        send_one(notice)
    except (TryLater, Refused) as exc:
        print(f"soegov: {label}测试消息未发出：{exc.message}")
        return 2
    print(f"已通过{label}发出测试消息" + (f"（接收：{args.to}）" if args.to else ""))
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov notices test`."""
    p = sub.add_parser("notices", help="企业微信、钉钉、短信通知")
    inner = p.add_subparsers(dest="notices_command", required=True)
    t = inner.add_parser("test", help="立即发送一条测试消息，检查渠道配置")
    t.add_argument("--channel", required=True, choices=sorted(CHANNELS), help="wecom、dingtalk、robot（钉钉群机器人）或 sms")
    t.add_argument("--to", default="", help="接收人：企业微信账号、钉钉 userid 或手机号码（robot 不需要）")
    t.set_defaults(handler=cmd_test)
