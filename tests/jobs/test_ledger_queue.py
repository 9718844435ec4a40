"""A 1,000,000-row ledger checked from the page on the task queue, with the worker killed in the middle.

Real processes: `soegov serve`, two `soegov worker`s one after the other, Redis, and the database of the
run (SQLite or PostgreSQL). The upload returns at once, the page shows the job's progress, the first worker
is killed (SIGKILL) while DuckDB scans, and the findings appear once the second worker has redone the check.
"""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path
from typing import Any

from tests.deploy.http import login
from tests.factories import PASSWORD
from tests.jobs.stack import free_port, stack  # noqa: F401 (fixture)

ROWS = 1_000_000
MAKE = ("import json; from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory; "
        "e = EnterpriseFactory(name='寻甸县城乡建设投资开发有限公司', ownership='sole', jurisdiction=JurisdictionFactory("
        "code='xd', name='寻甸县', supervisor='寻甸县财政局(国资委)', policy_packs=['xundian-2020'])); "
        "UserFactory(username='xd_inspector', role='supervisor_inspector', jurisdiction=e.jurisdiction); "
        "print(json.dumps(e.pk))")


def write_ledger(path: Path, rows: int) -> None:
    """Everyday payments (100–2,000 元, 20,000 payees over two years) and one planted split payment."""
    import duckdb

    con = duckdb.connect()
    con.execute("SELECT setseed(0.17)")
    con.execute(f"""
        COPY (
            SELECT DATE '2025-01-01' + CAST(floor(random() * 700) AS INTEGER) AS date,
                   '日常供应商' || CAST(CAST(floor(random() * 20000) AS INTEGER) AS VARCHAR) AS payee,
                   CAST(round(100 + random() * 1900, 2) AS DECIMAL(18, 2)) AS amount,
                   'other' AS purpose, 'non_production' AS expense_class, NULL AS contract_id
            FROM range({rows - 3})
            UNION ALL SELECT * FROM (VALUES
                (DATE '2026-03-02', '甲装饰公司', 28000.00, 'other', 'non_production', NULL),
                (DATE '2026-03-09', '甲装饰公司', 27500.00, 'other', 'non_production', NULL),
                (DATE '2026-03-21', '甲装饰公司', 29000.00, 'other', 'non_production', NULL))
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def job_of(st: Any, ledger: int) -> tuple[Any, ...] | None:
    rows = st.sql("SELECT id, status, stage, attempts FROM jobs_job WHERE target = ? ORDER BY id DESC",
                  (f"oversight.ledgerimport:{ledger}",))
    return rows[0] if rows else None


def test_a_million_row_ledger_check_survives_a_killed_worker(stack: Any, tmp_path: Path) -> None:  # noqa: F811
    st = stack
    st.migrate()
    ent = st.shell(MAKE)
    ledger_file = tmp_path / "2026年支付台账.csv"
    write_ledger(ledger_file, ROWS)
    port = free_port()
    st.start("serve", "--port", str(port), log="serve", ready="服务地址")
    first = st.start("worker", "--concurrency=1", log="worker1", ready="ready.")
    base = f"http://127.0.0.1:{port}"
    s = login(base, "xd_inspector", PASSWORD)
    form = s.get(f"{base}/oversight/ledgers/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    started = time.monotonic()
    with open(ledger_file, "rb") as fh:
        r = s.post(f"{base}/oversight/ledgers/", data={"csrfmiddlewaretoken": token.group(1), "enterprise": str(ent),
                                                     "window_days": "30"},
                   files={"file": (ledger_file.name, fh, "text/csv")}, headers={"Referer": f"{base}/oversight/ledgers/"},
                   timeout=120, allow_redirects=False)
    answered = time.monotonic() - started
    assert r.status_code == 302, r.text[:1000]
    ledger = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    page = s.get(f"{base}{r.headers['Location']}", timeout=30).text
    assert "正在后台检查" in page and 'hx-get="/jobs/' in page and "检查完成后显示" in page
    # The upload answered before the check could have run: the job was still waiting or scanning.
    job = job_of(st, ledger)
    assert job is not None and job[1] in {"queued", "running"}, (job, answered)
    st.wait_for(lambda: (j := job_of(st, ledger)) and j[1] == "running" and "扫描台账" in j[2], 60,
                "the check never started scanning", proc=first, log=st.root / "worker1.log")
    # The page's progress names the scan's stage and shows how far it is as a percentage.
    running = job_of(st, ledger)
    assert running is not None
    shown = s.get(f"{base}/jobs/{running[0]}/progress?refresh=1", timeout=30).text
    assert re.search(r"<progress max=\"5\" value=\"\d\">\d+%</progress>", shown) and "扫描台账" in shown, shown
    assert re.search(r"\d+%（\d / 5）", shown), shown
    time.sleep(0.5)
    st.kill(first, signal.SIGKILL)
    job = job_of(st, ledger)
    assert job is not None and job[1] == "running" and job[3] == 1
    assert st.sql("SELECT COUNT(*) FROM oversight_finding WHERE ledger_id = ?", (ledger,))[0][0] == 0
    second = st.start("worker", "--concurrency=1", "--beat", log="worker2", ready="ready.")
    st.wait_for(lambda: (j := job_of(st, ledger)) and j[1] in {"succeeded", "failed"}, 180,
                "the check did not finish after the restart", proc=second, log=st.root / "worker2.log")
    job_id, status, stage, attempts = job_of(st, ledger)  # type: ignore[misc]
    assert (status, attempts) == ("succeeded", 2), stage
    rows, checked = st.sql("SELECT rows, checked_at FROM oversight_ledgerimport WHERE id = ?", (ledger,))[0]
    assert rows == ROWS and checked is not None
    findings = st.sql("SELECT code, rows FROM oversight_finding WHERE ledger_id = ?", (ledger,))
    assert [code for code, _ in findings] == ["split_payment"]
    page = s.get(f"{base}/oversight/ledgers/{ledger}/", timeout=30).text
    assert "疑似化整为零" in page and f"{ROWS} 行" in page and "hx-get" not in page
    done = s.get(f"{base}/jobs/{job_id}/progress", timeout=30).text
    assert f"检查完成：{ROWS} 行，发现 1 项" in done and "第 2 次执行" in done
