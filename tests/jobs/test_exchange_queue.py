"""Exchange imports on the task queue: kept in the file storage, imported by the job, safe to run again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages

from soegov.accounts.roles import Role
from soegov.exchange import imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import ReceivedPackage
from soegov.jobs import runner
from soegov.jobs.models import Job, JobStatus
from tests.exchange import samples
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: Any) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}


def zips(ent: Any) -> list[tuple[str, bytes]]:
    return [(rec.zip_name(rec.kind_of(r), DAY, ent.uscc), p.build_zip(r, DAY))
            for r in (samples.item(meetings=("党委会",)), samples.meeting())]


def test_an_import_job_stores_each_package_once_even_when_run_again(settings: Any) -> None:
    ent = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    settings.SOEGOV_JOBS_EAGER = False
    job = imports.import_start(actor=reviewer, files=zips(ent))
    keys = [key for _, key in job.params["files"]]
    assert job.status == JobStatus.QUEUED and all(storages["default"].exists(k) for k in keys)
    # A first worker stored both packages, then died before it could record the job's end.
    assert [r.ok for r in imports.import_packages(actor=reviewer, files=zips(ent))] == [True, True]
    assert ReceivedPackage.objects.count() == 2
    assert runner.execute(job.pk, worker="second") == "succeeded"
    job.refresh_from_db()
    assert ReceivedPackage.objects.count() == 2
    assert [i["message"] for i in job.result["items"]] == ["已接收（本次导入中断前已入库）"] * 2
    assert job.result["message"] == "全部接收：2 个数据包均已入库"


def test_the_import_page_returns_at_once_and_shows_the_result(client: Any, settings: Any) -> None:
    ent = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    client.force_login(reviewer)
    settings.SOEGOV_JOBS_EAGER = False
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post("/exchange/import/", {"files": [SimpleUploadedFile(n, d) for n, d in zips(ent)]})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/exchange/import/?job={job.pk}"
    page = client.get(r["Location"]).content.decode()
    assert 'hx-get="/jobs/' in page and "导入结果" not in page and not ReceivedPackage.objects.exists()
    assert runner.execute(job.pk, worker="w") == "succeeded"
    page = client.get(r["Location"]).content.decode()
    assert page.count("已接收（") == 2 and "全部接收：2 个数据包均已入库" in page
    assert not any(storages["default"].exists(k) for _, k in job.params["files"])
    other = UserFactory(role=Role.SUPERVISOR_REVIEWER)
    client.force_login(other)
    assert client.get(r["Location"]).status_code == 404
