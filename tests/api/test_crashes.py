"""The three crashes schemathesis found (issue 14 item 7): each request answers 4xx with the error JSON, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.accounts.services import token_create
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer() -> Any:
    j = JurisdictionFactory(code="xd", policy_packs=["xundian-2020"])
    e = EnterpriseFactory(jurisdiction=j)
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=j)
    user.enterprise_in_scope = e
    return user


def _get(user: Any, url: str) -> Any:
    return Client(raise_request_exception=False).get(
        url, HTTP_AUTHORIZATION=f"Bearer {token_create(actor=user, name='t')[1]}")


@pytest.mark.parametrize("year", ["-1", "0", "99999", "99999999999999999999"])
def test_matters_year_out_of_range(reviewer: Any, year: str) -> None:
    resp = _get(reviewer, f"/api/v1/matters?year={year}")
    assert resp.status_code == 400, resp.content
    assert resp.json()["error"]["path"] == "year"
    page = Client(raise_request_exception=False)
    page.force_login(reviewer)
    assert page.get(f"/matters/?year={year}").status_code in (200, 400)


@pytest.mark.parametrize("year", ["0", "1", "-5", "100000"])
def test_compliance_year_out_of_range(reviewer: Any, year: str) -> None:
    resp = _get(reviewer, f"/api/v1/oversight/compliance/{reviewer.enterprise_in_scope.pk}/{year}")
    assert resp.status_code == 400, resp.content
    error = resp.json()["error"]
    assert error["path"] == "year" and error["message"] in ("参数 year 无效：应不小于 2000", "参数 year 无效：应不大于 2100")


@pytest.mark.parametrize("value", ["78368767898419920896", "-1", "9223372036854775808"])
def test_exchange_meetings_enterprise_id_too_large(reviewer: Any, value: str) -> None:
    resp = _get(reviewer, f"/api/v1/exchange/meetings?enterprise_id={value}")
    assert resp.status_code in (400, 404), resp.content
    assert "error" in resp.json()


def test_unparseable_body_is_the_error_json(reviewer: Any) -> None:
    c = Client(raise_request_exception=False)
    resp = c.post("/api/v1/enterprises", data=b"\xff\xfe{", content_type="application/json",
                  HTTP_AUTHORIZATION=f"Bearer {token_create(actor=reviewer, name='t', scope='write')[1]}")
    assert resp.status_code == 400 and resp.json()["error"]["code"] in ("invalid_json", "invalid_input")


def test_ledger_export_year_out_of_range(reviewer: Any) -> None:
    # Found by the bounded schemathesis run: year -171 crashed the .xlsx export.
    resp = _get(reviewer, "/api/v1/matters/ledger.xlsx?year=-171&enterprise_id=261769519595562161143808")
    assert resp.status_code == 400 and resp.json()["error"]["path"] in ("year", "enterprise", "enterprise_id")
