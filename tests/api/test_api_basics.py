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
    # Where it broke, in Chinese; not Python's "Expecting property name enclosed in double quotes".
    assert resp.json() == {"error": {"code": "invalid_json", "message": "请求体不是有效的 JSON（第1行第2列）", "path": None}}
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


def _token(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from soegov.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, name='t', scope='write')[1]}"}


def test_write_endpoints_validate_and_scope(client) -> None:  # type: ignore[no-untyped-def]
    from soegov.audit.models import AuditEntry
    from tests.factories import JurisdictionFactory, uscc

    parent = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=parent.jurisdiction)
    auth = _token(reviewer)
    body = {"jurisdiction_id": parent.jurisdiction.pk, "parent_id": parent.pk, "name": "子公司",
            "uscc": "91350100M000100Y44", "ownership": "controlled"}
    resp = client.post("/api/v1/enterprises", data=body, content_type="application/json", **auth)
    assert resp.status_code == 400
    assert resp.json() == {"error": {"code": "invalid_uscc", "message": "统一社会信用代码校验位错误：应为 3，实为 4",
                                     "path": "uscc"}}
    resp = client.post("/api/v1/enterprises", data={**body, "parent_id": "x"}, content_type="application/json", **auth)
    assert resp.status_code == 400 and resp.json()["error"]["path"] == "parent_id"
    resp = client.post("/api/v1/enterprises", data={**body, "uscc": uscc(555)}, content_type="application/json", **auth)
    assert resp.status_code == 201 and resp.json()["level"] == 2
    child = resp.json()["id"]
    resp = client.post(f"/api/v1/enterprises/{child}/bodies", data={"kind": "board"}, content_type="application/json",
                       **auth)
    assert resp.status_code == 201
    body_id = resp.json()["id"]
    resp = client.post(f"/api/v1/bodies/{body_id}/members", data={"name": "王某", "role": "chair", "is_principal": True,
                       "term_start": "2026-02-30"}, content_type="application/json", **auth)
    assert resp.status_code == 400 and resp.json()["error"]["path"] == "term_start"
    resp = client.post(f"/api/v1/bodies/{body_id}/members", data={"name": "王某", "role": "chair", "is_principal": True},
                       content_type="application/json", **auth)
    assert resp.status_code == 201
    assert client.delete(f"/api/v1/members/{resp.json()['id']}", **auth).status_code == 204
    assert AuditEntry.objects.filter(action="member.remove", actor=reviewer).exists()
    # Another jurisdiction's reviewer can neither see nor write.
    other = _token(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory()))
    assert client.post(f"/api/v1/enterprises/{child}/bodies", data={"kind": "gm_office"},
                       content_type="application/json", **other).status_code == 404
    resp = client.post("/api/v1/enterprises", data={**body, "uscc": uscc(556)}, content_type="application/json", **other)
    assert resp.status_code == 400 and resp.json()["error"]["path"] == "jurisdiction_id"
    # An enterprise filer may not register enterprises at all.
    filer = _token(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=parent))
    resp = client.post("/api/v1/enterprises", data={**body, "uscc": uscc(557), "jurisdiction_id": parent.jurisdiction.pk},
                       content_type="application/json", **filer)
    assert resp.status_code in (400, 403)


def test_session_writes_need_csrf(client) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    e = EnterpriseFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    resp = csrf_client.post(f"/api/v1/enterprises/{e.pk}/bodies", data={"kind": "board"},
                            content_type="application/json")
    assert resp.status_code in (401, 403)
    assert not e.bodies.exists()


@pytest.mark.parametrize(("body", "message", "path"), [
    ({"parent_id": 1}, "缺少必填参数 name", "name"),
    ({"name": "子公司", "parent_id": "x"}, "参数 parent_id 无效：应为整数", "parent_id"),
])
def test_schema_errors_read_in_chinese(client, body, message, path) -> None:  # type: ignore[no-untyped-def]
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=EnterpriseFactory().jurisdiction)
    full = {"jurisdiction_id": reviewer.jurisdiction_id, "uscc": "91350100M000100Y44", "ownership": "controlled", **body}
    resp = client.post("/api/v1/enterprises", data=full, content_type="application/json", **_token(reviewer))
    assert resp.status_code == 400
    assert resp.json()["error"] == {"code": "invalid_input", "message": message, "path": path}


def test_the_api_and_the_cli_refuse_an_input_in_the_same_words(client, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from soegov.cli import main

    doc = {"policy": "yining-2024", "type": "asset_transfer", "amount": "abc", "date": "2026-02-30",
           "enterprise": {"level": 1, "ownership": "sole"}}
    resp = client.post("/api/v1/classify", data=doc, content_type="application/json")
    source = tmp_path / "matter.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["classify", str(source), "--json"]) == 2
    cli = json.loads(capsys.readouterr().out)
    assert resp.status_code == 400 and resp.json() == cli
    assert resp.json()["error"] == {"code": "invalid_date", "path": "date",
                                    "message": "日期 应为 YYYY-MM-DD 格式的日期，收到 \"2026-02-30\""}
