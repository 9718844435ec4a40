"""The benchmarks run on a small size, so they cannot rot: the ledger's engines agree, the start-up is measured."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_ledger_benchmark_small() -> None:
    done = subprocess.run([sys.executable, str(BENCH / "ledger.py"), "--rows", "20000"], capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "same findings: yes" in done.stdout and "same counts: yes" in done.stdout
    assert "split_payment" in done.stdout
    assert re.search(r"ratio soegov / DuckDB query: \d+\.\d\dx", done.stdout)


def test_classify_benchmark_small() -> None:
    done = subprocess.run([sys.executable, str(BENCH / "classify.py"), "--seconds", "0.2", "--cli-runs", "3"],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr + done.stdout
    assert re.search(r"normal install \(wheel\): python -c pass [\d.]+ ms wall .* soegov classify --json [\d.]+ ms wall",
                     done.stdout)
    assert re.search(r"\d+\.\d\dx wall", done.stdout)
