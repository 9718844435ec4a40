"""A soegov meeting exported as 0006 (with the 0004 items) re-imports cleanly on the supervisor side."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.exchange import anomalies, exports, imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import ReceivedMeeting, SubjectAnomaly
from soegov.exchange.schema import schema_errors
from tests.factories import UserFactory
from tests.followup.factories import NAMES, decided_item

pytestmark = pytest.mark.django_db


def test_meeting_export_is_valid_and_round_trips(client):
    item = decided_item()
    meeting = item.meeting
    ent = meeting.enterprise
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    resp = client.get(reverse("exchange:meeting_zip", args=[meeting.pk]))
    assert resp.status_code == 200
    day = timezone.localtime(meeting.held_at)
    name = f"{ent.uscc}_0006_1000_{day:%Y%m%d}.zip"
    assert name in resp["Content-Disposition"]
    pkg = p.read_zip(resp.content, rec.MEETING, name=name)
    assert schema_errors(rec.MEETING, pkg.xml) == []
    names = set(zipfile.ZipFile(io.BytesIO(resp.content)).namelist())
    assert {"会议通知/会议通知.pdf", "会议纪要/会议纪要.pdf", f"{item.pk}/议题材料/方案.pdf"} <= names
    record = pkg.record
    assert record.meeting_type_name == "党委会"
    assert [a.attendee_name for a in record.attendees if a.attend_flag] == NAMES
    assert sorted(record.subjects[0].deliberations) == sorted((n, "同意") for n in NAMES)
    assert record.subjects[0].pass_flag == "通过"
    assert client.get(reverse("exchange:exports")).content.decode().count("下载 0006 数据包") == 1
    # Re-import as the supervisor, together with the enterprise's 0004 items.
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    files = [(name, resp.content)]
    for i, it in enumerate(exports.decision_items(ent)):
        files.append((rec.zip_name(rec.ITEM, day.date(), ent.uscc).replace(".zip", f"_{i}.zip"), p.build_zip(it, day.date())))
    results = imports.import_packages(actor=reviewer, files=files)
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    stored = ReceivedMeeting.objects.get(enterprise=ent)
    back = anomalies.as_record(stored)
    assert back.attendees == record.attendees
    assert [(s.subject_name, s.deliberations) for s in back.subjects] == [
        (s.subject_name, s.deliberations) for s in record.subjects]
    # The party committee studied a two-body item and nothing later refers to it: the pre-study anomaly shows.
    assert 3 in set(SubjectAnomaly.objects.values_list("type", flat=True))
    json_form = client.get(f"/api/v1/exchange/export/meetings/{meeting.pk}.json").json()
    assert json_form["business_type"] == "0006" and json_form["subjects"][0]["pass_flag"] == "通过"


def test_only_minutes_readers_export_a_meeting(client):
    from soegov.audit.models import AuditEntry

    item = decided_item()
    meeting = item.meeting
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=meeting.enterprise))
    assert client.get(reverse("exchange:meeting_zip", args=[meeting.pk])).status_code == 403
    assert client.get(f"/api/v1/exchange/export/meetings/{meeting.pk}.zip").status_code == 403
    assert "仅成员、秘书可导出" in client.get(reverse("exchange:exports")).content.decode()
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(meeting.pk)).exists()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=meeting.enterprise.jurisdiction))
    assert client.get(f"/api/v1/exchange/export/meetings/{meeting.pk}.zip").status_code == 200


def test_a_topic_goes_under_the_list_item_its_title_names_not_the_first_of_its_category():
    """Issue 13 walk: the demo's 10th meeting reported 任免工程管理部经理 as 党管人才在企业的实现形式 and the sewer
    project as 年度投资计划…: the first item of each category."""
    from types import SimpleNamespace

    from soegov.exchange.meeting_export import item_code_for
    from soegov.meetings.decision_lists import route_for
    from tests.meetings.factories import xundian_enterprise

    ent = xundian_enterprise()
    items = {i.item_code: i for i in exports.decision_items(ent)}
    for category, title, named in (("personnel", "任免工程管理部经理", "任免"), ("major_project", "城北片区污水管网改造项目", "单项投资项目")):
        topic = SimpleNamespace(category=category, title=title, description="", route=route_for(ent, category))
        code = item_code_for(topic, list(items.values()))
        assert code is not None and named in items[code].item_name, (title, code, items[code].item_name if code else None)
