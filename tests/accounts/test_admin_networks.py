"""Issue 14.8: the administrators' pages, logins and tokens only from SOEGOV_ADMIN_NETWORKS (default: anywhere);
behind a proxy only the address the trusted proxy reports counts; a malformed network stops the start."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.urls import reverse

from soegov.accounts import services
from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "10.20.0.0/16"


def test_by_default_administrators_work_from_anywhere(client: Any) -> None:
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert client.get(reverse("accounts:users"), REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.parametrize(("role", "page"), [(Role.SYSTEM_ADMIN, "accounts:users"),
                                            (Role.SECURITY_ADMIN, "accounts:security"),
                                            (Role.AUDIT_ADMIN, "audit:log")])
def test_admin_pages_are_refused_outside_the_networks(client: Any, settings: Any, role: str, page: str) -> None:
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE, "fd00::/8"]
    admin = UserFactory(role=role)
    client.force_login(admin)
    resp = client.get(reverse(page), REMOTE_ADDR="203.0.113.9")
    assert resp.status_code == 403
    assert "管理员账号只能从指定的管理网段访问：本次访问地址 203.0.113.9 不在允许范围内" in resp.content.decode()
    entry = AuditEntry.objects.get(action="admin.network_refused")
    assert entry.actor_name == admin.username and entry.after["address"] == "203.0.113.9"
    assert client.get(reverse(page), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(reverse(page), REMOTE_ADDR="fd00::5").status_code == 200
    api = client.get("/api/v1/matters", REMOTE_ADDR="203.0.113.9")
    assert api.status_code == 403 and api.json()["error"]["code"] == "admin_network"


def test_other_roles_are_not_limited(client: Any, settings: Any) -> None:
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE]
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()))
    assert client.get(reverse("matters:list"), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_an_administrator_cannot_log_in_from_outside(client: Any, settings: Any) -> None:
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE]
    admin = UserFactory(role=Role.SECURITY_ADMIN)
    form = {"username": admin.username, "password": PASSWORD}
    resp = client.post(reverse("accounts:login"), form, REMOTE_ADDR="198.51.100.7")
    assert resp.status_code == 200 and "_auth_user_id" not in client.session
    assert "本次访问地址 198.51.100.7 不在允许范围内" in resp.content.decode()
    assert AuditEntry.objects.filter(action="admin.network_refused", after__where="login").exists()
    resp = client.post(reverse("accounts:login"), form, REMOTE_ADDR="10.20.0.1")
    assert resp.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


def test_behind_a_proxy_only_the_trusted_address_counts(client: Any, settings: Any) -> None:
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE]
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    url = reverse("accounts:users")
    # Not behind a proxy: a forged X-Forwarded-For is ignored.
    assert client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.20.0.8").status_code == 403
    settings.SOEGOV_TRUST_PROXY = True
    # Behind our proxy (inside the office network itself): the address it appended is the client's.
    assert client.get(url, REMOTE_ADDR="10.20.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client.get(url, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.20.7.7").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.20.0.2", HTTP_X_FORWARDED_FOR="10.20.7.7, 203.0.113.9").status_code == 403


def test_an_administrators_token_works_only_from_the_networks(client: Any, settings: Any) -> None:
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    _token, key = services.token_create(actor=admin, name="运维脚本")
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    refused = client.get("/api/v1/enterprises", REMOTE_ADDR="203.0.113.9", **auth)
    assert refused.status_code == 401 and "管理网段" in refused.content.decode()
    assert AuditEntry.objects.filter(action="token.rejected").exists()
    assert client.get("/api/v1/enterprises", REMOTE_ADDR="10.20.0.9", **auth).status_code != 401


@pytest.mark.parametrize(("entry", "says"), [("10.20.0.0/33", "“10.20.0.0/33”不是网段（CIDR）"),
                                             ("10.20.0.1/16", "主机位不为零，应写作 10.20.0.0/16"),
                                             ("office", "“office”不是网段（CIDR）")])
def test_a_malformed_network_stops_the_start_with_a_clear_message(settings: Any, entry: str, says: str) -> None:
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE, entry]
    found = [m for m in checks.run_checks(tags=["soegov_security"]) if m.id.startswith("soegov.E")]
    assert [m.id for m in found] == ["soegov.E161"] and says in found[0].msg and found[0].is_serious()
    settings.SOEGOV_ADMIN_NETWORKS = [OFFICE, "192.168.8.5/32", "fd00::/8"]
    assert [m for m in checks.run_checks(tags=["soegov_security"]) if m.id.startswith("soegov.E")] == []
