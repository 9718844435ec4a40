"""The oversight app's work on the task queue: ledger checks, and overdue event-report reminders every 15 minutes."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("oversight.remind_events", label="随时报告事件逾期提醒", every_minutes=15)
def remind_events(ctx: Any) -> dict[str, Any]:
    """What `soegov remind-events` does (once per overdue event)."""
    from soegov.oversight.events import events_remind

    sent = events_remind()
    return {"message": f"已发送 {sent} 条随时报告事件逾期提醒", "sent": sent}


@register("oversight.ledger_check", label="台账检查")
def ledger_check(ctx: Any, ledger: int) -> dict[str, Any]:
    """Check one stored ledger against the decisions on record (idempotent: findings are matched by key)."""
    from django.urls import reverse

    from soegov.oversight import ledgers
    from soegov.oversight.models import LedgerImport

    item = LedgerImport.objects.select_related("enterprise", "enterprise__jurisdiction").get(pk=ledger)
    found = ledgers.ledger_check(actor=ctx.actor, ledger=item, progress=ctx.progress)
    item.refresh_from_db()
    skipped = f"，{item.invalid_rows} 行无法检查已跳过" if item.invalid_rows else ""
    return {"message": f"检查完成：{item.rows} 行{skipped}，发现 {len(found)} 项", "findings": len(found),
            "rows": item.rows, "url": reverse("oversight:ledger", args=[item.pk])}
