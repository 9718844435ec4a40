"""Exchange pages: import as supervisor, drill down to per-person results; regulations and downloads."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import ReceivedMeeting, Regulation
from soegov.exchange.schema import schema_errors
from tests.exchange import samples
from tests.factories import PDF, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


def _upload(ent, record):
    return SimpleUploadedFile(rec.zip_name(rec.kind_of(record), DAY, ent.uscc), p.build_zip(record, DAY),
                              content_type="application/zip")


def test_supervisor_imports_and_drills_down(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    resp = client.post(reverse("exchange:import"), {"files": [
        _upload(ent, samples.meeting(subjects=[samples.subject(counsel=False)])), _upload(ent, samples.item())]},
        follow=True)
    assert resp.status_code == 200
    assert resp.content.decode().count("已接收") >= 2
    page = client.get(reverse("exchange:received")).content.decode()
    meeting = ReceivedMeeting.objects.get()
    assert meeting.name in page and "项异常" in page
    # The operation and the business type read in words, not the package's codes.
    assert re.search(r'<td [^>]*class="oper">新增</td>', page) and not re.search(r'class="oper">add</td>', page)
    assert "会议决策（0006）" in page and "事项清单（0004）" in page
    detail = client.get(reverse("exchange:meeting", args=[meeting.pk])).content.decode()
    assert "未经合法合规审查" in detail and "钱委员" in detail and "同意" in detail
    from soegov.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="exchange.view_meeting", object_id=str(meeting.pk)).exists()


def test_bad_package_shows_the_reason(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    bad = SimpleUploadedFile("0006_1000_20261120.zip", b"junk")
    resp = client.post(reverse("exchange:import"), {"files": [bad]}, follow=True)
    assert resp.status_code == 400 and "统一社会信用代码" in resp.content.decode()


def test_enterprise_users_cannot_see_received_data(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent))
    assert client.get(reverse("exchange:received")).status_code == 403
    assert client.get(reverse("exchange:import")).status_code == 403


def test_enterprise_records_rules_of_procedure_and_downloads_valid_packages(client):
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    form = {"enterprise": ent.pk, "name": "党委会议事规则", "type_name": "议事规则", "approval_date": "2026-01-05",
            "effective_date": "2026-01-10", "rate": "2/3", "audit_flag": "是",
            "vote_mode": "赞成票超过应到会成员人数的1/2"}
    missing = client.post(reverse("exchange:regulations"), form)
    assert missing.status_code == 400 and "正式文件" in missing.content.decode()
    resp = client.post(reverse("exchange:regulations"), {**form, "formal_file": SimpleUploadedFile("规则.pdf", PDF)})
    assert resp.status_code == 302
    reg = Regulation.objects.get()
    z = client.get(reverse("exchange:regulation_zip", args=[reg.pk]))
    assert z["Content-Disposition"].endswith(f"{ent.uscc}_0005_1000_" + f"{timezone.localdate():%Y%m%d}.zip")
    pkg = p.read_zip(z.content, rec.REGULATION)
    assert pkg.record.rate == "2/3" and list(pkg.record.formal_files.values()) == [PDF]
    bundle = zipfile.ZipFile(io.BytesIO(client.get(reverse("exchange:items_zip"), {"enterprise": ent.pk}).content))
    names = bundle.namelist()
    assert names
    for n in names:
        item = p.read_zip(bundle.read(n), rec.ITEM)
        assert schema_errors(rec.ITEM, item.xml) == []
        assert item.record.meetings[0] == "党委会"


def test_api_import_list_and_detail(client):
    ent = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction))
    resp = client.post("/api/v1/exchange/imports", {"files": [_upload(ent, samples.item(meetings=("党委会",))),
                                                             _upload(ent, samples.meeting())]})
    assert resp.status_code == 202, resp.content
    job = client.get(f"/api/v1/jobs/{resp.json()['id']}").json()
    assert job["status"] == "succeeded" and [r["ok"] for r in job["result"]["items"]] == [True, True]
    listed = client.get("/api/v1/exchange/meetings").json()
    assert listed[0]["uscc"] == ent.uscc
    detail = client.get(f"/api/v1/exchange/meetings/{listed[0]['id']}").json()
    assert detail["subjects"][0]["deliberations"][0] == ["张书记", "同意"]
    bad = client.post("/api/v1/exchange/imports", {"files": [SimpleUploadedFile("x.zip", b"junk")]}).json()
    [refused] = client.get(f"/api/v1/jobs/{bad['id']}").json()["result"]["items"]
    assert refused["ok"] is False and "文件名" in refused["message"]
    assert "/api/v1/exchange/imports" in client.get("/api/openapi.json").json()["paths"]


def test_the_0004_bundle_imports_whole(client):
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    bundle = client.get(reverse("exchange:items_zip"), {"enterprise": ent.pk})
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert len(set(names)) == len(names) > 1
    from soegov.exchange.imports import import_packages
    from soegov.exchange.models import ReceivedItem

    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    results = import_packages(actor=reviewer, files=[("bundle.zip", bundle.content)])
    assert len(results) == len(names) and all(r.ok for r in results)
    assert ReceivedItem.objects.filter(enterprise=ent, active=True).count() == len(names)


def test_0004_follows_the_enterprises_own_decision_list():
    from soegov.exchange.exports import decision_items
    from soegov.meetings import decision_lists

    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    before = decision_items(ent)
    assert before and before[0].meetings == ["党委会", "董事会"]
    dlist = decision_lists.decision_list_create(actor=None, enterprise=ent)
    rule = dlist.entries[0]["rule"]
    decision_lists.decision_list_entry_edit(actor=None, dlist=dlist, rule=rule, bodies=["party_committee", "board", "gm_office"])
    after = decision_items(ent)
    assert after[0].meetings == ["党委会", "董事会", "总经理办公会"]


def test_a_second_0004_export_sends_edits_and_removals_and_reimports_cleanly(client):
    from soegov.exchange.imports import import_packages
    from soegov.exchange.models import ReceivedItem
    from soegov.meetings import decision_lists
    from soegov.meetings.decision_lists import current_list

    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    secretary = UserFactory(role=Role.SECRETARY, enterprise=ent)
    client.force_login(secretary)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)

    def export():
        data = client.get(reverse("exchange:items_zip"), {"enterprise": ent.pk}).content
        zf = zipfile.ZipFile(io.BytesIO(data))
        ops = [p.read_zip(zf.read(n), rec.ITEM, name=n).record.oper_type for n in zf.namelist()]
        return data, ops

    first, ops = export()
    assert set(ops) == {"add"}
    assert all(r.ok for r in import_packages(actor=reviewer, files=[("b1.zip", first)]))
    count = ReceivedItem.objects.filter(enterprise=ent, active=True).count()
    second, ops = export()
    assert set(ops) == {"edit"} and len(ops) == count
    results = import_packages(actor=reviewer, files=[("b2.zip", second)])
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert ReceivedItem.objects.filter(enterprise=ent, active=True).count() == count
    # An entry leaves the list (its bodies emptied): the next export deletes it on the supervisor's side.
    dlist = decision_lists.decision_list_create(actor=secretary, enterprise=ent)
    entry = next(e for e in dlist.entries if e.get("decision", "collective_decision") == "collective_decision")
    dlist.entries = [e for e in dlist.entries if e is not entry and e.get("rule") != entry.get("rule")]
    dlist.save()
    assert current_list(ent).pk == dlist.pk
    third, ops = export()
    assert ops.count("del") == 1
    results = import_packages(actor=reviewer, files=[("b3.zip", third)])
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert ReceivedItem.objects.filter(enterprise=ent, active=True).count() == count - 1
