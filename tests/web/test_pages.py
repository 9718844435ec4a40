"""Pages through the Django test client: forms name the bad field, never a 500."""

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.enterprises.models import Enterprise
from tests.factories import BodyFactory, EnterpriseFactory, UserFactory, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client):  # type: ignore[no-untyped-def]
    e = EnterpriseFactory(name="甲集团")
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction)
    client.force_login(user)
    return e


def test_home_per_role(client) -> None:  # type: ignore[no-untyped-def]
    e = EnterpriseFactory()
    for role, text in [(Role.ENTERPRISE_FILER, "可见企业"), (Role.AUDIT_ADMIN, "审计记录"),
                       (Role.SECURITY_ADMIN, "登录失败记录")]:
        client.force_login(UserFactory(role=role, enterprise=e if role == Role.ENTERPRISE_FILER else None))
        page = client.get(reverse("home"))
        assert page.status_code == 200 and text in page.content.decode()


def test_register_enterprise_with_bad_code_names_the_field(client, reviewer) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(reverse("enterprises:list"), {
        "jurisdiction": reviewer.jurisdiction.pk, "parent": reviewer.pk, "name": "甲子公司",
        "uscc": "91350100M000100Y44", "ownership": "wholly_owned", "status": "active"})
    assert resp.status_code == 200
    assert "统一社会信用代码校验位错误：应为 3，实为 4" in resp.content.decode()
    resp = client.post(reverse("enterprises:list"), {
        "jurisdiction": reviewer.jurisdiction.pk, "parent": "abc", "name": "", "uscc": "", "ownership": "x"})
    text = resp.content.decode()
    assert resp.status_code == 200 and "请填写企业名称" in text and "持股类型无效" in text


def test_register_and_edit_enterprise(client, reviewer) -> None:  # type: ignore[no-untyped-def]
    code = uscc(777)
    resp = client.post(reverse("enterprises:list"), {
        "jurisdiction": reviewer.jurisdiction.pk, "parent": reviewer.pk, "name": "甲子公司",
        "uscc": code, "ownership": "wholly_owned", "status": "active"})
    child = Enterprise.objects.get(uscc=code)
    assert resp.status_code == 302 and child.level == 2
    resp = client.post(reverse("enterprises:detail", args=[child.pk]), {
        "name": "甲子公司（更名）", "uscc": code, "ownership": "controlled", "status": "active", "parent": reviewer.pk})
    assert resp.status_code == 302
    page = client.get(reverse("enterprises:detail", args=[child.pk])).content.decode()
    assert "持股类型：国有全资 → 国有控股" in page and "企业名称：甲子公司 → 甲子公司（更名）" in page


def test_member_forms(client, reviewer) -> None:  # type: ignore[no-untyped-def]
    body = BodyFactory(enterprise=reviewer)
    url = reverse("enterprises:body", args=[body.pk])
    resp = client.post(url, {"name": "王某", "role": "chair", "is_principal": "on", "voting": "on",
                             "term_start": "2024-01-01", "term_end": "2026-12-31"})
    assert resp.status_code == 302
    resp = client.post(url, {"name": "李某", "role": "director", "is_principal": "on", "voting": "on"})
    assert "该决策机构已有主要负责人" in resp.content.decode()
    resp = client.post(url, {"name": "张某", "role": "director", "voting": "on", "term_start": "2024-02-30"})
    assert "任期开始不是有效日期" in resp.content.decode()
    resp = client.post(url, {"name": "监事", "role": "attendee"})
    assert resp.status_code == 302
    page = client.get(url).content.decode()
    assert "列席，无表决权" in page and "是（末位表态）" in page


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["database"] == "ok"


def test_static_assets_are_served_locally(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(enterprise=EnterpriseFactory()))
    page = client.get(reverse("home")).content.decode()
    assert "/static/soegov/htmx.min.js" in page and "//cdn" not in page and "unpkg" not in page


def test_unknown_import_kind_is_404_not_500(client, reviewer) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("enterprises:import", args=["nonsense"])).status_code == 404


def test_parent_out_of_scope_or_garbage_is_a_form_error(client, reviewer) -> None:  # type: ignore[no-untyped-def]
    elsewhere = EnterpriseFactory()
    for parent in [str(elsewhere.pk), "abc"]:
        resp = client.post(reverse("enterprises:list"), {
            "jurisdiction": reviewer.jurisdiction.pk, "parent": parent, "name": "甲子公司",
            "uscc": uscc(778), "ownership": "wholly_owned", "status": "active"})
        assert resp.status_code == 200
        text = resp.content.decode()
        assert "上级企业不存在或不在您的范围内" in text or "上级企业无效" in text


def test_csrf_failure_is_explained_in_chinese() -> None:
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    resp = csrf_client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert resp.status_code == 403 and "页面已过期" in resp.content.decode()


def test_system_admin_creates_accounts(client) -> None:  # type: ignore[no-untyped-def]
    e = EnterpriseFactory()
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    url = reverse("accounts:users")
    resp = client.post(url, {"username": "newfiler", "role": "enterprise_filer", "password": "Kx7#mQ2!vLp9"})
    assert "企业角色必须指定所属企业" in resp.content.decode()
    resp = client.post(url, {"username": "newfiler", "role": "enterprise_filer", "password": "Kx7#mQ2!vLp9",
                             "enterprise": e.pk})
    assert resp.status_code == 302
    client.force_login(UserFactory(role=Role.SECURITY_ADMIN))
    assert client.get(url).status_code == 403


def test_security_admin_page(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.SECURITY_ADMIN))
    page = client.get(reverse("accounts:security"))
    assert page.status_code == 200 and "解锁账号" in page.content.decode()
    resp = client.post(reverse("accounts:security"), {"username": "someone"})
    assert resp.status_code == 302


def test_token_page_shows_key_once(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(enterprise=EnterpriseFactory()))
    resp = client.post(reverse("accounts:tokens"), {"name": "报表脚本"})
    text = resp.content.decode()
    assert "只显示这一次" in text and "Bearer sg_" in text
    assert "Bearer sg_" not in client.get(reverse("accounts:tokens")).content.decode()
    assert "请填写令牌名称" in client.post(reverse("accounts:tokens"), {"name": ""}).content.decode()


def test_system_admin_disables_and_enables_accounts(client) -> None:  # type: ignore[no-untyped-def]
    from soegov.audit.models import AuditEntry

    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    target = UserFactory(enterprise=EnterpriseFactory())
    client.force_login(admin)
    assert client.post(reverse("accounts:users"), {"toggle": target.pk}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEntry.objects.filter(action="user.disable", actor=admin, before={"is_active": True}).exists()
    resp = client.post(reverse("accounts:users"), {"toggle": admin.pk}, follow=True)
    assert "不能停用自己的账号" in resp.content.decode()


def test_healthz_reports_an_unreachable_database(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError, connection

    def broken() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": "unreachable", "detail": "OperationalError"}
