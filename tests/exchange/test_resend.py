"""Issue 13.7: a 0004 package sent again goes as 修改 (the README's promise), and a batch says exactly what was applied
and what was not, with a status to match: all applied 200, some 207 (部分接收), none 400."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.exchange import imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import ReceivedItem, ReceivedPackage
from tests.exchange import samples
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


def _zip(ent, record):
    return rec.zip_name(rec.kind_of(record), DAY, ent.uscc), p.build_zip(record, DAY)


def test_the_same_item_sent_again_as_add_is_applied_as_a_change_and_says_so():
    ent = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    assert imports.import_packages(actor=reviewer, files=[_zip(ent, samples.item())])[0].ok
    again = samples.item()
    again.item_name = "新名称"
    [result] = imports.import_packages(actor=reviewer, files=[_zip(ent, again)])
    assert result.ok and "按修改处理" in result.message and "F01-001" in result.message
    assert list(ReceivedItem.objects.filter(active=True).values_list("name", flat=True)) == ["新名称"]
    assert ReceivedItem.objects.filter(active=False).count() == 1
    assert result.package.oper_type == "edit"  # what was applied, shown as 修改 on the received list
    other = samples.item()
    other.item_id = "another-id"  # another item claiming the same code is still a duplicate
    [dup] = imports.import_packages(actor=reviewer, files=[_zip(ent, other)])
    assert not dup.ok and "已存在" in dup.message


def test_reimporting_a_downloaded_0004_bundle_applies_every_item_as_a_change(client):
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    bundle = client.get(reverse("exchange:items_zip"), {"enterprise": ent.pk}).content
    count = len(zipfile.ZipFile(io.BytesIO(bundle)).namelist())
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    assert all(r.ok for r in imports.import_packages(actor=reviewer, files=[("b.zip", bundle)]))
    results = imports.import_packages(actor=reviewer, files=[("b.zip", bundle)])
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert all("按修改处理" in r.message for r in results)
    assert ReceivedItem.objects.filter(enterprise=ent, active=True).count() == count


def _upload(ent, record, name=None):
    n, data = _zip(ent, record)
    return SimpleUploadedFile(name or n, data, content_type="application/zip")


def test_a_partly_applied_batch_is_207_and_lists_what_was_and_was_not_applied(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    bad = samples.meeting(subjects=[samples.subject(codes=("F09-009",))])
    resp = client.post(reverse("exchange:import"), {"files": [_upload(ent, samples.item()), _upload(ent, bad)]},
                       follow=True)
    page = resp.content.decode()
    assert resp.status_code == 207
    assert "部分接收：已接收 1 个，退回 1 个（共 2 个）" in page and "退回的数据包未入库" in page
    assert ReceivedPackage.objects.count() == 1
    job = client.get(resp.request["PATH_INFO"] + "?" + resp.request["QUERY_STRING"])
    assert job.status_code == 207


def test_an_all_applied_batch_is_200_and_an_all_refused_one_400(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    resp = client.post(reverse("exchange:import"), {"files": [_upload(ent, samples.item())]}, follow=True)
    assert resp.status_code == 200 and "全部接收：1 个数据包均已入库" in resp.content.decode()
    bad = samples.meeting(subjects=[samples.subject(codes=("F09-009",))])
    resp = client.post(reverse("exchange:import"), {"files": [_upload(ent, bad)]}, follow=True)
    assert resp.status_code == 400 and "全部退回：1 个数据包均未入库" in resp.content.decode()


def test_the_api_job_states_the_outcome(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    bad = samples.meeting(subjects=[samples.subject(codes=("F09-009",))])
    job = client.post("/api/v1/exchange/imports", {"files": [_upload(ent, samples.item()), _upload(ent, bad)]}).json()
    result = client.get(f"/api/v1/jobs/{job['id']}").json()["result"]
    assert (result["outcome"], result["received"], result["refused"]) == ("partial", 1, 1)
    assert [i["ok"] for i in result["items"]] == [True, False]


def test_the_database_keeps_one_active_row_per_item():
    from django.db import IntegrityError, transaction

    ent = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    [result] = imports.import_packages(actor=reviewer, files=[_zip(ent, samples.item())])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceivedItem.objects.create(package=result.package, enterprise=ent, sid="id-F01-001", code="F01-009", name="重复")


def test_a_regulation_and_a_meeting_downloaded_again_after_their_import_go_as_changes(client):
    """The walk of issue 13 (README workflow 3): the demo's supervisor already held the 党委会议事规则 and a meeting;
    the secretary's 0005 (and 0006) download went as 新增 again and the import refused it as 已存在."""
    from urllib.parse import unquote

    from soegov.core.rendering import stand_in_pdf
    from soegov.exchange.exports import regulation_create
    from soegov.exchange.models import ReceivedMeeting, ReceivedRegulation
    from soegov.meetings.results import meeting_close
    from tests.meetings.factories import (
        AgendaItemFactory,
        MeetingFactory,
        make_body,
        run_meeting,
        xundian_enterprise,
    )

    ent = xundian_enterprise()
    reg = regulation_create(actor=None, enterprise=ent, name="党委会议事规则", approval_date="2026-01-05",
                            effective_date="2026-01-10", audit_flag=True, rate="1/2",
                            vote_mode="赞成票超过应到会成员人数的1/2", formal_name="党委会议事规则.pdf",
                            formal_data=stand_in_pdf("党委会议事规则"))
    names = ["张书记", "李委员", "王委员"]
    meeting = MeetingFactory(body=make_body(ent, names=names))
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    run_meeting(meeting, present=names, votes={item: dict.fromkeys(names, "for")})
    meeting_close(actor=None, meeting=meeting)
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)

    def download() -> list:
        files = []
        for url in (reverse("exchange:regulation_zip", args=[reg.pk]), reverse("exchange:meeting_zip", args=[meeting.pk])):
            response = client.get(url)
            files.append((unquote(response["Content-Disposition"].split("''")[-1]), response.content))
        return files

    bundle = client.get(reverse("exchange:items_zip"), {"enterprise": ent.pk}).content  # the decision list first
    assert all(r.ok for r in imports.import_packages(actor=reviewer, files=[("b.zip", bundle)]))
    first = imports.import_packages(actor=reviewer, files=download())
    assert all(r.ok for r in first), [r.message for r in first if not r.ok]
    assert [r.package.oper_type for r in first] == ["add", "add"]
    again = imports.import_packages(actor=reviewer, files=download())
    assert all(r.ok for r in again), [r.message for r in again if not r.ok]
    assert [r.package.oper_type for r in again] == ["edit", "edit"]
    assert ReceivedRegulation.objects.filter(enterprise=ent, active=True).count() == 1
    assert ReceivedMeeting.objects.filter(enterprise=ent, active=True).count() == 1
