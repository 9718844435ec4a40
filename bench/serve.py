"""Concurrent users through the production server: `soegov serve` (waitress) on 127.0.0.1, measured from outside.

bench/web.py calls `measure_served` after loading its data: it starts `soegov serve` on a free port of 127.0.0.1
against the same database and data directory, and for each page and API list sends requests from 1 and then 8
threads at once, each thread a user with its own login session and its own kept-alive connection. It reports
p50/p95/p99 of the response times, requests per second and the errors (any status but 200, any failed
connection), and `POST /api/v1/classify` at 8 users. The server is stopped when the measurement ends, and dies
with this process if it is killed (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

CLASSIFY_BODY = json.dumps({"policy": "yining-2024", "date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                            "type": "asset_transfer", "amount": "4000000", "attributes": {}}).encode()


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile of sorted values (nearest rank)."""
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's process before exec: receive SIGTERM when the benchmark's process ends, however it ends."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the finally block below still stops it
        pass


def start_server(env: dict[str, str], threads: int = 8) -> tuple[subprocess.Popen[bytes], int]:
    """`soegov serve` on a free port of 127.0.0.1 (no embedded worker), once /healthz answers."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "soegov", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--threads", str(threads), "--no-worker"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"soegov serve exited {proc.returncode}: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("soegov serve did not answer /healthz within 120 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (waitress stops as on Ctrl+C), then kill after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _user(port: int, cookie: str, method: str, url: str, body: bytes | None, runs: int, out: list[float],
          errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    url = quote(url, safe="/?=&%")
    headers = {"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    for _ in range(runs):
        t = time.perf_counter()
        try:
            conn.request(method, url, body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors.append(f"HTTP {r.status}")
            else:
                out.append((time.perf_counter() - t) * 1000)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.close()


def run(port: int, cookies: Sequence[str], url: str, users: int, runs: int, method: str = "GET",
        body: bytes | None = None) -> dict[str, float]:
    """`users` threads at once, each `runs` requests: p50/p95/p99 (ms), requests per second, errors."""
    times: list[float] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_user, args=(port, cookies[i % len(cookies)], method, url, body, runs, times,
                                                    errors)) for i in range(users)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    ok = sorted(times) or [float("nan")]
    if errors:
        kinds = Counter(errors)
        print(f"  {method} {url}, {users} users: " + ", ".join(f"{k} ×{n}" for k, n in kinds.most_common()), file=sys.stderr)
    return {"p50": percentile(ok, 50), "p95": percentile(ok, 95), "p99": percentile(ok, 99),
            "rps": len(times) / elapsed if elapsed else 0.0, "errors": len(errors)}


def measure_served(pages: Sequence[tuple[str, str]], cookies: Sequence[str], runs: int, env: dict[str, str],
                   users: Sequence[int] = (1, 8)) -> dict[str, dict[int, dict[str, float]]]:
    """Each page at each number of users through `soegov serve`, and POST /api/v1/classify at the most users."""
    proc, port = start_server(env)
    try:
        out: dict[str, dict[int, dict[str, float]]] = {}
        for label, url in pages:
            run(port, cookies, url, 1, 1)  # warm: the server's connection and caches
            out[label] = {n: run(port, cookies, url, n, max(runs // n, 2) if n > 1 else runs) for n in users}
        top = max(users)
        # The engine's public API is called without a session, as a client system calls it.
        run(port, [""], "/api/v1/classify", 1, 2, "POST", CLASSIFY_BODY)
        out["POST /api/v1/classify"] = {top: run(port, [""], "/api/v1/classify", top, max(runs, 25), "POST",
                                                 CLASSIFY_BODY)}
        return out
    finally:
        stop_server(proc)


def print_served(results: dict[str, dict[int, dict[str, float]]], n_matters: int, users: Sequence[int] = (1, 8)) -> None:
    """The served figures beside the bare view's: p50/p95/p99, req/s and errors per number of users."""
    print(f"\nThrough `soegov serve` (waitress, 8 threads) on 127.0.0.1 at {n_matters:,} matters: ms, req/s, errors")
    head = " │ ".join(f"{n} user{'s' if n > 1 else ''}: p50 / p95 / p99 req/s err" for n in users)
    print(f"{'page':28} {head}")
    bare = results.get("bare view /healthz", {})
    for label, by_users in results.items():
        cells = []
        for n in users:
            r = by_users.get(n)
            cells.append(" " * 38 if r is None else
                         f"{r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['rps']:6.1f} {int(r['errors']):3d}")
        ratio = ""
        if bare and label in results and 1 in by_users and 1 in bare and bare[1]["p50"]:
            ratio = f"  ({by_users[1]['p50'] / bare[1]['p50']:.1f}× bare)"
        print(f"{label:28} {' │ '.join(cells)}{ratio}")
    errors = sum(int(r["errors"]) for by in results.values() for r in by.values())
    print(f"errors in all: {errors}")


def server_env(database_url: str) -> dict[str, str]:
    """The environment of the benchmark's own process, for the server: same database, data directory and key."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["SOEGOV_TOTP_REQUIRED"] = "false"
    # One client address sends every request: a limit no run reaches keeps the limiter's work in the measurement
    # without refusing the load (the default, 60 a minute per address, is for the public engine API).
    env["SOEGOV_PUBLIC_RATE_PER_MINUTE"] = "1000000000"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent) + os.pathsep + env.get("PYTHONPATH", "")
    return env
