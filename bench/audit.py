"""Benchmark of the audit trail: what keying and anchoring cost each audited change, and how fast verify runs.

Run: .venv/bin/python bench/audit.py [--entries 1000]
In a throwaway SQLite installation, writes the entries one commit each, first with the anchors switched off
(the baseline: the SM3 chain and the HMAC-SM3 code only), then as shipped (an anchor line after each commit),
and prints the time per entry of both and their ratio; then `audit_verify` over all of them (entries per
second). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time


def main() -> None:
    """Run the benchmark in a fresh data folder."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOEGOV_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "soegov", "migrate"], check=True, capture_output=True)
        from soegov.web.cli import setup_django

        setup_django()
        from soegov.audit import services
        from soegov.audit.services import audit_record, audit_verify

        shipped = services.anchor_after_commit

        def write(n: int) -> float:
            start = time.perf_counter()
            for i in range(n):
                audit_record(actor=None, action="bench.event", object_repr=f"第{i}件", after={"i": i})
            return (time.perf_counter() - start) / n

        services.anchor_after_commit = lambda seq, digest: None  # type: ignore[assignment]
        base = write(args.entries)
        services.anchor_after_commit = shipped
        anchored = write(args.entries)
        print(f"audit_record, one commit each, without anchors: {base * 1000:.2f} ms/entry")
        print(f"audit_record, one commit each, anchored:        {anchored * 1000:.2f} ms/entry "
              f"({anchored / base:.2f}x the baseline)")
        start = time.perf_counter()
        result = audit_verify()
        spent = time.perf_counter() - start
        print(f"audit_verify: {result.checked} entries, {result.anchors} anchors in {spent:.2f} s "
              f"({result.checked / spent:,.0f} entries/s), {'intact' if result.ok else result.problems[:3]}")


if __name__ == "__main__":
    main()
