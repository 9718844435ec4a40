"""A user of enterprise A gets 403/404 on every object of enterprise B: pages, API and files."""

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.accounts.services import token_create
from soegov.audit.models import AuditEntry
from soegov.enterprises import services
from tests.factories import BodyFactory, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_trees():  # type: ignore[no-untyped-def]
    j = JurisdictionFactory()
    a = EnterpriseFactory(jurisdiction=j, name="甲集团")
    a_child = EnterpriseFactory(parent=a, name="甲子公司")
    b = EnterpriseFactory(jurisdiction=j, name="乙集团")
    b_child = EnterpriseFactory(parent=b, name="乙子公司")
    body_b = BodyFactory(enterprise=b_child)
    member_b = services.member_add(actor=None, body=body_b, name="乙董事")
    return {"j": j, "a": a, "a_child": a_child, "b": b, "b_child": b_child, "body_b": body_b, "member_b": member_b}


def test_enterprise_user_sees_only_own_subtree(client, two_trees) -> None:  # type: ignore[no-untyped-def]
    t = two_trees
    user = UserFactory(role=Role.SECRETARY, enterprise=t["a"])
    client.force_login(user)
    listing = client.get(reverse("enterprises:list")).content.decode()
    assert "甲子公司" in listing and "乙集团" not in listing
    assert client.get(reverse("enterprises:detail", args=[t["a_child"].pk])).status_code == 200
    forbidden = [
        ("get", reverse("enterprises:detail", args=[t["b"].pk])),
        ("get", reverse("enterprises:detail", args=[t["b_child"].pk])),
        ("get", reverse("enterprises:body", args=[t["body_b"].pk])),
        ("get", reverse("enterprises:member", args=[t["member_b"].pk])),
        ("post", reverse("enterprises:body", args=[t["body_b"].pk])),
        ("post", reverse("enterprises:member", args=[t["member_b"].pk])),
        ("post", reverse("enterprises:body_create", args=[t["b"].pk])),
        ("get", f"/api/v1/enterprises/{t['b'].pk}"),
        ("get", f"/api/v1/enterprises/{t['b'].pk}/bodies"),
        ("get", f"/api/v1/bodies/{t['body_b'].pk}"),
    ]
    for method, url in forbidden:
        resp = getattr(client, method)(url, {"name": "x", "remove": "1"} if method == "post" else None)
        assert resp.status_code in (403, 404), url
    # The member survived the attempted removal.
    t["member_b"].refresh_from_db()
    # Files: exports hold only the user's own subtree.
    from io import BytesIO

    from openpyxl import load_workbook

    for name in ["enterprises:export_enterprises", "enterprises:export_members"]:
        data = client.get(reverse(name)).content
        cells = " ".join(str(c) for row in load_workbook(BytesIO(data)).active.iter_rows(values_only=True) for c in row)
        assert t["b"].uscc not in cells and t["b_child"].uscc not in cells
    api = client.get("/api/v1/enterprises").json()
    assert {e["name"] for e in api} == {"甲集团", "甲子公司"}
    assert AuditEntry.objects.filter(action="access.denied", actor=user).count() >= 7


def test_token_user_of_a_is_refused_b(client, two_trees) -> None:  # type: ignore[no-untyped-def]
    t = two_trees
    user = UserFactory(enterprise=t["a_child"])
    _, key = token_create(actor=user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/enterprises/{t['a_child'].pk}", **auth).status_code == 200
    # A parent is outside a subsidiary's subtree.
    for url in [f"/api/v1/enterprises/{t['a'].pk}", f"/api/v1/enterprises/{t['b'].pk}",
                f"/api/v1/bodies/{t['body_b'].pk}"]:
        resp = client.get(url, **auth)
        assert resp.status_code == 404
        assert resp.json() == {"error": {"code": "not_found", "message": "对象不存在或不在您的范围内", "path": None}}


def test_supervisor_sees_only_own_jurisdiction(client, two_trees) -> None:  # type: ignore[no-untyped-def]
    t = two_trees
    elsewhere = EnterpriseFactory(jurisdiction=JurisdictionFactory(), name="外地集团")
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=t["j"])
    client.force_login(reviewer)
    assert client.get(reverse("enterprises:detail", args=[t["b_child"].pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[elsewhere.pk])).status_code == 404
    assert "外地集团" not in client.get(reverse("enterprises:list")).content.decode()


def test_audit_and_security_admins_see_no_enterprises(client, two_trees) -> None:  # type: ignore[no-untyped-def]
    for role in [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN]:
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("enterprises:list")).status_code == 403
        assert client.get(reverse("advisor:advisor")).status_code == 403


def test_filer_cannot_edit_registry_but_can_edit_bodies(client, two_trees) -> None:  # type: ignore[no-untyped-def]
    t = two_trees
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=t["a"]))
    resp = client.post(reverse("enterprises:detail", args=[t["a"].pk]), {"name": "改名"})
    assert resp.status_code == 403
    resp = client.post(reverse("enterprises:body_create", args=[t["a"].pk]), {"kind": "gm_office"})
    assert resp.status_code == 302
    assert t["a"].bodies.filter(kind="gm_office").exists()
