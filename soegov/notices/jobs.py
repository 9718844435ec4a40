"""The notices app's work on the task queue: sending a batch of notices, with retries and backoff."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register
from soegov.notices.remote import TryLater

# Backoff doubles from SOEGOV_JOB_RETRY_SECONDS (30 s by default): 30 s, 1, 2, 4, 8 min, ~15 min in all.
MAX_ATTEMPTS = 6


@register("notices.send", label="发送消息通知", retry_on=(TryLater,), max_attempts=MAX_ATTEMPTS)
def send(ctx: Any, ids: list[int]) -> dict[str, Any]:
    """Try the batch's pending notices; TryLater (queue retries later) while one is still waiting."""
    from soegov.notices.services import notices_deliver

    outcome = notices_deliver([int(i) for i in ids], final=ctx.job.attempts >= MAX_ATTEMPTS)
    if outcome.later:
        raise TryLater("；".join(sorted(set(outcome.later)))[:500])
    return {"message": f"已发送 {outcome.sent} 条，失败 {outcome.failed} 条", "sent": outcome.sent,
            "failed": outcome.failed}
