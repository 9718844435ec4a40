"""The collector's work on the task queue: sending the outbox, on a schedule and on demand; and the automatic
reporting, which queues new and changed records before it sends."""

from __future__ import annotations

from typing import Any

from soegov.collector.env import AUTO_KIND, DEFAULT_SCHEDULE_MINUTES, SEND_KIND
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


@register(AUTO_KIND, label="自动报送到国资委采集端（加入队列并发送）", every_minutes=float(DEFAULT_SCHEDULE_MINUTES))
def autoreport(ctx: Any) -> dict[str, Any]:
    """Queue what the collector has not got in its present form (collector.auto), then send as `send` does."""
    from soegov.collector import auto, outbox, sending

    if not outbox.configured():
        return {"message": "未配置国资委采集端，未自动报送"}
    if not auto.enabled():
        return {"message": "已关闭自动报送（SOEGOV_COLLECTOR_AUTO=0），未加入报送队列"}
    found = auto.queue_due()
    counts = sending.send_due()
    follow_up(ctx)
    return {"message": f"{found.said()}；{sending.counts_said(counts)}", "queued": found.queued,
            "waiting": found.waiting, "refused": found.refused, **counts}


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
