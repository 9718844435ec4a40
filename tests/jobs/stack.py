"""Real soegov processes for the tests: migrate, workers, the scheduler and servers on one database.

Each Stack has its own data directory, its own database (a SQLite file, or a PostgreSQL database of its
own when the suite runs on PostgreSQL) and its own queue name in the shared Redis, so parallel runs of
the suite on one machine do not see each other's messages. Every process it starts is stopped (its whole
process group, by pid) when the test ends.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SOEGOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Registers the test kinds in the process before soegov's own command runs.
BOOT = "import sys; import tests.jobs.kinds; from soegov.cli import main; sys.argv[0] = 'soegov'; raise SystemExit(main())"


def redis_up() -> bool:
    """Whether the Redis the tests use answers."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def require_redis() -> None:
    """Skip (outside CI) or fail (in CI) when Redis is not running."""
    if redis_up():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: CI must run the queue against Redis")
    pytest.skip(f"Redis is not reachable at {REDIS_URL}")


def free_port() -> int:
    """A port nobody listens on (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stack:
    """One deployment made of real processes."""

    def __init__(self, root: Path, **env: str) -> None:
        self.root = root
        self.name = f"soegovtest{uuid.uuid4().hex[:10]}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.pg_admin: str | None = None
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            parts = urlsplit(base)
            self.pg_admin = urlunsplit(parts._replace(path="/postgres"))
            self.database_url = urlunsplit(parts._replace(path=f"/{self.name}"))
            self._pg(f'CREATE DATABASE "{self.name}"')
        else:
            self.database_url = f"sqlite:///{root / 'soegov.sqlite3'}"
        (root / "data").mkdir(exist_ok=True)
        (root / "cache").mkdir(exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        self.env.update({
            "SOEGOV_DATA_DIR": str(root / "data"), "SOEGOV_CACHE_DIR": str(root / "cache"),
            "DATABASE_URL": self.database_url, "SOEGOV_BROKER_URL": REDIS_URL, "SOEGOV_QUEUE_NAME": self.name,
            "SOEGOV_TOTP_REQUIRED": "0", "SOEGOV_JOB_HEARTBEAT_SECONDS": "1", "SOEGOV_JOB_STALE_SECONDS": "3",
            "SOEGOV_JOB_SWEEP_SECONDS": "1", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1",
        })
        self.env.update(env)

    # --- databases -----------------------------------------------------------------------------------

    def _pg(self, statement: str) -> None:
        import psycopg

        assert self.pg_admin is not None
        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(statement)

    def sql(self, query: str, params: tuple[Any, ...] = (), *, url: str = "") -> list[tuple[Any, ...]]:
        """Rows of a query (`?` placeholders) on this stack's database, or on the one at url; committed."""
        url = url or self.database_url
        if self.pg_admin is not None:
            import psycopg

            with psycopg.connect(url) as conn:
                cursor = conn.execute(query.replace("?", "%s"), params)
                return list(cursor.fetchall()) if cursor.description else []
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20)
        try:
            with conn:
                return list(conn.execute(query, params).fetchall())
        finally:
            conn.close()

    def migrate(self) -> None:
        """This stack's database as `soegov migrate` leaves it, copied from one this test process migrated once.

        `soegov migrate` takes some 15 s (Django renders the model state of every migration), and a dozen tests
        need a migrated deployment only to start their servers and workers on it. The copy is the same schema and
        rows, and the same collected static files; the command itself is tested by tests/web/test_cli.py and
        tests/core/test_file_modes.py, which run it.
        """
        template = _migrated_template()
        if self.pg_admin is not None:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{self.name}" TEMPLATE "{template.name}"')
        else:
            shutil.copyfile(template.root / "soegov.sqlite3", self.root / "soegov.sqlite3")
        shutil.copytree(template.root / "data" / "static", self.root / "data" / "static", dirs_exist_ok=True)

    # --- processes -----------------------------------------------------------------------------------

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-c", BOOT, *args]

    def run(self, *args: str, timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one soegov command to its end."""
        done = subprocess.run(self.command(*args), env=self.env, cwd=REPO, capture_output=True, text=True,
                              timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"soegov {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def shell(self, code: str) -> Any:
        """Run Python with Django set up in a new process; returns the JSON it prints last."""
        done = self.run("manage", "shell", "-c", code)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, *args: str, log: str, ready: str | None = None, timeout: float = 60, **env: str) -> subprocess.Popen[bytes]:
        """Start a long-running soegov command in its own process group; wait for `ready` in its log."""
        path = self.root / f"{log}.log"
        with open(path, "ab") as out:
            proc = subprocess.Popen(self.command(*args), env={**self.env, **env}, cwd=REPO, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        if ready is not None:
            self.wait_for(lambda: ready in path.read_text(errors="replace"), timeout,
                          f"{log} not ready", proc=proc, log=path)
        return proc

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str,
                 proc: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> Any:
        """Poll until predicate() is truthy; fail with what (and the process's log) after timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = predicate()
            if value:
                return value
            if proc is not None and proc.poll() is not None:
                break
            time.sleep(0.2)
        detail = log.read_text(errors="replace")[-4000:] if log is not None and log.exists() else ""
        raise AssertionError(f"{what} (after {timeout} s)\n{detail}")

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Send a signal to the process and its children (its process group)."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        if sig == signal.SIGKILL:
            proc.wait(timeout=10)

    def close(self) -> None:
        """Stop every process started, then drop the database and the queue's keys."""
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(proc, signal.SIGKILL)
        if self.pg_admin is not None:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        import redis

        try:
            client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
            keys = list(client.scan_iter(match=f"{self.name}*"))
            if keys:
                client.delete(*keys)
        except (redis.RedisError, OSError):
            pass


_TEMPLATE: list[Stack] = []


def _migrated_template() -> Stack:
    """A deployment migrated by `soegov migrate` once in this test process (one per pytest-xdist worker)."""
    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="soegov-template-"))
        template = Stack(root)
        atexit.register(_drop_template, template)
        template.run("migrate", timeout=600)
        _TEMPLATE.append(template)
    return _TEMPLATE[0]


def _drop_template(template: Stack) -> None:
    try:
        template.close()
    finally:
        shutil.rmtree(template.root, ignore_errors=True)


@pytest.fixture
def stack(tmp_path: Path) -> Any:
    """A Stack on Redis, closed after the test."""
    require_redis()
    st = Stack(tmp_path)
    try:
        yield st
    finally:
        st.close()
