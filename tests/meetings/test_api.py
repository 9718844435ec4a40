"""The REST endpoints drive a meeting; errors are 400/403 with Chinese messages; they are in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.meetings.factories import (
    MeetingFactory,
    logged_in,
    make_body,
    member,
    prepared_topic,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db
J = "application/json"


def test_meeting_by_api() -> None:
    body = make_body(xundian_enterprise(), kind="board", names=["甲", "乙", "丙", "丁"])
    secretary = UserFactory(role="secretary", enterprise=body.enterprise)
    c = logged_in(secretary)
    held = (timezone.localtime() + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    r = c.post("/api/v1/meetings", {"body_id": body.pk, "title": "董事会", "held_at": held}, content_type=J)
    assert r.status_code == 200, r.content
    mid = r.json()["id"]
    topic = prepared_topic(body.enterprise, body_kind="board")
    unready = c.post("/api/v1/topics", {"title": "未准备", "category": "major_decision"}, content_type=J).json()
    r = c.post(f"/api/v1/meetings/{mid}/items", {"topic_id": unready["id"]}, content_type=J)
    assert r.status_code == 400 and "会前准备" in r.json()["error"]["message"]
    item = c.post(f"/api/v1/meetings/{mid}/items", {"topic_id": topic.pk}, content_type=J).json()
    for action in ("notice", "distribute", "open"):
        assert c.post(f"/api/v1/meetings/{mid}/{action}", {}, content_type=J).status_code == 200
    for name in ["甲", "乙", "丙", "丁"]:
        c.put(f"/api/v1/meetings/{mid}/attendance/{member(body, name).pk}", {"present": True}, content_type=J)
    for name, choice in [("乙", "for"), ("丙", "against"), ("丁", "abstain"), ("甲", "for")]:
        r = c.post(f"/api/v1/meetings/{mid}/items/{item['id']}/votes", {"member_id": member(body, name).pk,
                                                                         "choice": choice}, content_type=J)
        assert r.status_code == 200, r.content
    r = c.post(f"/api/v1/meetings/{mid}/items/{item['id']}/votes", {"member_id": member(body, "甲").pk,
                                                                     "choice": "yes"}, content_type=J)
    assert r.status_code == 400 and "表决意见无效" in r.json()["error"]["message"]
    r = c.post(f"/api/v1/meetings/{mid}/results", {}, content_type=J)
    detail = r.json()
    # Board: 2 of 4 is not more than half (Company Law art. 73).
    assert detail["items"][0]["passed"] is False and detail["items"][0]["result"]["required"] == 3
    assert detail["positions"][str(item["id"])][2]["vote"] == "against"
    check = c.get(f"/api/v1/meetings/{mid}/check").json()
    assert check["policy"] == "xundian-2020" and check["request"]["body"]["kind"] == "board"
    filer = UserFactory(role="enterprise_filer", enterprise=body.enterprise)
    r = logged_in(filer).get(f"/api/v1/meetings/{mid}/check")
    assert r.status_code == 403 and AuditEntry.objects.filter(action="meeting.minutes_denied", actor=filer).exists()
    assert logged_in(filer).get(f"/api/v1/meetings/{mid}").json()["positions"] == {}


def test_meetings_are_in_the_openapi_document() -> None:
    meeting = MeetingFactory()
    c = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise))
    paths = c.get("/api/openapi.json").json()["paths"]
    for p in ["/api/v1/meetings", "/api/v1/meetings/{meeting_id}/items/{item_id}/votes", "/api/v1/topics",
              "/api/v1/decision-lists/{list_id}/file", "/api/v1/decisions"]:
        assert p in paths
