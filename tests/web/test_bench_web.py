"""bench/web.py runs on a small size in the PostgreSQL pass, so it cannot rot."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="bench/web.py measures PostgreSQL; it runs in the PostgreSQL pass")
def test_web_benchmark_small() -> None:
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, str(BENCH / "web.py"), "--matters", "400", "--runs", "2",
                           "--database", f"{base}/soegov_bench_ci_{os.getpid()}"],
                          capture_output=True, text=True, check=False, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout
    assert re.search(r"matters list +[\d.]+ +[\d.]+ +[\d.]+ +\d+ ", done.stdout)
    assert re.search(r"oversight dashboard .* │ +[\d.]+\s+\d+ │ +[\d.]+×", done.stdout)
    assert "ledger export (.xlsx" in done.stdout and "worst page p95" in done.stdout
    # The same pages through `soegov serve` at 1 and 8 users, and the engine's API under 8 users, without errors.
    served = done.stdout[done.stdout.index("Through `soegov serve`"):]
    assert re.search(r"oversight dashboard +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +0 │ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +0", served)
    assert re.search(r"POST /api/v1/classify +│ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +0", served)
    assert "errors in all: 0" in served
