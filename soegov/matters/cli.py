"""`soegov remind`: the scheduled deadline reminders (cron or a systemd timer; safe to run twice)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_remind(args: argparse.Namespace) -> int:
    """Send the reminders that are due and print how many."""
    from soegov.web.cli import setup_django

    setup_django()
    from django.utils import timezone

    from soegov.matters.reminders import reminders_send

    sent = reminders_send(within_hours=args.within_hours)
    for r in sent:
        print(f"{r.matter_id}\t{r.clock}\t{r.stage}\t{timezone.localtime(r.due_at).isoformat()}")
    print(f"已发送 {len(sent)} 条期限提醒（站内消息与电子邮件）")
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov remind`."""
    p = sub.add_parser("remind", help="发送报送与答复期限提醒（可重复运行，不重复发送）")
    p.add_argument("--within-hours", type=int, default=24, help="提前多少小时提醒（默认 24）")
    p.set_defaults(handler=cmd_remind)
