"""Every API list pages: limit/offset bound the body, the headers give the total; a bad limit is a 400 naming it."""

from __future__ import annotations

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from tests.bulk import make_matters
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/matters", "/api/v1/matters/queue", "/api/v1/enterprises", "/api/v1/notifications", "/api/v1/meetings", "/api/v1/topics", "/api/v1/decision-lists",
         "/api/v1/decisions", "/api/v1/followup/actions", "/api/v1/leaders", "/api/v1/leaders/appointments",
         "/api/v1/leaders/recruitments", "/api/v1/exchange/meetings", "/api/v1/oversight/ledgers",
         "/api/v1/oversight/findings", "/api/v1/oversight/cases", "/api/v1/oversight/events",
         "/api/v1/oversight/inspections"]


def test_every_list_pages() -> None:
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]), ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    make_matters([ent], 8, actor=filer)
    c = Client()
    c.force_login(UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction))
    for url in LISTS:
        r = c.get(url + "?limit=3&offset=0")
        assert r.status_code == 200, (url, r.content[:200])
        assert len(r.json()) <= 3 and r["X-Limit"] == "3" and r["X-Offset"] == "0", url
        assert int(r["X-Total-Count"]) >= len(r.json()), url
        bad = c.get(url + "?limit=0")
        assert bad.status_code == 400 and bad.json()["error"]["path"] == "limit", url
    r = c.get("/api/v1/matters?limit=3&offset=3")
    assert r["X-Total-Count"] == "8" and len(r.json()) == 3 and 'rel="next"' in r["Link"]


def test_openapi_documents_paging() -> None:
    doc = Client().get("/api/openapi.json").json()
    op = doc["paths"]["/api/v1/oversight/findings"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in op["parameters"]}
    assert "X-Total-Count" in op["responses"]["200"]["headers"]
