"""Followup pages and API: assign, freeze, re-decide; record and ratify an emergency decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.followup.models import ActionItem, ActionStatus, EmergencyDecision, RatificationStatus
from tests.factories import PDF, UserFactory
from tests.followup.factories import decided_item

pytestmark = pytest.mark.django_db


def test_action_pages_through_freeze_and_completion(client):
    item = decided_item()
    ent = item.meeting.enterprise
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=ent))
    assert "购置设备" in client.get(reverse("followup:action_new")).content.decode()
    bad = client.post(reverse("followup:action_new"), {"agenda_item": item.pk, "title": "签合同", "owner_name": "王经理",
                                                        "due_mode": "date", "due_date": "2020-01-01"})
    assert bad.status_code == 400 and "不能早于会议日期" in bad.content.decode()
    resp = client.post(reverse("followup:action_new"), {"agenda_item": item.pk, "title": "签合同", "owner_name": "王经理",
                                                         "due_mode": "days", "due_working_days": "3"})
    a = ActionItem.objects.get()
    assert resp.status_code == 302 and a.due_working_days == 3
    client.post(reverse("followup:act", args=[a.pk, "change"]), {"cause": "basis", "description": "政策调整",
                                                                   "version": a.version})
    page = client.get(reverse("followup:action", args=[a.pk])).content.decode()
    assert "第二十条" in page and "登记重新决策" in page
    resp = client.post(reverse("followup:act", args=[a.pk, "adjust"]), {"due_date": "2030-01-01"}, follow=True)
    assert "不得擅自调整或者中止" in resp.content.decode()
    a.refresh_from_db()
    assert a.status == ActionStatus.FROZEN
    client.post(reverse("followup:act", args=[a.pk, "complete"]),
                {"note": "已签", "evidence": SimpleUploadedFile("合同.pdf", PDF), "version": a.version})
    a.refresh_from_db()
    assert a.status == ActionStatus.DONE
    assert client.get(reverse("followup:evidence", args=[a.pk])).getvalue() == PDF
    assert "签合同" in client.get(reverse("followup:home")).content.decode()


def test_supervisor_sees_but_cannot_write(client):
    item = decided_item()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=item.meeting.enterprise.jurisdiction))
    assert client.get(reverse("followup:home")).status_code == 200
    assert client.get(reverse("followup:action_new")).status_code == 403


def test_emergency_pages_refuse_circulation_and_ratify(client):
    item = decided_item(held_at=timezone.now() - dt.timedelta(hours=1))
    body = item.meeting.body
    client.force_login(UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise))
    form = {"body": body.pk, "title": "抢修", "content": "先行支付", "reason": "爆管", "decided_by": "张书记",
            "decided_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    refused = client.post(reverse("followup:emergency_new"), {**form, "form": "circulation"})
    assert refused.status_code == 400 and "第十三条" in refused.content.decode()
    resp = client.post(reverse("followup:emergency_new"), {**form, "form": "few"})
    ed = EmergencyDecision.objects.get()
    assert resp.status_code == 302
    stale = client.post(reverse("followup:emergency", args=[ed.pk]), {"agenda_item": item.pk, "version": ed.version + 1})
    page = stale.content.decode()
    assert stale.status_code == 400 and "已被他人更新" in page and f'<option value="{item.pk}" selected>' in page
    client.post(reverse("followup:emergency", args=[ed.pk]), {"agenda_item": item.pk, "version": ed.version})
    ed.refresh_from_db()
    assert ed.status == RatificationStatus.RATIFIED and ed.ratified_by == item


def test_api_actions_and_emergencies(client):
    item = decided_item()
    ent = item.meeting.enterprise
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent))
    resp = client.post("/api/v1/followup/actions", {"agenda_item_id": item.pk, "title": "签合同", "owner_name": "王",
                                                    "due_date": (timezone.localdate() - dt.timedelta(days=0)).isoformat()},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    a = resp.json()
    assert a["overdue"] is False
    ActionItem.objects.filter(pk=a["id"]).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    assert [x["id"] for x in client.get("/api/v1/followup/actions?overdue=true").json()] == [a["id"]]
    r = client.post(f"/api/v1/followup/actions/{a['id']}/changes", {"cause": "nonsense", "description": "x"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["path"] == "cause"
    e = client.post("/api/v1/followup/emergencies", {"body_id": item.meeting.body_id, "title": "t", "content": "c",
                                                     "reason": "r", "form": "huddle", "decided_by": "张",
                                                     "decided_at": timezone.now().isoformat()},
                    content_type="application/json")
    assert e.status_code == 400 and "碰头会" in e.json()["error"]["message"]
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/followup/actions" in paths and "/api/v1/followup/emergencies/{emergency_id}/ratification" in paths


def test_refused_progress_and_adjust_forms_keep_what_was_typed(client):
    item = decided_item()
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=item.meeting.enterprise))
    client.post(reverse("followup:action_new"), {"agenda_item": item.pk, "title": "签合同", "owner_name": "王经理",
                                                  "due_mode": "days", "due_working_days": "3"})
    a = ActionItem.objects.get()
    bad = client.post(reverse("followup:act", args=[a.pk, "report"]), {"text": "已与对方谈妥主要条款", "percent": "150"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "完成比例应为 0–100 的整数" in page
    assert 'value="已与对方谈妥主要条款"' in page and 'value="150"' in page and not a.reports.exists()
    bad = client.post(reverse("followup:act", args=[a.pk, "adjust"]),
                      {"due_date": "2030-02-30", "owner_name": "李副经理", "version": a.version})
    page = bad.content.decode()
    assert bad.status_code == 400 and "完成时限" in page
    assert 'value="李副经理"' in page and 'value="2030-02-30"' in page
    a.refresh_from_db()
    assert a.owner_name == "王经理"
    ok = client.post(reverse("followup:act", args=[a.pk, "report"]), {"text": "已谈妥", "percent": "40"})
    assert ok.status_code == 302 and a.reports.get().percent == 40
