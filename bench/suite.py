"""Benchmark of the test suite: the same tests at a baseline commit and now, each run as its own scripts/test runs it.

Run: .venv/bin/python bench/suite.py [--baseline ca6522f] [--rounds 3] [--select tests/law ...]
Prints, for each round, the wall time of the SQLite run, of the PostgreSQL run and of both, at the baseline and
now, and the ratio now / baseline; then the medians. Asserts nothing. Target (issue 12): the ratio at most 2/3.

"The same tests" are the test ids both commits collect (a test renamed or added since is left out), selected by a
small pytest plugin this script writes (`-p only_ids`). Each side runs them as its own `scripts/test` runs the whole
suite; the commands are written below, not read from that file, so a change there must be made here too:

- the baseline (ca6522f, before the architecture step): one process; SQLite, then PostgreSQL with `-m "not browser"`;
  Python's bytecode caches as the environment says (this machine sets PYTHONDONTWRITEBYTECODE, so none are written);
- now: two pytest-xdist workers (`-n auto` on two cores); bytecode caches written; PostgreSQL without what cannot
  differ there (the browser, schemathesis, `engine` and `own_database` tests).

Both checkouts start each round without bytecode caches, as a fresh clone in CI does. The two sides take turns
(baseline, then now, in each round), so a slower machine slows both. The baseline is checked out as a git worktree
with its own virtual environment in --workdir (made once, then reused); its dependencies come from the same package
index as this checkout's. PostgreSQL at 127.0.0.1:5432 must accept the user postgres (trust), as for scripts/test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
PLUGIN = '''"""Keep only the test ids listed in the file $ONLY_IDS (bench/suite.py)."""
import os


def pytest_collection_modifyitems(config, items):
    keep = set(open(os.environ["ONLY_IDS"], encoding="utf-8").read().split("\\n"))
    deselected = [item for item in items if item.nodeid not in keep]
    items[:] = [item for item in items if item.nodeid in keep]
    config.hook.pytest_deselected(items=deselected)
'''
PYTEST = ["-m", "pytest", "-p", "only_ids", "-p", "no:cacheprovider", "-q"]
# How each side's scripts/test runs its tests: (name, pytest arguments, PostgreSQL?, writes bytecode caches?)
BASELINE_RUNS = [("SQLite", [], False), ("PostgreSQL", ["-m", "not browser", "--create-db"], True)]
NOW_RUNS = [("SQLite", ["-n", "auto"], False),
            ("PostgreSQL", ["-n", "auto", "-m", "not browser and not schemathesis and not engine and not own_database",
                            "--ignore=tests/api/test_schemathesis.py", "--create-db"], True)]


def _run(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> int:
    with open(log, "w", encoding="utf-8") as out:
        return subprocess.run(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode


def baseline_checkout(commit: str, workdir: Path) -> Path:
    """The baseline commit as a worktree with its own virtual environment (made once)."""
    tree = workdir / "baseline"
    python = tree / ".venv" / "bin" / "python"
    if not python.exists():
        if tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit], check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", ".[test]"], cwd=tree, check=True)
    # The law tests read the regulations from ../shared/seeds beside the checkout, as in this one.
    shared = ROOT.parent / "shared"
    if shared.exists() and not (workdir / "shared").exists():
        (workdir / "shared").symlink_to(shared)
    return tree


def collected(tree: Path, env: dict[str, str], select: list[str]) -> set[str]:
    """The test ids a checkout collects (SQLite settings; the PostgreSQL run collects the same ones)."""
    done = subprocess.run([str(tree / ".venv" / "bin" / "python"), "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", *select], cwd=tree, env=env, capture_output=True, text=True)
    return {line for line in done.stdout.splitlines() if "::" in line}


def without_bytecode_caches(tree: Path) -> None:
    """Remove the checkout's own bytecode caches, as a fresh clone has none."""
    for top in ("soegov", "tests", "bench"):
        for cache in (tree / top).rglob("__pycache__") if (tree / top).exists() else []:
            shutil.rmtree(cache, ignore_errors=True)


def timed_side(tree: Path, runs: list[tuple[str, list[str], bool]], env: dict[str, str], write_caches: bool,
               logs: Path, tag: str) -> dict[str, float]:
    """Wall seconds of each run of one side, started without bytecode caches; a failed run stops the benchmark."""
    without_bytecode_caches(tree)
    side = dict(env)
    if write_caches:
        side.pop("PYTHONDONTWRITEBYTECODE", None)
    figures = {}
    for name, args, postgres in runs:
        run_env = dict(side, DATABASE_URL=f"{PG}/soegov_bench_{tag}") if postgres else side
        log = logs / f"{tag}-{name}.log"
        start = time.monotonic()
        status = _run([str(tree / ".venv" / "bin" / "python"), *PYTEST, *args], tree, run_env, log)
        figures[name] = time.monotonic() - start
        if status != 0:
            sys.exit(f"{tag} {name}: pytest exited {status}; see {log}")
    return figures


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="ca6522f", help="the commit to compare with (default: before issue 12)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "soegov-suite-bench")
    parser.add_argument("--select", nargs="*", default=[], help="pytest paths to restrict both sides to")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    (args.workdir / "plugin").mkdir(exist_ok=True)
    (args.workdir / "plugin" / "only_ids.py").write_text(PLUGIN, encoding="utf-8")
    logs = args.workdir / "logs"
    logs.mkdir(exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env.update(PYTHONPATH=str(args.workdir / "plugin"), ONLY_IDS=str(args.workdir / "common_ids.txt"),
                    SOEGOV_DATA_DIR=tempfile.mkdtemp(), SOEGOV_CACHE_DIR=tempfile.mkdtemp())
    baseline = baseline_checkout(args.baseline, args.workdir)
    common = collected(baseline, base_env, args.select) & collected(ROOT, base_env, args.select)
    if not common:
        sys.exit("the two checkouts share no test id")
    (args.workdir / "common_ids.txt").write_text("\n".join(sorted(common)) + "\n", encoding="utf-8")
    bytecode = "not written" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"{len(common)} tests both collect; baseline {args.baseline} (bytecode caches {bytecode}, as this "
          f"environment says), now {head.stdout.strip()}")
    print("round | baseline SQLite | PostgreSQL | both | now SQLite | PostgreSQL | both | now / baseline")
    ratios, befores, afters = [], [], []
    for n in range(1, args.rounds + 1):
        before = timed_side(baseline, BASELINE_RUNS, base_env, False, logs, f"baseline{n}")
        after = timed_side(ROOT, NOW_RUNS, base_env, True, logs, f"now{n}")
        b, a = sum(before.values()), sum(after.values())
        ratios.append(a / b)
        befores.append(b)
        afters.append(a)
        print(f"{n} ({time.strftime('%H:%M', time.gmtime())} UTC) | {before['SQLite']:.1f} s | "
              f"{before['PostgreSQL']:.1f} s | {b:.1f} s | {after['SQLite']:.1f} s | {after['PostgreSQL']:.1f} s | "
              f"{a:.1f} s | {a / b:.3f}", flush=True)
    print(f"median: baseline {statistics.median(befores):.1f} s, now {statistics.median(afters):.1f} s, "
          f"ratio {statistics.median(ratios):.3f} (target at most 0.667)")


if __name__ == "__main__":
    main()
