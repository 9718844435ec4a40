"""The job progress partial in a real browser: htmx polls it, the bar moves, then the result appears."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.jobs.models import Job, JobStatus
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_then_result_without_reloading(browser: Any, live_server: Any, tmp_path: Path) -> None:
    # Screenshots for a person to look at: SOEGOV_SCREENSHOTS=dir keeps them.
    shots = Path(os.environ.get("SOEGOV_SCREENSHOTS") or tmp_path)
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd"), name="寻甸县城乡建设投资开发有限公司")
    user = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction, username="xd_inspector")
    job = Job.objects.create(kind="tests.steps", label="台账检查：2026年支付台账.csv", status=JobStatus.RUNNING,
                             done=420_000, total=1_000_000, stage="扫描台账（DuckDB）", created_by=user,
                             created_by_name=user.username, role=user.role, enterprise=ent, attempts=1,
                             heartbeat_at=timezone.now(), started_at=timezone.now())
    page = login(browser, live_server.url, user.username)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    box = page.locator(f"#job-{job.pk}")
    assert box.get_attribute("data-status") == "running"
    assert "42%（420000 / 1000000）" in box.inner_text() and "扫描台账（DuckDB）" in box.inner_text()
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "job-running.png"), full_page=True)
    Job.objects.filter(pk=job.pk).update(done=800_000, stage="保存发现")
    # A locator wait, not a string evaluated in the page: the pages' CSP forbids eval.
    expect(box).to_contain_text("保存发现", timeout=10_000)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=1_000_000, finished_at=timezone.now(),
                                         result={"message": "检查完成：1000000 行，发现 37 项", "url": "/jobs/"})
    page.wait_for_selector(f"#job-{job.pk}[data-status=succeeded]", timeout=10_000)
    assert "检查完成：1000000 行，发现 37 项" in page.locator(f"#job-{job.pk}").inner_text()
    page.screenshot(path=str(shots / "job-done.png"), full_page=True)
    page.goto(f"{live_server.url}/jobs/")
    assert "检查完成：1000000 行，发现 37 项" in page.locator("#jobs").inner_text()
    page.screenshot(path=str(shots / "job-list.png"), full_page=True)
