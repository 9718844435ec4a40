"""The Celery tasks a worker runs: a job, the sweep of lost jobs, and the periodic kinds."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_ready

from soegov.jobs.queue import PERIODIC, RUN, SWEEP, app

log = logging.getLogger("soegov.jobs")


@app.task(name=RUN, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run(job_id: int) -> str:
    """Run a job (the worker side of `job_start`)."""
    from soegov.jobs.runner import Retry, execute
    from soegov.jobs.services import publish

    outcome = execute(int(job_id))
    if isinstance(outcome, Retry):
        publish(int(job_id), countdown=outcome.countdown)
        return "retry"
    return outcome


@app.task(name=SWEEP, ignore_result=True)
def sweep() -> dict[str, int]:
    """Resend jobs whose worker died or whose message was lost."""
    from soegov.jobs.services import jobs_recover

    return jobs_recover()


@app.task(name=PERIODIC, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def periodic(kind: str) -> str:
    """Start and run one periodic kind (reminders, pruning, and the kinds other apps schedule)."""
    from soegov.jobs.services import periodic_run

    return periodic_run(kind)


@worker_ready.connect
def _recover_on_start(**_: Any) -> None:
    # A worker starting after a crash resends what the crashed one held, once its heartbeat is stale.
    from soegov.jobs.services import jobs_recover

    try:
        found = jobs_recover()
    except Exception:
        log.exception("jobs: recovery at worker start failed")
    else:
        if any(found.values()):
            log.warning("jobs: resent at start %s", found)
