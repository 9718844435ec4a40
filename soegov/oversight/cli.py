"""`soegov remind-events`: remind enterprises and inspectors of overdue event reports (cron; safe to run twice)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_remind_events(args: argparse.Namespace) -> int:
    """Send the overdue-event reminders and print how many."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.oversight.events import events_remind

    print(f"已发送 {events_remind()} 条随时报告事件逾期提醒（站内消息）")
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov remind-events`."""
    p = sub.add_parser("remind-events", help="提醒逾期未报告的随时报告事件（可重复运行，不重复发送）")
    p.set_defaults(handler=cmd_remind_events)
