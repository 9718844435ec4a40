"""The follow-up app's work on the task queue: due, overdue and ratification reminders, hourly."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("followup.remind", label="督办与追认提醒", every_minutes=60)
def remind(ctx: Any, within_days: int = 3) -> dict[str, Any]:
    """What `soegov followup remind` does (once per item, stage and due date)."""
    from soegov.followup.reminders import reminders_send

    sent = reminders_send(within_days=within_days)
    return {"message": f"已发送 {len(sent)} 条督办与追认提醒", "sent": len(sent)}
