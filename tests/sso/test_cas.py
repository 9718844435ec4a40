"""CAS 3 (and 2) login against a real CAS server (django-mama-cas, its own process)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.identity import services
from soegov.identity.models import PendingLink
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.sso.conftest import local, provider_login_cas

pytestmark = pytest.mark.django_db


def _cas(client, username: str, next_url: str = ""):  # type: ignore[no-untyped-def]
    start = client.get(reverse("identity:cas_login") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:300]
    back = provider_login_cas(start["Location"], username)
    assert back.startswith("http://testserver/accounts/sso/cas/login/?ticket=ST-")
    return client.get(local(back))


def _link(user, provider_url: str, value: str, claim: str = "user"):  # type: ignore[no-untyped-def]
    return services.link_create(actor=UserFactory(role=Role.SYSTEM_ADMIN), provider="cas",
                                issuer=f"{provider_url}/cas", claim=claim, value=value, username=user.username)


@pytest.mark.parametrize("version", ["3", "2"])
def test_linked_person_logs_in_through_cas(client, settings, cas_on, version: str) -> None:  # type: ignore[no-untyped-def]
    settings.CAS_VERSION = version
    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, cas_on.url, "zhangwei")
    resp = _cas(client, "zhangwei", next_url="/matters/")
    assert resp.status_code == 302 and resp["Location"] == "/matters/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert AuditEntry.objects.get(action="auth.sso_login", actor=user).after["provider"] == "cas"
    # The ticket was used: presenting it again is refused by the CAS server.
    client.post(reverse("accounts:logout"))


def test_an_unknown_cas_user_waits_for_the_administrator(client, cas_on) -> None:  # type: ignore[no-untyped-def]
    resp = _cas(client, "stranger")
    assert resp.status_code == 403 and "尚未与本系统的账号关联" in resp.content.decode()
    pending = PendingLink.objects.get()
    assert (pending.provider, pending.claim, pending.value) == ("cas", "user", "stranger")
    assert pending.details["displayName"] == "陌生人"


def test_the_employee_number_attribute_can_be_the_link(client, settings, cas_on) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_CAS_LINK_ATTRIBUTE = "employeeNumber"
    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, cas_on.url, "E1003", claim="employeeNumber")
    assert _cas(client, "wangfang").status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_totp_applies_to_cas_logins_of_roles_that_need_it(client, settings, cas_on) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    # mama-cas checks a password only and says so (authnMethod=pwd): not a second factor.
    settings.SOEGOV_CAS_MFA_ATTRIBUTE = "authnMethod"
    user = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=JurisdictionFactory())
    _link(user, cas_on.url, "wangfang")
    assert _cas(client, "wangfang").status_code == 302
    assert client.get("/matters/")["Location"] == reverse("accounts:otp_setup") + "?next=%2Fmatters%2F"


def test_a_bad_ticket_and_a_server_that_is_down(client, settings, cas_on) -> None:  # type: ignore[no-untyped-def]
    bad = client.get(reverse("identity:cas_login") + "?ticket=ST-1-forged")
    assert bad.status_code == 400 and "未认可该票据" in bad.content.decode()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{closed}/cas/"
    down = client.get(reverse("identity:cas_login") + "?ticket=ST-2-whatever")
    assert down.status_code == 503 and "无法连接 CAS 服务器" in down.content.decode()
    start = client.get(reverse("identity:cas_login"))
    assert start.status_code == 302 and start["Location"] == reverse("accounts:login")
    assert "CAS 统一认证服务暂时无法连接" in client.get(start["Location"]).content.decode()
    assert AuditEntry.objects.filter(action="auth.sso_failed", after__provider="cas").count() == 2


def test_sso_routes_are_not_found_when_not_configured(client) -> None:  # type: ignore[no-untyped-def]
    for name in ("identity:oidc_login", "identity:oidc_callback", "identity:cas_login"):
        assert client.get(reverse(name)).status_code == 404
    page = client.get(reverse("accounts:login")).content.decode()
    assert "统一身份认证登录" not in page and "sso-status" not in page


def test_a_second_factor_the_deployment_accepts_from_cas_replaces_totp(client, settings, cas_on) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.SOEGOV_CAS_MFA_ATTRIBUTE = "authnMethod"
    # Only to show the mechanism with this server, which releases authnMethod=pwd: no deployment should accept it.
    settings.SOEGOV_SSO_MFA_VALUES = ["pwd"]
    user = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=JurisdictionFactory())
    _link(user, cas_on.url, "wangfang")
    assert _cas(client, "wangfang").status_code == 302
    assert client.get("/matters/").status_code == 200
    assert AuditEntry.objects.get(action="auth.sso_login", actor=user).after["second_factor_by_provider"] is True
