"""The Celery application: broker from the settings, the schedule, and sending a job's message.

Imported only where work is sent or run (never at `soegov` start-up): Celery is a large import.
Production uses Redis (`SOEGOV_BROKER_URL=redis://…`); without it, the embedded mode passes messages
through kombu's file-system transport in the data directory, so the demo needs no extra service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

from soegov.paths import private_dir

RUN = "soegov.jobs.run"
SWEEP = "soegov.jobs.sweep"
PERIODIC = "soegov.jobs.periodic"

app = Celery("soegov")
_configured = False


def embedded_folders() -> dict[str, Path]:
    """The folders of the embedded (file-system) broker under the data directory."""
    root = Path(settings.DATA_DIR) / "queue"
    return {"data_folder_in": root / "messages", "data_folder_out": root / "messages",
            "control_folder": root / "control"}


def broker_settings() -> dict[str, Any]:
    """broker_url and broker_transport_options for the configured broker."""
    url = settings.SOEGOV_BROKER_URL
    if not url:
        folders = embedded_folders()
        for folder in folders.values():
            private_dir(folder)
        return {"broker_url": "filesystem://", "broker_transport_options": {k: str(v) for k, v in folders.items()}}
    return {"broker_url": url, "broker_transport_options": {
        # Every key of this deployment's queue under its own prefix (several deployments, one Redis).
        "global_keyprefix": f"{settings.SOEGOV_QUEUE_NAME}:",
        # An unacknowledged message comes back after this long; our own sweep resends a job whose
        # worker died much sooner (SOEGOV_JOB_STALE_SECONDS), so this only needs to outlast a long job.
        "visibility_timeout": settings.SOEGOV_BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 5, "socket_timeout": 30, "retry_on_timeout": True,
    }}


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The sweep, the pruning of old scheduler jobs and every periodic kind, for celery beat."""
    from soegov.jobs import registry

    schedule: dict[str, dict[str, Any]] = {
        "jobs-sweep": {"task": SWEEP, "schedule": float(settings.SOEGOV_JOB_SWEEP_SECONDS),
                       "options": {"expires": float(settings.SOEGOV_JOB_SWEEP_SECONDS)}},
    }
    overrides = settings.SOEGOV_SCHEDULE_MINUTES
    for kind in registry.periodic():
        minutes = float(overrides.get(kind.name, kind.every_minutes or 0))
        if kind.name in overrides or kind.every_minutes:
            if minutes <= 0:
                continue
            every: Any = float(minutes * 60)
            expires = float(minutes * 60)
        else:
            hour, _, minute = (kind.daily_at or "").partition(":")
            every, expires = crontab(hour=int(hour), minute=int(minute)), 3600.0
        # A run the worker could not start before the next one is due (or within the hour) is dropped.
        schedule[kind.name] = {"task": PERIODIC, "schedule": every, "args": [kind.name], "options": {"expires": expires}}
    return schedule


def configure() -> Celery:
    """Apply soegov's settings to the Celery app (after django.setup()); returns it."""
    global _configured
    app.conf.update(
        **broker_settings(),
        task_default_queue=settings.SOEGOV_QUEUE_NAME,
        # Acknowledged after the run, and sent back if the worker process is lost: at-least-once,
        # which the runner's claim turns into exactly one run per job.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        timezone=settings.TIME_ZONE,
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        beat_schedule=beat_schedule(),
        # The tasks a worker runs (the web side only sends messages by name).
        include=["soegov.jobs.tasks"],
        beat_schedule_filename=str(Path(settings.DATA_DIR) / "celerybeat-schedule"),
    )
    _configured = True
    return app


def send_run(job_id: int, *, countdown: float | None = None) -> None:
    """Put one job's message on the queue."""
    if not _configured:
        configure()
    app.send_task(RUN, args=[job_id], queue=settings.SOEGOV_QUEUE_NAME, countdown=countdown)
