"""The reporting app's work on the task queue: the deadline reminders, every 15 minutes."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("matters.remind", label="报送与答复期限提醒", every_minutes=15)
def remind(ctx: Any, within_hours: int = 24) -> dict[str, Any]:
    """What `soegov remind` does: remind both sides of every clock due soon or past (once each)."""
    from soegov.matters.reminders import reminders_send

    sent = reminders_send(within_hours=within_hours)
    return {"message": f"已发送 {len(sent)} 条期限提醒", "sent": len(sent)}
