"""The queue for real: Redis, `soegov worker` processes killed and restarted, `soegov scheduler`/beat."""

from __future__ import annotations

import json
import signal
from typing import Any

from tests.jobs.stack import stack  # noqa: F401 (fixture)

START = ("from soegov.jobs.services import job_start; import json; "
         "j = job_start(actor=None, kind='tests.steps', params={{'steps': {steps}, 'seconds': {seconds}}}); "
         "print(json.dumps(j.pk))")


def job_row(st: Any, pk: int) -> tuple[Any, ...]:
    return st.sql("SELECT status, done, total, attempts, worker FROM jobs_job WHERE id = ?", (pk,))[0]


def test_a_job_survives_its_worker_being_killed_mid_run(stack: Any) -> None:  # noqa: F811
    st = stack
    st.migrate()
    first = st.start("worker", "--concurrency=1", log="worker1", ready="ready.")
    # Long enough (about 15 s) that a loaded machine still sees it running after its fifth step.
    pk = st.shell(START.format(steps=60, seconds=0.25))
    st.wait_for(lambda: (row := job_row(st, pk))[0] == "running" and row[1] >= 5, 60, "job never got going",
                proc=first, log=st.root / "worker1.log")
    st.kill(first, signal.SIGKILL)
    status, done, total, attempts, worker = job_row(st, pk)
    assert (status, attempts, total) == ("running", 1, 60) and 5 <= done < 60
    # A new worker with the scheduler: the sweep finds the dead worker's job by its stale heartbeat.
    second = st.start("worker", "--concurrency=1", "--beat", log="worker2", ready="ready.")
    st.wait_for(lambda: job_row(st, pk)[0] == "succeeded", 90, "job not finished after the restart",
                proc=second, log=st.root / "worker2.log")
    status, done, total, attempts, new_worker = job_row(st, pk)
    assert (status, done, total, attempts) == ("succeeded", 60, 60, 2) and new_worker != worker
    actions = [a for (a,) in st.sql("SELECT action FROM audit_auditentry WHERE object_type = 'jobs.job' "
                                    "AND object_id = ? ORDER BY seq", (str(pk),))]
    assert actions == ["job.start", "job.requeue", "job.finish"]
    result = st.sql("SELECT result FROM jobs_job WHERE id = ?", (pk,))[0][0]
    assert (json.loads(result) if isinstance(result, str) else result)["message"] == "已完成 60 步"


def test_the_scheduler_sends_the_reminders_with_no_cron_line(stack: Any) -> None:  # noqa: F811
    st = stack
    st.migrate()
    # An event report due an hour ago and never reported: `soegov remind-events` would remind it.
    st.shell(
        "import json, datetime as dt; from django.utils import timezone; from tests.factories import EnterpriseFactory, "
        "UserFactory; from soegov.oversight.models import EventReport; e = EnterpriseFactory(); "
        "UserFactory(role='enterprise_filer', enterprise=e, username='filer1'); "
        "EventReport.objects.create(enterprise=e, policy='yining-2024', category='accident', title='厂区火灾', "
        "occurred_at=timezone.now() - dt.timedelta(hours=13), due_at=timezone.now() - dt.timedelta(hours=1), "
        "citation={'article': 8}); print(json.dumps(1))")
    st.start("worker", "--concurrency=1", log="worker", ready="ready.")
    st.start("scheduler", log="scheduler", ready="beat: Starting",
             SOEGOV_SCHEDULE_MINUTES="matters.remind=0.02,followup.remind=0.02,oversight.remind_events=0.02")

    def ran() -> Any:
        rows = st.sql("SELECT kind FROM jobs_job WHERE status = 'succeeded' AND created_by_id IS NULL")
        return {"matters.remind", "followup.remind", "oversight.remind_events"} <= {k for (k,) in rows}

    st.wait_for(ran, 60, "the scheduler did not run the three reminders", log=st.root / "worker.log")
    notes = st.sql("SELECT n.text FROM matters_notification n JOIN accounts_user u ON u.id = n.user_id "
                   "WHERE u.username = 'filer1'")
    assert len(notes) == 1 and "厂区火灾" in notes[0][0]
    # Run again and again by the schedule: still one reminder (the same idempotent service as the CLI).
    st.wait_for(lambda: len(st.sql("SELECT id FROM jobs_job WHERE kind = 'oversight.remind_events'")) >= 3, 30,
                "the schedule did not repeat")
    assert len(st.sql("SELECT id FROM matters_notification")) == 1
    assert "已发送 0 条随时报告事件逾期提醒" in st.run("remind-events").stdout
