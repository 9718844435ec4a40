"""Benchmark of the rules engine: classifications per second in process, and the CLI's start-up.

Run: .venv/bin/python bench/classify.py [--seconds 3] [--cli-runs 40]
Prints figures (the best one-second round, in CPU time); asserts nothing. Targets: >= 50,000
classifications/s on one core; `soegov classify` <= 3x a bare `python -c pass` of a normal install.

The start-up is measured as users meet it: soegov built into a wheel and installed (not editable,
byte-compiled by pip) in a throwaway virtual environment, beside `python -c pass` of that same
environment, the two commands taking turns (median of --cli-runs each). An editable install would
measure its import hook instead: it costs every start, the bare one too, some 20 ms on this machine.
The throwaway environment takes soegov's dependencies from the running one, so nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from soegov.policy import classify, meeting_check
from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS

MATTERS = [
    ("yining-2024", {"date": "2026-03-01", "enterprise": {"level": 2, "ownership": "controlled"},
                     "type": "asset_transfer", "amount": "4000000", "attributes": {}}),
    ("yining-2024", {"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                     "type": "expenditure", "amount": "2500000", "attributes": {"purpose": "other"}}),
    ("yining-2024", {"date": "2026-03-01", "enterprise": {"level": 3, "ownership": "wholly_owned"},
                     "type": "mid_level_appointment", "attributes": {}}),
    ("xundian-2020", {"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                      "type": "expenditure", "amount": "350000", "attributes": {"expense_class": "non_production"}}),
    ("xundian-2020", {"date": "2026-03-01", "enterprise": {"level": 2, "ownership": "controlled"},
                      "type": "equity_transfer", "amount": "3000000", "attributes": {}}),
]
MEETING = {
    "date": "2026-03-10", "body": {"kind": "board", "members": ["王", "李", "张", "赵", "刘"], "principal": "王"},
    "attendees": ["王", "李", "张", "赵"], "notice_sent": True,
    "items": [{"id": str(n), "title": f"议题{n}", "category": "major_decision", "on_agenda": True, "prepared": True,
               "materials_in_advance": True, "voting_method": "show_of_hands", "statements": ["李", "张", "赵", "王"],
               "votes": {"王": "for", "李": "for", "张": "for", "赵": "against"}} for n in range(1, 4)],
}


def workload(size: int, seed: int = 2026) -> list[tuple[str, dict[str, object]]]:
    """A seeded mix of valid matters over every type, level, ownership and amount range (both packs)."""
    rng = random.Random(seed)
    out: list[tuple[str, dict[str, object]]] = []
    while len(out) < size:
        code = rng.choice(sorted(MATTER_TYPES))
        attrs: dict[str, object] = {}
        for spec in MATTER_TYPES[code].attributes.values():
            if spec.kind == "bool":
                attrs[spec.name] = rng.random() < 0.5
            elif spec.kind == "choice":
                attrs[spec.name] = rng.choice(spec.choices)
            elif spec.kind == "int":
                attrs[spec.name] = rng.randint(1, 24)
        doc = {"date": "2026-03-01", "type": code, "attributes": attrs,
               "enterprise": {"level": rng.randint(1, 4), "ownership": rng.choice(sorted(OWNERSHIPS))},
               "amount": f"{rng.randint(0, 40_000_000_00) / 100:.2f}"}
        out.append((rng.choice(("yining-2024", "xundian-2020")), doc))
    return out


def per_second(fn: Callable[[], object], seconds: float) -> float:
    """Best calls per CPU-second of fn() over one-second rounds (as timeit takes the best: other load only slows)."""
    for _ in range(200):
        fn()
    best = 0.0
    spent = 0.0
    while spent < seconds:
        count, start = 0, time.process_time()
        while True:
            for _ in range(500):
                fn()
            count += 500
            elapsed = time.process_time() - start
            if elapsed >= min(1.0, seconds):
                break
        best = max(best, count / elapsed)
        spent += elapsed
    return best


def timed(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median wall and CPU (user+system) time of each command, in milliseconds, the commands taking turns."""
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for n, cmd in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            walls[n].append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[n].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def normal_install(tmp: Path) -> Path:
    """soegov from a wheel in a new virtual environment; returns its bin folder."""
    root = Path(__file__).resolve().parents[1]
    source = tmp / "source"  # built from a copy, so the checkout gets no build/ folder
    shutil.copytree(root / "soegov", source / "soegov", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(source)],
                   **quiet)  # type: ignore[call-overload]
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], **quiet)  # type: ignore[call-overload]
    wheel = next((tmp / "dist").glob("soegov-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], **quiet)  # type: ignore[call-overload]
    # The dependencies: this environment's site-packages, after the wheel's own (a plain path, so the
    # editable install's hook there is not loaded).
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_soegov_bench_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv / "bin"


def startup(runs: int) -> None:
    """Print `soegov classify --json` of a normal install beside a bare Python start of the same environment."""
    with tempfile.TemporaryDirectory(prefix="soegov-bench-") as name:
        tmp = Path(name)
        bin_dir = normal_install(tmp)
        doc = tmp / "matter.json"
        doc.write_text(json.dumps(MATTERS[0][1]), encoding="utf-8")
        env_cache = os.environ.get("SOEGOV_CACHE_DIR")
        os.environ["SOEGOV_CACHE_DIR"] = str(tmp / "cache")
        try:
            cli = [str(bin_dir / "soegov"), "classify", "--policy", "yining-2024", str(doc), "--json"]
            subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)  # builds the pack cache, as a first run does
            (bare_wall, bare_cpu), (cli_wall, cli_cpu) = timed([[str(bin_dir / "python"), "-c", "pass"], cli], runs)
        finally:
            if env_cache is None:
                os.environ.pop("SOEGOV_CACHE_DIR", None)
            else:
                os.environ["SOEGOV_CACHE_DIR"] = env_cache
    print(f"normal install (wheel): python -c pass {bare_wall:.1f} ms wall / {bare_cpu:.1f} ms CPU; "
          f"soegov classify --json {cli_wall:.1f} ms wall / {cli_cpu:.1f} ms CPU: "
          f"{cli_wall / bare_wall:.2f}x wall, {cli_cpu / bare_cpu:.2f}x CPU of a bare Python start "
          f"(target <= 3x) [median of {runs} each, taking turns]")


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--cli-runs", type=int, default=40)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "soegov")],
                   check=True, stdout=subprocess.DEVNULL)  # a normal install has bytecode; so does this run
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says

    matters = MATTERS + workload(5000)
    for policy, doc in matters:
        classify(doc, policy=policy)  # load the packs (and check every matter is valid) before timing
    state = {"n": 0}

    def one() -> None:
        policy, doc = matters[state["n"] % len(matters)]
        state["n"] += 1
        classify(doc, policy=policy)

    rate = per_second(one, args.seconds)
    meeting_rate = per_second(lambda: meeting_check(MEETING, policy="xundian-2020"), args.seconds / 2)
    print(f"classify (in process, one core, {len(matters):,} varied matters): {rate:,.0f} classifications/s "
          f"({1e6 / rate:.1f} µs each; target >= 50,000/s)")
    print(f"meeting_check (3-item board meeting): {meeting_rate:,.0f} checks/s")

    startup(args.cli_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
