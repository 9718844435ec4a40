"""The collector's work on the task queue: sending the outbox, on a schedule and on demand."""

from __future__ import annotations

from typing import Any

from soegov.collector.env import DEFAULT_SCHEDULE_MINUTES, SEND_KIND
from soegov.jobs.registry import register


@register(SEND_KIND, label="报送数据包到国资委采集端", every_minutes=float(DEFAULT_SCHEDULE_MINUTES))
def send(ctx: Any) -> dict[str, Any]:
    """Send every package due; while some wait to be retried, a run is queued for the earliest next try."""
    from soegov.collector import outbox, sending

    if not outbox.configured():
        return {"message": "未配置国资委采集端，未发送"}
    counts = sending.send_due()
    follow_up(ctx)
    return {"message": sending.counts_said(counts), **counts}


def follow_up(ctx: Any) -> None:
    """Queue one run at the earliest retry time (the schedule would otherwise wait for its next tick)."""
    from django.conf import settings
    from django.utils import timezone

    from soegov.collector.models import OutboxPackage, OutboxState
    from soegov.jobs.models import Job, JobStatus
    from soegov.jobs.services import job_start, publish

    if settings.SOEGOV_JOBS_EAGER:
        return  # a run in the caller's process cannot wait; the schedule or the next click sends it
    nxt = (OutboxPackage.objects.filter(state=OutboxState.RETRYING).order_by("next_attempt_at")
           .values_list("next_attempt_at", flat=True).first())
    queued = Job.objects.filter(kind=SEND_KIND, status=JobStatus.QUEUED).exclude(pk=ctx.job.pk).exists()
    if nxt is None or queued:
        return
    job = job_start(actor=None, kind=SEND_KIND, send=False, label="报送数据包到国资委采集端（重试）")
    publish(job.pk, countdown=max(1.0, (nxt - timezone.now()).total_seconds()))
