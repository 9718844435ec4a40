"""The REST API takes a matter from draft to approval and implementation; errors are 400 with Chinese messages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from tests.matters.conftest import EXE, PDF

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_draft_to_approval_by_api(filer: Any, reviewer: Any, enterprise: Any) -> None:
    ent, rev = _client(filer), _client(reviewer)
    r = ent.post("/api/v1/matters", {"enterprise_id": enterprise.pk, "type": "donation", "title": "向伊宁市慈善总会捐赠",
                                     "occurred_on": "2026-03-02", "date_confirmed": True, "amount": "100000"}, content_type="application/json")
    assert r.status_code == 200, r.content
    m = r.json()
    assert (m["route"], m["authority"], m["citation"]["article"], m["citation"]["item"]) == ("approval", "sasac", 13, 17)
    # One name or the other, list and detail alike: the input's `type` and the record's `matter_type` are both given.
    listed = ent.get("/api/v1/matters").json()[0]
    detail = ent.get(f"/api/v1/matters/{m['id']}").json()
    for shown in (m, listed, detail):
        assert (shown["type"], shown["matter_type"]) == ("donation", "donation")
    assert m["missing_attachments"] == ["request_letter", "internal_resolution", "legal_opinion"]
    assert m["verdicts"][0]["policy_version"] == "2024.1"
    mid = m["id"]
    r = ent.post(f"/api/v1/matters/{mid}/submit", {"version": m["version"]}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "该事项须先经企业集体决策（伊宁办法第十八条第六项），请先记录决策"
    r = ent.post(f"/api/v1/matters/{mid}/decision", {"version": m["version"], "body": "董事会",
                                                     "decided_at": "2026-03-02T10:00:00+08:00", "summary": "同意捐赠"},
                 content_type="application/json")
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    for code in m["missing_attachments"]:
        r = ent.post(f"/api/v1/matters/{mid}/attachments", {"kind": code, "file": io.BytesIO(PDF + code.encode())})
        assert r.status_code == 200, r.content
        version += 1
    r = ent.post(f"/api/v1/matters/{mid}/attachments", {"kind": "other", "file": _named(EXE, "说明.pdf")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "executable"
    r = ent.post(f"/api/v1/matters/{mid}/submit", {"version": version}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["review_due_at"] is None  # art. 21: counted from the supervisor's party committee
    queue = rev.get("/api/v1/matters/queue").json()
    assert [q["id"] for q in queue] == [mid]
    v = queue[0]["version"]
    assert rev.post(f"/api/v1/matters/{mid}/review", {"version": v}, content_type="application/json").status_code == 200
    r = rev.post(f"/api/v1/matters/{mid}/committee", {"version": v + 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["review_due_at"].endswith("23:59:59+08:00")
    r = rev.post(f"/api/v1/matters/{mid}/decide", {"version": v, "outcome": "approve"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "stale_version"
    r = rev.post(f"/api/v1/matters/{mid}/decide", {"version": v + 2, "outcome": "approve", "comment": "同意",
                                                   "answer_number": "伊国资复〔2026〕8号"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    d = ent.get(f"/api/v1/matters/{mid}").json()
    assert d["documents"] == ["request", "reply"]
    r = ent.get(f"/api/v1/matters/{mid}/documents/reply.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = ent.post(f"/api/v1/matters/{mid}/implement", {"version": d["version"]}, content_type="application/json")
    assert r.json()["status"] == "implemented"
    assert [e["action"] for e in ent.get(f"/api/v1/matters/{mid}").json()["events"]][:4] == ["implement", "decide", "record_committee", "start_review"]


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_scoped_and_documented(filer: Any, enterprise: Any) -> None:
    from tests.factories import EnterpriseFactory, UserFactory
    from tests.matters.conftest import make_matter

    m = make_matter(filer, enterprise)
    stranger = UserFactory(role="enterprise_filer", enterprise=EnterpriseFactory(jurisdiction=enterprise.jurisdiction))
    assert _client(stranger).get(f"/api/v1/matters/{m.pk}").status_code == 404
    assert _client(stranger).get("/api/v1/matters").json() == []
    spec = Client().get("/api/openapi.json").json()
    for path in ("/api/v1/matters", "/api/v1/matters/{matter_id}/submit", "/api/v1/matters/{matter_id}/decide",
                 "/api/v1/matters/{matter_id}/forward", "/api/v1/matters/{matter_id}/city-answer",
                 "/api/v1/matters/{matter_id}/attachments", "/api/v1/matters/queue"):
        assert path in spec["paths"]


def test_invalid_input_is_400_not_500(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/api/v1/matters", {"enterprise_id": enterprise.pk, "type": "guarantee", "title": "担保",
                                                "occurred_on": "2026-03-02", "date_confirmed": True, "amount": "1"}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["path"] == "attributes.counterparty_equity_related"
    r = _client(filer).post("/api/v1/matters", {"enterprise_id": enterprise.pk, "type": "donation", "title": "x",
                                                "occurred_on": "03/02", "amount": "1"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["message"] == "决策或发生日期“03/02”应为 YYYY-MM-DD 格式的日期"


def test_city_item_forwarded_and_answered_by_api(filer: Any, reviewer: Any, enterprise: Any) -> None:
    from tests.matters.conftest import APPROVAL_CITY, submitted

    m = submitted(filer, enterprise, APPROVAL_CITY)
    rev = _client(reviewer)
    v = m.version
    assert rev.post(f"/api/v1/matters/{m.pk}/review", {"version": v}, content_type="application/json").status_code == 200
    r = rev.post(f"/api/v1/matters/{m.pk}/decide", {"version": v + 1, "outcome": "approve"}, content_type="application/json")
    assert r.json()["error"]["message"] == "该事项须由市政府批准：请审核后转报市政府，并登记市政府的批复（伊宁办法第十一条）"
    r = rev.post(f"/api/v1/matters/{m.pk}/forward", {"version": v + 1, "comment": "同意转报"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "committee_missing"  # arts. 11, 21: the committee first
    r = rev.post(f"/api/v1/matters/{m.pk}/committee", {"version": v + 1, "passed_at": "2026-03-09T15:00"},
                 content_type="application/json")
    assert r.json()["committee_passed_at"].startswith("2026-03-09T15:00")
    r = rev.post(f"/api/v1/matters/{m.pk}/forward", {"version": v + 2, "comment": "同意转报"}, content_type="application/json")
    assert r.json()["status"] == "forwarded"
    r = rev.post(f"/api/v1/matters/{m.pk}/city-answer", {"version": v + 3, "approved": True,
                                                         "answer_number": "伊市政函〔2026〕12号"}, content_type="application/json")
    assert r.json()["status"] == "approved" and r.json()["answer_number"] == "伊市政函〔2026〕12号"
    d = _client(filer).get(f"/api/v1/matters/{m.pk}/documents/reply.docx")
    from docx import Document

    assert any("经审核并报市人民政府同意" in p.text for p in Document(io.BytesIO(d.content)).paragraphs)


def test_submission_notifies_the_reviewers(filer: Any, reviewer: Any, enterprise: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    from soegov.matters.models import Notification
    from tests.matters.conftest import submitted

    with django_capture_on_commit_callbacks(execute=True):
        m = submitted(filer, enterprise)
    assert list(Notification.objects.filter(user=reviewer).values_list("text", flat=True)) == [
        f"{enterprise.name}报送了“{m.title}”（审核批准），请审核"]


def test_notifications_and_calendar_by_api(filer: Any, enterprise: Any) -> None:
    from soegov.accounts.roles import Role
    from tests.factories import UserFactory

    assert _client(filer).get("/api/v1/notifications").json() == []
    assert _client(filer).get("/api/v1/calendar/years").status_code == 403
    admin = _client(UserFactory(role=Role.SYSTEM_ADMIN))
    f = io.BytesIO("year: 2032\nsource: 国办发明电〔2031〕1号\nholidays:\n  2032-01-01: 元旦\nworkdays: {}\n".encode())
    f.name = "2032.yaml"
    r = admin.post("/api/v1/calendar/import", {"file": f})
    assert r.json() == {"year": 2032, "document": "国办发明电〔2031〕1号"}
    assert {"year": 2032, "source": "imported"}.items() <= admin.get("/api/v1/calendar/years").json()[-1].items()
    bad = io.BytesIO(b"year: 2033\n")
    bad.name = "2033.yaml"
    r = admin.post("/api/v1/calendar/import", {"file": bad})
    assert r.status_code == 400 and r.json()["error"]["message"]
