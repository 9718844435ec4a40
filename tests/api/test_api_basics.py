"""API: OpenAPI document, docs page served locally, authentication, error JSON, rate limiting."""

import pytest

from soegov.accounts.roles import Role
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/openapi.json").json()
    for path in ["/api/v1/classify", "/api/v1/meeting-check", "/api/v1/deadline", "/api/v1/enterprises",
                 "/api/v1/enterprises/{enterprise_id}/bodies"]:
        assert path in doc["paths"], path
    assert doc["paths"]["/api/v1/classify"]["post"].get("security") in (None, [], [{}])
    assert "ErrorOut" in doc["components"]["schemas"]


def test_docs_page_uses_local_assets(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_registry_needs_auth(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/api/v1/enterprises")
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthorized"


def test_session_auth_and_bodies(client) -> None:  # type: ignore[no-untyped-def]
    e = EnterpriseFactory(name="甲集团")
    from soegov.enterprises import services

    body = services.body_create(actor=None, enterprise=e, kind="board")
    services.member_add(actor=None, body=body, name="王某", role="chair", is_principal=True)
    client.force_login(UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=e.jurisdiction))
    ents = client.get("/api/v1/enterprises", {"q": "甲"}).json()
    assert ents[0]["level"] == 1 and ents[0]["ownership"] == "sole"
    bodies = client.get(f"/api/v1/enterprises/{e.pk}/bodies").json()
    assert bodies[0]["members"][0] == {"id": body.members.get().pk, "name": "王某", "role": "chair",
                                       "is_principal": True, "voting": True, "term_start": None, "term_end": None}


def test_bad_path_parameter_is_400_with_error_json(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    resp = client.get("/api/v1/enterprises/abc")
    assert resp.status_code == 400
    assert resp.json()["error"]["path"] == "enterprise_id"


@pytest.mark.parametrize("endpoint", ["classify", "meeting-check", "deadline"])
def test_public_endpoints_reject_bad_json(client, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(f"/api/v1/{endpoint}", data="{not json", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "invalid_json"
    resp = client.post(f"/api/v1/{endpoint}", data="[1, 2]", content_type="application/json")
    assert resp.json() == {"error": {"code": "invalid_json", "message": "请求体应为 JSON 对象", "path": None}}


def test_classify_needs_a_policy_field(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/v1/classify", data={"type": "asset_transfer"}, content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["error"]["path"] == "policy"


def test_public_endpoints_are_rate_limited(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_PUBLIC_RATE_PER_MINUTE = 3
    codes = [client.post("/api/v1/classify", data="{}", content_type="application/json").status_code
             for _ in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    resp = client.post("/api/v1/classify", data="{}", content_type="application/json")
    assert resp.json()["error"]["code"] == "rate_limited"


def test_openapi_document_has_no_duplicate_keys(client) -> None:  # type: ignore[no-untyped-def]
    # Swagger UI refuses a document with duplicated keys (e.g. an int and a str response code).
    import json

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=no_duplicates)
