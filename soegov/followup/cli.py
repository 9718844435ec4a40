"""`soegov followup remind`: overdue action items and late ratifications (cron; safe to run twice)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_remind(args: argparse.Namespace) -> int:
    """Send the followup reminders that are due and print them."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.followup.reminders import reminders_send

    sent = reminders_send(within_days=args.within_days)
    for line in sent:
        print(line)
    print(f"已发送 {len(sent)} 条督办与追认提醒（站内消息与电子邮件）")
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov followup remind`."""
    p = sub.add_parser("followup", help="决策督办与紧急决策追认")
    inner = p.add_subparsers(dest="followup_command", metavar="SUBCOMMAND")
    r = inner.add_parser("remind", help="发送督办到期/逾期与追认逾期提醒（可重复运行，不重复发送）")
    r.add_argument("--within-days", type=int, default=3, help="提前多少天提醒（默认 3）")
    r.set_defaults(handler=cmd_remind)
    p.set_defaults(handler=lambda _args: (p.print_help(), 2)[1])
