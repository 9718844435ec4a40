"""Schemathesis over the whole OpenAPI of /api (issue 14 item 7): no 5xx, every response as documented.

Bounded (a few examples per operation, every operation), with a scoped read-write token of a supervisor's
reviewer; marked `schemathesis` so scripts/test runs it once, on SQLite.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from soegov.accounts.roles import Role
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]
EXAMPLES = 6


@pytest.fixture
def auth_headers(db: Any, settings: Any) -> dict[str, str]:
    from soegov.accounts.services import token_create

    settings.SOEGOV_PUBLIC_RATE_PER_MINUTE = 0
    settings.SOEGOV_TOKEN_FAILURES_PER_MINUTE = 0

    j = JurisdictionFactory(code="xd", policy_packs=["xundian-2020"])
    EnterpriseFactory(jurisdiction=j)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=j)
    return {"Authorization": f"Bearer {token_create(actor=reviewer, name='schemathesis', scope='write')[1]}"}


def _schema() -> Any:
    from soegov.api.api import api
    from soegov.web.wsgi import application

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
    loaded.app = application
    return loaded


schema = _schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms(case: Any, auth_headers: dict[str, str]) -> None:
    # Every default check (no 5xx, status documented, body as its schema, …) but "a schema-valid request is
    # accepted": random ids and dates are valid by the schema and rightly refused by the rules (404, 400).
    case.call_and_validate(headers=auth_headers, excluded_checks=[schemathesis.checks.positive_data_acceptance])
