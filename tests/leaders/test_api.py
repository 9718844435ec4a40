"""The leaders API: in the OpenAPI document, the full route by JSON, pay refused to the unentitled."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from soegov.audit.models import AuditEntry
from tests.leaders.factories import PDF, TARGETS, leader, personnel_item, reviewer, tree

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_openapi_lists_the_endpoints() -> None:
    t = tree()
    doc = _client(reviewer(t["j"])).get("/api/openapi.json").json()
    for path in ("/api/v1/leaders", "/api/v1/leaders/appointments/{appointment_id}/steps",
                 "/api/v1/leaders/leaders/{leader_id}/pay/{year}", "/api/v1/leaders/pay/{pay_id}/deductions",
                 "/api/v1/leaders/contracts/{contract_id}/score", "/api/v1/leaders/pay-ledger.xlsx"):
        assert path in doc["paths"], path


def test_full_route_contract_and_pay_by_api() -> None:
    t = tree()
    rev = reviewer(t["j"])
    c = _client(rev)
    route = c.get(f"/api/v1/leaders/enterprises/{t['l2'].pk}/route").json()
    assert route["id"] == "parent_group"

    def upload() -> int:
        r = c.post("/api/v1/leaders/documents", {"enterprise_id": t["l2"].pk, "title": "文件",
                                                 "file": io.BytesIO(PDF)})
        assert r.status_code == 200, r.content
        return int(r.json()["id"])

    a = c.post("/api/v1/leaders/appointments", {"enterprise_id": t["l2"].pk, "person_name": "钱七",
                                                "post": "general_manager", "term_start": "2025-04-01"},
               content_type="application/json").json()
    for _ in route["steps"][:-1]:
        a = c.post(f"/api/v1/leaders/appointments/{a['id']}/steps", {"version": a["version"], "document_id": upload(),
                   "decided_on": "2025-03-01"}, content_type="application/json").json()
    hands = personnel_item(t["l2"], voting_method="show_of_hands")
    r = c.post(f"/api/v1/leaders/appointments/{a['id']}/steps", {"version": a["version"], "document_id": upload(),
               "decided_on": "2025-03-02", "agenda_item_id": hands.pk}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "personnel_not_ballot"
    ballot = personnel_item(t["l1"])
    a = c.post(f"/api/v1/leaders/appointments/{a['id']}/steps", {"version": a["version"], "document_id": upload(),
               "decided_on": "2025-03-02", "agenda_item_id": ballot.pk}, content_type="application/json").json()
    assert a["status"] == "completed" and a["leader_id"]

    bad = [{**TARGETS[0], "weight": "60"}, TARGETS[1], TARGETS[2]]
    r = c.post(f"/api/v1/leaders/leaders/{a['leader_id']}/contracts", {"kind": "annual", "year": 2025, "targets": bad,
               "signed_on": "2025-04-02"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["path"] == "targets"
    ct = c.post(f"/api/v1/leaders/leaders/{a['leader_id']}/contracts", {"kind": "annual", "year": 2025,
                "targets": TARGETS, "signed_on": "2025-04-02"}, content_type="application/json").json()
    ct = c.post(f"/api/v1/leaders/contracts/{ct['id']}/score", {"version": ct["version"], "results": ["1000", "5000", "60"],
                "scored_on": "2026-01-15"}, content_type="application/json").json()
    assert (ct["score"], ct["grade"]) == ("100.00", "B")

    pay = c.put(f"/api/v1/leaders/leaders/{a['leader_id']}/pay/2025", {"base_pay": "300000", "performance_pay": "200000",
                "decision_number": "伊国资发〔2026〕3号", "decision_id": upload()}, content_type="application/json")
    assert pay.status_code == 200 and pay.json()["total_net"] == "500000.00"

    other = _client(reviewer(t["j"], entitled=False))
    r = other.get(f"/api/v1/leaders/leaders/{a['leader_id']}/pay")
    assert r.status_code == 403
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(a["leader_id"])).exists()
    wb = load_workbook(io.BytesIO(other.get("/api/v1/leaders/pay-ledger.xlsx?year=2025").content))
    assert list(wb.active.iter_rows(values_only=True))[1][4] == "***"


def test_other_enterprise_user_refused() -> None:
    from soegov.accounts.roles import Role
    from tests.factories import EnterpriseFactory, UserFactory

    t = tree()
    gm = leader(t["l3"], "孙八")
    sibling = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=EnterpriseFactory(jurisdiction=t["j"], name="另一集团"))
    r = _client(sibling).get(f"/api/v1/leaders/leaders/{gm.pk}/pay")
    assert r.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(gm.pk)).exists()
