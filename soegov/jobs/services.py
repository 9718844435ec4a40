"""Writes of the job record: starting a job, and recovering jobs whose worker died or whose message was lost.

Other apps start their long work with `job_start(actor=..., kind="app.what", params={...})` and show
`jobs/_progress.html` for the job returned; the work itself is the kind registered in the app's `jobs.py`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record
from soegov.jobs import registry
from soegov.jobs.models import Job, JobStatus

log = logging.getLogger("soegov.jobs")


def publish(job_id: int, *, countdown: float | None = None) -> None:
    """Hand the job to the queue (or, with SOEGOV_JOBS_EAGER, run it here and now)."""
    if settings.SOEGOV_JOBS_EAGER:
        _run_here(job_id)
        return
    from soegov.jobs.queue import send_run

    try:
        send_run(job_id, countdown=countdown)
    except Exception:
        # The job stays queued in the database; the sweep sends it again once the broker answers.
        log.exception("job %s: the queue could not be reached; it will be sent again by the sweep", job_id)


def job_start(*, actor: Any, kind: str, params: dict[str, Any] | None = None, enterprise: Any = None,
              target: str = "", label: str = "", send: bool = True, inline: bool = False) -> Job:
    """Record a job and hand it to the queue once the transaction commits; returns at once.

    `send=False` records it only, for a worker that runs it itself (the scheduler's periodic kinds);
    `inline=True` runs it here and now (the demo loader, a command line), recorded all the same.
    """
    k = registry.get(kind)
    now = timezone.now()
    user = acting_user(actor)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, label=(label or k.label)[:200], params=params or {}, created_by=user,
            created_by_name=str(user) if user else "soegov 定时任务", role=getattr(user, "role", "") or "",
            enterprise=enterprise, target=target[:120], enqueued_at=now, stage="排队等待执行")
        audit_record(actor=actor, actor_name=None if user else "soegov scheduler", action="job.start", obj=job,
                     after={"kind": kind, "params": job.params, "target": job.target})
        if send and not inline and not settings.SOEGOV_JOBS_EAGER:
            transaction.on_commit(lambda: publish(job.pk))
    if send and (inline or settings.SOEGOV_JOBS_EAGER):
        _run_here(job.pk)
        job.refresh_from_db()
    return job


def _run_here(job_id: int) -> None:
    from soegov.jobs.runner import Retry, execute

    while isinstance(execute(job_id, worker="inline", inline=True), Retry):
        pass


def job_active(kind: str, target: str = "") -> Job | None:
    """A job of this kind (and target) that is queued, or running with a live worker."""
    stale = timezone.now() - dt.timedelta(seconds=settings.SOEGOV_JOB_STALE_SECONDS)
    qs = Job.objects.filter(kind=kind, target=target, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return qs.exclude(status=JobStatus.RUNNING, heartbeat_at__lt=stale).order_by("-created_at").first()


def jobs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send again the jobs whose worker died (heartbeat stale) or whose message waited too long; audited."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.SOEGOV_JOB_STALE_SECONDS)
    waited = now - dt.timedelta(seconds=settings.SOEGOV_JOB_REQUEUE_AFTER_SECONDS)
    resend: list[int] = []
    lost = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale).select_related("created_by"):
        with transaction.atomic():
            moved = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
                status=JobStatus.QUEUED, enqueued_at=now, stage="执行进程中断，已重新排队")
            if moved:
                audit_record(actor=job.created_by, actor_name=None if job.created_by else "soegov scheduler",
                             action="job.requeue", obj=job, ip="",
                             after={"reason": "worker_lost", "worker": job.worker, "attempts": job.attempts,
                                    "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None})
                resend.append(job.pk)
                lost += 1
    waiting = list(Job.objects.filter(status=JobStatus.QUEUED, enqueued_at__lt=waited).values_list("pk", flat=True))
    for pk in waiting:
        if Job.objects.filter(pk=pk, status=JobStatus.QUEUED, enqueued_at__lt=waited).update(enqueued_at=now):
            resend.append(pk)
    for pk in resend:
        publish(pk)
    return {"worker_lost": lost, "resent": len(resend) - lost}


def jobs_prune(*, now: dt.datetime | None = None) -> int:
    """Delete finished scheduler jobs older than SOEGOV_JOB_KEEP_DAYS (their audit entries stay)."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.SOEGOV_JOB_KEEP_DAYS)
    deleted, _ = Job.objects.filter(created_by__isnull=True, finished_at__lt=before,
                                    status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).delete()
    return deleted


def periodic_run(kind: str, *, worker: str | None = None) -> str:
    """The scheduler's start of a periodic kind: one job, run here; skipped while another is active."""
    from soegov.jobs.runner import Retry, execute

    if job_active(kind) is not None:
        return "skipped"
    job = job_start(actor=None, kind=kind, send=False)
    outcome = execute(job.pk, worker=worker)
    if isinstance(outcome, Retry):
        publish(job.pk, countdown=outcome.countdown)
        return "retry"
    return outcome

