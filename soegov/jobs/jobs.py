"""The jobs app's own periodic kind: pruning old scheduler jobs."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("jobs.prune", label="清理过期的定时任务记录", every_minutes=24 * 60)
def prune(ctx: Any) -> dict[str, Any]:
    """Delete finished scheduler jobs older than SOEGOV_JOB_KEEP_DAYS."""
    from soegov.jobs.services import jobs_prune

    deleted = jobs_prune()
    return {"message": f"已清理 {deleted} 条过期的定时任务记录", "deleted": deleted}
