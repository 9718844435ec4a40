"""The job record and its runner (jobs run inline here; test_worker runs them on a real worker)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.jobs import registry, runner
from soegov.jobs.models import Job, JobStatus
from soegov.jobs.services import job_active, job_start, jobs_prune, jobs_recover, periodic_run
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.jobs import kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector() -> Any:
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd", policy_packs=["xundian-2020"]))
    return UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_job_runs_records_progress_result_and_is_audited(inspector: Any) -> None:
    inspector.full_name = "钱立新"
    inspector.save(update_fields=["full_name"])
    job = job_start(actor=inspector, kind="tests.steps", params={"steps": 4})
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.stage) == (4, 4, "已完成")
    assert job.result["message"] == "已完成 4 步"
    # The page names the person who started it, as every other page does, not his login.
    assert job.created_by == inspector and job.created_by_name == "钱立新" and job.attempts == 1
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    actions = list(AuditEntry.objects.filter(object_type="jobs.job", object_id=str(job.pk)).order_by("seq").values_list("action", "actor_name"))
    assert actions == [("job.start", inspector.username), ("job.finish", inspector.username)]


def test_a_refused_input_is_the_users_message(inspector: Any) -> None:
    job = job_start(actor=inspector, kind="tests.steps", params={"steps": 4, "fail": "input"})
    assert job.status == JobStatus.FAILED
    assert job.error == "第 2 行的金额不是数字"
    assert job.done == 2


def test_a_bug_is_a_plain_message_and_a_logged_traceback(inspector: Any, caplog: Any) -> None:
    job = job_start(actor=inspector, kind="tests.steps", params={"steps": 4, "fail": "bug"})
    assert job.status == JobStatus.FAILED
    assert "ZeroDivisionError" in job.error and "系统管理员" in job.error and "division" not in job.error
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)


def test_a_remote_failure_is_retried_then_succeeds(inspector: Any) -> None:
    kinds.CALLS.clear()
    job = job_start(actor=inspector, kind="tests.flaky", params={"succeed_on": 3})
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 3 and kinds.CALLS == [1, 2, 3]
    assert AuditEntry.objects.filter(action="job.retry", object_id=str(job.pk)).count() == 2


def test_retries_stop_at_the_limit(inspector: Any) -> None:
    job = job_start(actor=inspector, kind="tests.flaky", params={"succeed_on": 9})
    assert job.status == JobStatus.FAILED and job.attempts == 3
    assert job.error.startswith("已重试 3 次仍失败")


def test_an_unknown_kind_is_refused_before_anything_is_recorded(inspector: Any) -> None:
    from soegov.core.errors import SoegovError

    with pytest.raises(SoegovError) as exc:
        job_start(actor=inspector, kind="tests.nothing")
    assert "未知的后台任务类型" in exc.value.message
    assert not Job.objects.exists()


def test_a_finished_job_is_never_run_again_by_a_second_delivery(inspector: Any) -> None:
    job = job_start(actor=inspector, kind="tests.steps", params={"steps": 2})
    assert runner.execute(job.pk, worker="other") == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_running_job_with_a_live_worker_is_not_taken(inspector: Any, settings: Any) -> None:
    settings.SOEGOV_JOBS_EAGER = False
    job = Job.objects.create(kind="tests.steps", label="x", status=JobStatus.RUNNING, worker="w1", attempts=1,
                             heartbeat_at=timezone.now())
    assert runner.claim(job.pk, "w2") is None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=120))
    taken = runner.claim(job.pk, "w2")
    assert taken is not None and taken.worker == "w2" and taken.attempts == 2


def test_the_sweep_resends_a_job_whose_worker_died(inspector: Any, settings: Any) -> None:
    job = Job.objects.create(kind="tests.steps", label="x", params={"steps": 3}, status=JobStatus.RUNNING,
                             worker="dead/1/1", attempts=1, created_by=inspector, done=1, total=3,
                             heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.SOEGOV_JOB_STALE_SECONDS + 5))
    found = jobs_recover()
    assert found == {"worker_lost": 1, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.done == 3
    entry = AuditEntry.objects.get(action="job.requeue", object_id=str(job.pk))
    assert entry.after["reason"] == "worker_lost" and entry.after["worker"] == "dead/1/1"


def test_a_job_that_keeps_killing_its_worker_stops_after_the_limit(inspector: Any, settings: Any) -> None:
    job = Job.objects.create(kind="tests.steps", label="x", status=JobStatus.RUNNING, worker="dead/1/1",
                             attempts=settings.SOEGOV_JOB_MAX_ATTEMPTS, created_by=inspector,
                             heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    jobs_recover()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "不再重试" in job.error


def test_the_sweep_resends_a_job_whose_message_was_lost(inspector: Any, settings: Any) -> None:
    old = timezone.now() - dt.timedelta(seconds=settings.SOEGOV_JOB_REQUEUE_AFTER_SECONDS + 5)
    job = Job.objects.create(kind="tests.steps", label="x", params={"steps": 2}, enqueued_at=old, created_by=inspector)
    fresh = Job.objects.create(kind="tests.steps", label="y", params={"steps": 2}, enqueued_at=timezone.now())
    assert jobs_recover() == {"worker_lost": 0, "resent": 1}
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and fresh.status == JobStatus.QUEUED


def test_a_periodic_kind_is_skipped_while_one_is_active(settings: Any) -> None:
    Job.objects.create(kind="matters.remind", label="x", status=JobStatus.RUNNING, worker="w", heartbeat_at=timezone.now())
    assert job_active("matters.remind") is not None
    assert periodic_run("matters.remind") == "skipped"
    Job.objects.all().delete()
    assert periodic_run("matters.remind") == "succeeded"
    job = Job.objects.get()
    assert job.created_by is None and job.created_by_name == "soegov 定时任务"
    assert job.result == {"message": "已发送 0 条期限提醒", "sent": 0}


def test_the_schedule_replaces_the_three_cron_lines(settings: Any) -> None:
    from celery.schedules import crontab

    from soegov.jobs.queue import PERIODIC, beat_schedule

    schedule = beat_schedule()
    assert {k: (v["task"], v["schedule"], v.get("args")) for k, v in schedule.items() if k != "jobs-sweep"} == {
        "matters.remind": (PERIODIC, 900.0, ["matters.remind"]),
        "followup.remind": (PERIODIC, 3600.0, ["followup.remind"]),
        "oversight.remind_events": (PERIODIC, 900.0, ["oversight.remind_events"]),
        "jobs.prune": (PERIODIC, 86400.0, ["jobs.prune"]),
        "hrsync.sync": (PERIODIC, crontab(hour=2, minute=30), ["hrsync.sync"]),
    }
    settings.SOEGOV_SCHEDULE_MINUTES = {"matters.remind": 5, "followup.remind": 0}
    schedule = beat_schedule()
    assert schedule["matters.remind"]["schedule"] == 300.0 and "followup.remind" not in schedule
    # The collector's two are periodic too, but off where no collector is configured (SOEGOV_COLLECTOR_URL).
    assert [k.name for k in registry.periodic()] == ["collector.autoreport", "collector.send", "followup.remind", "hrsync.sync", "jobs.prune",
                                                      "matters.remind", "oversight.remind_events"]


def test_the_nightly_hr_sync_says_when_it_is_not_configured(settings: Any) -> None:
    settings.SOEGOV_HRSYNC_URL = ""
    assert periodic_run("hrsync.sync") == "succeeded"
    assert Job.objects.get(kind="hrsync.sync").result["message"].startswith("未设置 SOEGOV_HRSYNC_URL")


def test_old_scheduler_jobs_are_pruned_user_jobs_kept(inspector: Any) -> None:
    old = timezone.now() - dt.timedelta(days=200)
    Job.objects.create(kind="matters.remind", label="x", status=JobStatus.SUCCEEDED, finished_at=old)
    mine = Job.objects.create(kind="tests.steps", label="y", status=JobStatus.SUCCEEDED, finished_at=old,
                              created_by=inspector)
    assert jobs_prune() == 1
    assert list(Job.objects.all()) == [mine]


def test_progress_partial_polls_until_done_then_shows_the_result(inspector: Any, settings: Any) -> None:
    settings.SOEGOV_JOBS_EAGER = False
    job = Job.objects.create(kind="tests.steps", label="分步测试任务", status=JobStatus.RUNNING, done=3, total=12,
                             stage="第 3 步", created_by=inspector, created_by_name=inspector.username,
                             role=inspector.role, heartbeat_at=timezone.now())
    c = client_for(inspector)
    page = c.get(f"/jobs/{job.pk}/progress?refresh=1").content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page and "第 3 步" in page and "3 / 12" in page
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result={"message": "已完成 12 步", "url": "/x/"})
    r = c.get(f"/jobs/{job.pk}/progress?refresh=1")
    page = r.content.decode()
    assert "hx-trigger" not in page and "已完成 12 步" in page and 'href="/x/"' in page and r["HX-Refresh"] == "true"
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="第 2 行的金额不是数字")
    page = c.get(f"/jobs/{job.pk}/progress").content.decode()
    assert 'role="alert">第 2 行的金额不是数字' in page


def test_who_sees_a_job(inspector: Any) -> None:
    job = job_start(actor=inspector, kind="tests.steps", params={"steps": 1}, enterprise=inspector.jurisdiction.enterprises.first())
    colleague = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=inspector.jurisdiction)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=inspector.jurisdiction)
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=job.enterprise)
    other = UserFactory(role=Role.SUPERVISOR_INSPECTOR,
                        jurisdiction=EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn")).jurisdiction)
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    system = Job.objects.create(kind="matters.remind", label="报送与答复期限提醒", status=JobStatus.SUCCEEDED)
    seen = {u.username: [c.status_code for c in (client_for(u).get(f"/jobs/{j.pk}/") for j in (job, system))]
            for u in (inspector, colleague, reviewer, filer, other, admin)}
    assert seen == {inspector.username: [200, 404], colleague.username: [200, 404], reviewer.username: [404, 404],
                    filer.username: [404, 404], other.username: [404, 404], admin.username: [404, 200]}


def test_the_job_list_pages_with_a_constant_number_of_queries(inspector: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ent = inspector.jurisdiction.enterprises.first()

    def add(n: int) -> None:
        Job.objects.bulk_create([Job(kind="tests.steps", label=f"任务{i}", created_by=inspector, role=inspector.role,
                                     enterprise=ent, created_by_name=inspector.username) for i in range(n)])

    c = client_for(inspector)
    add(10)
    c.get("/jobs/")
    with CaptureQueriesContext(connection) as small:
        c.get("/jobs/")
    add(1000)
    with CaptureQueriesContext(connection) as large:
        r = c.get("/jobs/?page=2")
    page = r.content.decode()
    assert len(small) == len(large)
    assert r.status_code == 200 and "第 2 / 21 页" in page and page.count('<td><a href="/jobs/') == 50
