"""Running one job: claim it, keep its heartbeat and progress, store its result or error.

Every worker that receives a job's message calls `execute`. The claim is a conditional UPDATE, so of two
deliveries of one message (Redis redelivers an unacknowledged message; the sweep re-sends a job whose
worker died) only one runs the job, and a job already finished is never run again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.core.errors import SoegovError
from soegov.jobs import registry
from soegov.jobs.models import Job, JobStatus

log = logging.getLogger("soegov.jobs")


def worker_name() -> str:
    """This process and thread, as stored on the job it runs (host/pid/thread)."""
    return f"{socket.gethostname()}/{os.getpid()}/{threading.get_native_id()}"[:200]


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.SOEGOV_JOB_STALE_SECONDS)


@dataclass
class Retry:
    """The outcome of a run that failed in a way worth another try after `countdown` seconds."""

    countdown: float


class JobContext:
    """What a job kind gets: its job, the acting user, and `progress()` to report how far it is."""

    def __init__(self, job: Job, *, flush_inline: bool) -> None:
        self.job = job
        self._lock = threading.Lock()
        self._state: tuple[int, int | None, str] = (job.done, job.total, job.stage)
        self._dirty = False
        self._flush_inline = flush_inline
        self._last_flush = 0.0

    @property
    def actor(self) -> Any:
        """The user who started the job (None for the scheduler), to pass on to services."""
        return self.job.created_by

    def progress(self, done: int | None = None, total: int | None = None, stage: str | None = None) -> None:
        """Record how far the job is (done of total) and its stage in words; cheap to call often."""
        with self._lock:
            old_done, old_total, old_stage = self._state
            self._state = (max(0, int(done)) if done is not None else old_done,
                           max(0, int(total)) if total is not None else old_total,
                           (stage if stage is not None else old_stage)[:200])
            self._dirty = True
        if self._flush_inline and time.monotonic() - self._last_flush >= 0.5:
            self.flush()

    def take(self) -> tuple[int, int | None, str] | None:
        """The progress not yet written, if any (and mark it written)."""
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            return self._state

    def flush(self) -> None:
        """Write the progress now (this thread's connection)."""
        state = self.take()
        self._last_flush = time.monotonic()
        if state is not None:
            done, total, stage = state
            _running(self.job).update(done=done, total=total, stage=stage, heartbeat_at=timezone.now())


def _running(job: Job) -> Any:
    """The job's row while this worker still holds it (the sweep may have handed it to another)."""
    return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker)


class _Heartbeat(threading.Thread):
    """Writes the heartbeat and the latest progress from its own connection while the job runs."""

    def __init__(self, ctx: JobContext) -> None:
        super().__init__(name=f"job-{ctx.job.pk}-heartbeat", daemon=True)
        self.ctx = ctx
        self.stopped = threading.Event()

    def run(self) -> None:
        every = float(settings.SOEGOV_JOB_HEARTBEAT_SECONDS)
        last_beat = time.monotonic()
        try:
            while not self.stopped.wait(0.5):
                state = self.ctx.take()
                now = time.monotonic()
                if state is None and now - last_beat < every:
                    continue
                fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
                if state is not None:
                    fields.update(done=state[0], total=state[1], stage=state[2])
                try:
                    _running(self.ctx.job).update(**fields)
                    last_beat = now
                except Exception:  # a busy SQLite or a dropped connection: try again on the next beat
                    log.warning("job %s: heartbeat not written", self.ctx.job.pk, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()


def claim(job_id: int, worker: str) -> Job | None:
    """Take the job for this worker if it is waiting, or running with a dead worker; None otherwise."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id).filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=_stale_before(now))
    ).update(status=JobStatus.RUNNING, worker=worker, attempts=F("attempts") + 1, heartbeat_at=now, error="")
    if not taken:
        return None
    Job.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return Job.objects.select_related("created_by").get(pk=job_id)


def _finish(job: Job, *, status: Any, result: dict[str, Any] | None = None, error: str = "",
            stage: str | None = None) -> bool:
    """Store the outcome if this worker still holds the job; audited in the same transaction."""
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "finished_at": now, "heartbeat_at": now, "error": error[:4000]}
    if result is not None:
        fields["result"] = result
    if stage is not None:
        fields["stage"] = stage
    if status == JobStatus.SUCCEEDED:
        fields["done"] = F("total") if job.total else F("done")
    with transaction.atomic():
        if not _running(job).update(**fields):
            log.warning("job %s: taken over by another worker before it finished here", job.pk)
            return False
        audit_record(actor=job.created_by, actor_name=None if job.created_by else "soegov worker",
                     action="job.finish", obj=job,
                     after={"kind": job.kind, "status": status, "attempts": job.attempts,
                            "result": result or {}, "error": error[:500], "worker": job.worker}, ip="")
    return True


def _requeue_later(job: Job, error: str) -> None:
    with transaction.atomic():
        if _running(job).update(status=JobStatus.QUEUED, error=error[:4000], enqueued_at=timezone.now()):
            audit_record(actor=job.created_by, actor_name=None if job.created_by else "soegov worker",
                         action="job.retry", obj=job, after={"attempts": job.attempts, "error": error[:500]}, ip="")


def execute(job_id: int, *, worker: str | None = None, inline: bool = False) -> str | Retry:
    """Run the job if this worker can claim it; 'skipped', 'succeeded', 'failed' or a Retry."""
    job = claim(job_id, worker or worker_name())
    if job is None:
        return "skipped"
    try:
        kind = registry.get(job.kind)
    except SoegovError as exc:
        _finish(job, status=JobStatus.FAILED, error=exc.message)
        return "failed"
    limit = kind.max_attempts or settings.SOEGOV_JOB_MAX_ATTEMPTS
    if job.attempts > limit:
        _finish(job, status=JobStatus.FAILED,
                error=f"任务已中断或失败 {job.attempts - 1} 次（执行进程退出或出错），不再重试；请检查后重新发起")
        return "failed"
    ctx = JobContext(job, flush_inline=inline)
    beat = None if inline else _Heartbeat(ctx)
    if beat is not None:
        beat.start()
    try:
        result = kind.func(ctx, **job.params)
    except SoegovError as exc:
        outcome: str | Retry = "failed"
        error = exc.message
    except PermissionDenied as exc:
        outcome, error = "failed", f"无权执行：{exc}"
    except kind.retry_on as exc:
        error = f"第 {job.attempts} 次执行失败（{exc}），稍后重试"
        if job.attempts < limit:
            outcome = Retry(countdown=min(3600.0, settings.SOEGOV_JOB_RETRY_SECONDS * 2 ** (job.attempts - 1)))
        else:
            outcome, error = "failed", f"已重试 {job.attempts} 次仍失败：{exc}"
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        outcome, error = "failed", f"任务执行出错（{type(exc).__name__}），详情见工作进程日志；请联系系统管理员"
    else:
        outcome, error = "succeeded", ""
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join()
    last = ctx.take()
    if last is not None:
        job.done, job.total, job.stage = last
        _running(job).update(done=job.done, total=job.total, stage=job.stage)
    if isinstance(outcome, Retry):
        _requeue_later(job, error)
    elif outcome == "succeeded":
        _finish(job, status=JobStatus.SUCCEEDED, result=result if isinstance(result, dict) else {},
                stage="已完成")
    else:
        _finish(job, status=JobStatus.FAILED, error=error)
    return outcome
