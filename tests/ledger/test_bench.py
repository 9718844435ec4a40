"""The ledger benchmark runs (on a small size) and both engines report the same findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ledger.py"


def test_ledger_benchmark_small() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--rows", "20000"], capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "same findings: yes" in done.stdout
    assert "split_payment" in done.stdout
