"""The oversight app's work on the task queue: overdue event-report reminders, every 15 minutes."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("oversight.remind_events", label="随时报告事件逾期提醒", every_minutes=15)
def remind_events(ctx: Any) -> dict[str, Any]:
    """What `soegov remind-events` does (once per overdue event)."""
    from soegov.oversight.events import events_remind

    sent = events_remind()
    return {"message": f"已发送 {sent} 条随时报告事件逾期提醒", "sent": sent}
