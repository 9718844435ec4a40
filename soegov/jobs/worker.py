"""Starting the queue's processes: `soegov worker`, `soegov scheduler`, and the embedded worker of `serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

EMBEDDED_FLAG = "--embedded"


def _celery_argv_common(loglevel: str) -> list[str]:
    return [f"--loglevel={loglevel}"]


def run_worker(*, concurrency: int | None, pool: str, beat: bool, loglevel: str = "INFO",
               parent_pid: int | None = None) -> int:
    """Run a Celery worker in the foreground until it is stopped (SIGTERM: finish the running jobs first)."""
    from django.conf import settings

    from soegov.jobs.queue import configure

    app = configure()
    argv = ["worker", *_celery_argv_common(loglevel), f"--pool={pool}", f"--queues={settings.SOEGOV_QUEUE_NAME}",
            f"--hostname=soegov-{os.getpid()}@%h", "--without-mingle", "--without-gossip"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if beat:
        argv += ["--beat", f"--schedule={settings.DATA_DIR / 'celerybeat-schedule'}"]
    if parent_pid:
        _exit_with_parent(parent_pid)
    app.worker_main(argv)
    return 0


def run_scheduler(*, loglevel: str = "INFO") -> int:
    """Run celery beat in the foreground: it sends the periodic kinds and the sweep (run exactly one)."""
    from django.conf import settings

    from soegov.jobs.queue import configure

    app = configure()
    app.start(["beat", *_celery_argv_common(loglevel), f"--schedule={settings.DATA_DIR / 'celerybeat-schedule'}"])
    return 0


def _exit_with_parent(parent_pid: int) -> None:
    """Stop this embedded worker (as by SIGTERM) when the `soegov serve` that started it is gone."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def start_embedded(log_path: Any) -> subprocess.Popen[Any]:
    """Start the embedded worker (with its scheduler) as a child of this process, logging to log_path."""
    cmd = [sys.executable, "-m", "soegov", "worker", EMBEDDED_FLAG, "--parent-pid", str(os.getpid())]
    with open(log_path, "ab") as log:
        # Its own process group, so stopping it reaches the scheduler process it starts too.
        return subprocess.Popen(cmd, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=os.name == "posix")


def _signal_group(proc: subprocess.Popen[Any], sig: int) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass


def ask_embedded_to_stop(proc: subprocess.Popen[Any]) -> None:
    """Tell the embedded worker to stop (it finishes nothing long: see stop_embedded)."""
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)


def stop_embedded(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    """Stop the embedded worker and its scheduler; after `timeout` seconds they are killed.

    A job still running then is interrupted: its heartbeat goes stale and it runs again at the next start
    (jobs are written to be run twice), so stopping `soegov serve` never waits for a long ledger check.
    """
    ask_embedded_to_stop(proc)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait()
    else:
        _signal_group(proc, signal.SIGKILL)  # a scheduler process left behind by the worker, if any
