"""Benchmark of the web lists, the dashboard and the exports at province scale on PostgreSQL.

Run: .venv/bin/python bench/web.py [--matters 100000] [--runs 30] [--database postgres://postgres@127.0.0.1:5432/soegov_bench]

It makes a fresh database, migrates it, and loads matters through tests.bulk (model-valid bulk creation: four
matters made by the services, the rest copied from them with their verdicts and history) with events,
ledger findings, cases and meetings in proportion (1 event per matter, 1 finding per 2, 1 open case per 20
findings, 1 meeting per 50 matters). It measures first at the baseline (a tenth of the rows), then loads the
rest and measures again, in the same run: each page and API list is requested --runs times through Django's
test client (the whole middleware stack, logged in as a supervisor's reviewer), beside a bare view
(/healthz) measured the same way. It prints p50/p95/p99, SQL queries, response size, and the ratio of each
p50 at full size to the baseline's. The export is timed once per size with its peak Python memory (tracemalloc).
Then it starts `soegov serve` on 127.0.0.1 against the same database and measures the same pages at 1 and 8
concurrent users, the bare view beside them and POST /api/v1/classify at 8 (bench/serve.py); --keep keeps the
database and --served-only measures a kept one through the server again. After each load it runs VACUUM ANALYZE,
as autovacuum does on a live table, so index-only scans are measured as they run in production.
Targets (issue 16): every page p95 <= 150 ms and every API list p95 <= 100 ms at 100,000 matters.
Prints figures; asserts nothing (CI runs it with --matters 2000 so it cannot rot).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("bare view /healthz", "/healthz"),
    ("matters list", "/matters/"),
    ("matters list, page 40", "/matters/?page=40"),
    ("matters, keyword 厂房", "/matters/?q=闲置厂房"),
    ("matters, overdue", "/matters/?overdue=true"),
    ("review queue", "/matters/review/"),
    ("oversight dashboard", "/oversight/"),
    ("events list", "/oversight/events/"),
    ("cases list", "/oversight/cases/"),
    ("meetings list", "/meetings/"),
    ("API matters", "/api/v1/matters"),
    ("API matters, offset 5000", "/api/v1/matters?offset=5000"),
    ("API matters, keyword", "/api/v1/matters?q=闲置厂房"),
    ("API review queue", "/api/v1/matters/queue"),
    ("API dashboard", "/api/v1/oversight/dashboard"),
    ("API findings", "/api/v1/oversight/findings"),
    ("API cases", "/api/v1/oversight/cases"),
    ("API events", "/api/v1/oversight/events"),
    ("API meetings", "/api/v1/meetings"),
]
EXPORT = "/matters/ledger.xlsx?year={year}"


def _database(url: str) -> None:
    """Drop and create the benchmark database named in the URL."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SOEGOV_DATA_DIR", tempfile.mkdtemp(prefix="soegov-bench-"))
    os.environ.setdefault("SOEGOV_CACHE_DIR", tempfile.mkdtemp(prefix="soegov-bench-cache-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "soegov.web.settings"
    os.environ["SOEGOV_TOTP_REQUIRED"] = "false"  # the benchmark's sessions, here and in the server it starts
    import django

    django.setup()
    from django.conf import settings

    # The test client's host, and no TOTP prompt for the benchmark's own session.
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.SOEGOV_TOTP_REQUIRED = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _people(n_enterprises: int) -> dict[str, Any]:
    from soegov.accounts.models import User
    from soegov.accounts.roles import Role
    from soegov.enterprises import services
    from soegov.enterprises.models import Jurisdiction
    from tests.factories import uscc

    j = Jurisdiction.objects.create(code="yn", name="伊宁市", supervisor="伊宁市国资委", policy_packs=["yining-2024"])
    group = services.enterprise_create(actor=None, jurisdiction=j, parent=None, name="伊宁市国有资本投资运营集团有限公司",
                                       uscc=uscc(0), ownership="sole")
    enterprises = [group] + [services.enterprise_create(actor=None, jurisdiction=j, parent=group, uscc=uscc(i),
                                                        name=f"伊宁市第{i}建设投资有限公司", ownership="wholly_owned")
                             for i in range(1, n_enterprises)]
    bodies = [services.body_create(actor=None, enterprise=e, kind="board", name="董事会") for e in enterprises]
    filer = User.objects.create_user(username="bench_filer", password="x", role=Role.ENTERPRISE_FILER, enterprise=group)
    reviewer = User.objects.create_user(username="bench_reviewer", password="x", role=Role.SUPERVISOR_REVIEWER,
                                        jurisdiction=j)
    return {"enterprises": enterprises, "bodies": bodies, "filer": filer, "reviewer": reviewer}


def _load(people: dict[str, Any], matters: int, seed: int) -> None:
    from django.db import connection

    from tests.bulk import make_events, make_findings, make_matters, make_meetings

    ents, filer = people["enterprises"], people["filer"]
    make_matters(ents, matters, seed=seed, actor=filer)
    make_events(ents, matters, seed=seed + 1, actor=filer)
    make_findings(ents, matters // 2, seed=seed + 2, actor=people["reviewer"], cases_every=20)
    make_meetings(people["bodies"], max(matters // 50, 1), seed=seed + 3, actor=filer)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _pct(values: list[float], p: float) -> float:
    from bench.serve import percentile

    return percentile(sorted(values), p)


def _measure(client: Any, runs: int) -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for label, url in PAGES:
        r = client.get(url)  # warm: caches and the connection, as a running server has them
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}")
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        out[label] = {"p50": statistics.median(times), "p95": _pct(times, 95), "p99": _pct(times, 99),
                      "queries": len(ctx.captured_queries), "bytes": len(r.content)}
    return out


def _export(client: Any) -> dict[str, float]:
    """The year's ledger download: time, size and the peak Python memory while it is produced and read."""
    import tracemalloc

    from django.utils import timezone

    from soegov.matters.models import Matter

    year = timezone.localdate().year
    tracemalloc.start()
    t = time.perf_counter()
    r = client.get(EXPORT.format(year=year))
    size = sum(len(c) for c in r.streaming_content)
    seconds = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = Matter.objects.filter(occurred_on__year=year).count()
    return {"rows": rows, "seconds": seconds, "bytes": size, "peak_mb": peak / 1e6}


def _print(title: str, base: dict[str, dict[str, float]], full: dict[str, dict[str, float]], n_base: int,
           n_full: int) -> None:
    print(f"\n{title}: p50/p95/p99 in ms through the Django test client ({n_base:,} → {n_full:,} matters)")
    print(f"{'page':28} {'p50':>8} {'p95':>8} {'p99':>8} {'queries':>8} {'KB':>7} │ {'base p50':>8} {'q':>4} │ ratio")
    for label, _ in PAGES:
        f, b = full[label], base[label]
        print(f"{label:28} {f['p50']:8.1f} {f['p95']:8.1f} {f['p99']:8.1f} {f['queries']:8d} {f['bytes'] / 1024:7.1f} │ "
              f"{b['p50']:8.1f} {b['queries']:4d} │ {f['p50'] / b['p50']:5.2f}×")


def _served(url: str, runs: int) -> int:
    """The same pages through `soegov serve` at 1 and 8 users, each user logged in with a session of its own."""
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    from bench.serve import measure_served, print_served, server_env
    from soegov.accounts.models import User
    from soegov.matters.models import Matter

    reviewer = User.objects.get(username="bench_reviewer")
    cookies = []
    for _ in range(8):
        c = Client()
        c.force_login(reviewer)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}")
    n = Matter.objects.count()
    connections.close_all()
    results = measure_served(PAGES, cookies, runs, server_env(url))
    print_served(results, n)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--enterprises", type=int, default=0, help="default: one per 500 matters, at least 5")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/soegov_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to look at the plans)")
    parser.add_argument("--served-only", action="store_true",
                        help="measure a database kept by an earlier run (--keep) through soegov serve only")
    args = parser.parse_args()
    if args.served_only:
        _setup(args.database)
        return _served(args.database, args.runs)
    base_n = max(args.matters // 10, 40)
    _database(args.database)
    _setup(args.database)
    from django.test import Client

    people = _people(args.enterprises or max(args.matters // 500, 5))
    client = Client()
    client.force_login(people["reviewer"])
    t = time.perf_counter()
    _load(people, base_n, seed=1)
    print(f"loaded {base_n:,} matters (+ events, findings, cases, meetings) in {time.perf_counter() - t:.1f} s")
    base = _measure(client, args.runs)
    base_export = _export(client)
    t = time.perf_counter()
    _load(people, args.matters - base_n, seed=2)
    print(f"loaded {args.matters - base_n:,} more in {time.perf_counter() - t:.1f} s")
    full = _measure(client, args.runs)
    full_export = _export(client)
    _print("Lists, dashboard and API lists", base, full, base_n, args.matters)
    print(f"\nledger export (.xlsx, this year's matters, streamed): "
          f"{base_export['rows']:,} rows {base_export['seconds']:.2f} s, peak Python memory {base_export['peak_mb']:.1f} MB │ "
          f"{full_export['rows']:,} rows {full_export['seconds']:.2f} s ({full_export['bytes'] / 1e6:.1f} MB), "
          f"peak Python memory {full_export['peak_mb']:.1f} MB")
    worst_page = max(v["p95"] for k, v in full.items() if not k.startswith(("API", "bare")))
    worst_api = max(v["p95"] for k, v in full.items() if k.startswith("API"))
    print(f"\nworst page p95 {worst_page:.1f} ms (target ≤ 150); worst API list p95 {worst_api:.1f} ms (target ≤ 100)")
    _served(args.database, args.runs)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        _drop(args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
