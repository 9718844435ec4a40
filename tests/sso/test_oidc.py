"""OpenID Connect login against a real provider (django-oauth-toolkit, its own process): links, unknown people,
TOTP and the provider's second factor, disabled and locked accounts, a provider that is down, replays."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.identity import services
from soegov.identity.models import PendingLink, PendingStatus, SsoIdentity
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.sso.conftest import TOTP_KEY_HEX, local, provider_login_oidc

pytestmark = pytest.mark.django_db


def _sso(client, username: str, *, next_url: str = "", otp: str = ""):  # type: ignore[no-untyped-def]
    start = client.get(reverse("identity:oidc_login") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:300]
    callback = provider_login_oidc(start["Location"], username, otp=otp)
    assert callback.startswith("http://testserver/accounts/sso/oidc/callback/?")
    return client.get(local(callback))


def _sub(provider_url: str, username: str) -> tuple[str, str]:
    """The provider's issuer and the `sub` it gives a user (django-oauth-toolkit: the user's id, in seed order)."""
    order = ["zhangwei", "lina", "wangfang", "stranger"]
    return f"{provider_url}/o", str(order.index(username) + 1)


def _link(user: User, provider_url: str, username: str, actor: User | None = None) -> SsoIdentity:
    issuer, sub = _sub(provider_url, username)
    admin = actor or UserFactory(role=Role.SYSTEM_ADMIN)
    return services.link_create(actor=admin, provider="oidc", issuer=issuer, claim="sub", value=sub,
                                username=user.username)


def test_linked_person_logs_in_and_lands_on_the_page_asked_for(client, oidc_on) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory(), full_name="张伟")
    _link(user, oidc_on.url, "zhangwei")
    resp = _sso(client, "zhangwei", next_url="/matters/")
    assert resp.status_code == 302 and resp["Location"] == "/matters/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get("/matters/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.login", actor=user).exists()
    entry = AuditEntry.objects.get(action="auth.sso_login", actor=user)
    assert entry.after["provider"] == "oidc" and entry.after["second_factor_by_provider"] is False


def test_an_unknown_person_creates_nothing_and_waits_for_the_administrator(client, oidc_on) -> None:  # type: ignore[no-untyped-def]
    users_before = User.objects.count()
    resp = _sso(client, "stranger")
    assert resp.status_code == 403
    page = resp.content.decode()
    assert "尚未与本系统的账号关联" in page and "陌生人（stranger）" in page
    assert User.objects.count() == users_before
    assert SESSION_KEY not in client.session
    pending = PendingLink.objects.get()
    assert (pending.claim, pending.status, pending.attempts) == ("sub", PendingStatus.PENDING, 1)
    assert pending.details["employee_number"] == "E9999"
    assert AuditEntry.objects.filter(action="sso.unknown_login").count() == 1
    _sso(client, "stranger")
    pending.refresh_from_db()
    assert pending.attempts == 2 and PendingLink.objects.count() == 1

    # The system administrator links the person to an existing account on the SSO page; then it works.
    account = UserFactory(enterprise=EnterpriseFactory(), username="chen")
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    admin_client = client.__class__()
    admin_client.force_login(admin)
    page = admin_client.get(reverse("identity:admin"))
    assert "陌生人（stranger）" in page.content.decode()
    resp = admin_client.post(reverse("identity:admin"), {"action": "link_pending", "pending": pending.pk,
                                                         "username": "chen"})
    assert resp.status_code == 302
    pending.refresh_from_db()
    assert pending.status == PendingStatus.LINKED and pending.identity is not None
    assert AuditEntry.objects.filter(action="sso.link", actor=admin).exists()
    resp = _sso(client, "stranger")
    assert resp.status_code == 302 and client.session[SESSION_KEY] == str(account.pk)


def test_totp_still_applies_unless_the_provider_asserts_a_second_factor(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    jur = JurisdictionFactory()
    plain = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=jur)
    strong = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=jur)
    _link(plain, oidc_on.url, "wangfang")
    _link(strong, oidc_on.url, "lina")
    # Password only at the provider: the reviewer's role requires TOTP, so enrolment comes first.
    resp = _sso(client, "wangfang")
    assert resp.status_code == 302
    assert client.get("/matters/")["Location"] == reverse("accounts:otp_setup") + "?next=%2Fmatters%2F"
    client.post(reverse("accounts:logout"))
    # The provider checks a code against its clock and moves its device's drift to where the code matched: begin
    # early in a 30-second step, so that the two codes below are checked in the step they were made for.
    into_step = time.time() % 30
    if into_step > 18:
        time.sleep(30 - into_step)
    # Password and code at the provider (amr = pwd, otp): no second TOTP step here.
    code = f"{totp(bytes.fromhex(TOTP_KEY_HEX)):06d}"
    resp = _sso(client, "lina", otp=code)
    assert resp.status_code == 302 and client.session[SESSION_KEY] == str(strong.pk)
    assert client.get("/matters/").status_code == 200
    assert AuditEntry.objects.get(action="auth.sso_login", actor=strong).after["second_factor_by_provider"] is True
    # A deployment that does not accept "otp" from its provider still asks for TOTP.
    client.post(reverse("accounts:logout"))
    settings.SOEGOV_SSO_MFA_VALUES = ["hwk"]
    _sso(client, "lina", otp=f"{totp(bytes.fromhex(TOTP_KEY_HEX), drift=1):06d}")
    assert client.get("/matters/")["Location"] == reverse("accounts:otp_setup") + "?next=%2Fmatters%2F"


def test_disabled_and_locked_accounts_cannot_log_in_by_sso(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, oidc_on.url, "zhangwei")
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    from soegov.accounts.services import user_set_active

    user_set_active(actor=admin, user=user, active=False)
    resp = _sso(client, "zhangwei")
    assert resp.status_code == 403 and "已停用" in resp.content.decode()
    assert AuditEntry.objects.filter(action="auth.sso_failed", after__reason="inactive").exists()
    user_set_active(actor=admin, user=user, active=True)
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    resp = _sso(client, "zhangwei")
    assert resp.status_code == 403 and "锁定" in resp.content.decode()
    assert SESSION_KEY not in client.session


def test_an_sso_session_ends_when_idle_like_any_other(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, oidc_on.url, "zhangwei")
    _sso(client, "zhangwei")
    import time

    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    resp = client.get("/matters/")
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session


def test_the_employee_number_can_be_the_link(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_OIDC_LINK_CLAIM = "employee_number"
    user = UserFactory(enterprise=EnterpriseFactory())
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    admin_client = client.__class__()
    admin_client.force_login(admin)
    resp = admin_client.post(reverse("identity:admin"), {"action": "link", "provider": "oidc", "value": "E1001",
                                                         "username": user.username})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert SsoIdentity.objects.get().claim == "employee_number"
    resp = _sso(client, "zhangwei")
    assert resp.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)


def test_a_replayed_or_forged_callback_is_refused(client, oidc_on) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, oidc_on.url, "zhangwei")
    start = client.get(reverse("identity:oidc_login"))
    callback = local(provider_login_oidc(start["Location"], "zhangwei"))
    assert client.get(callback).status_code == 302
    client.post(reverse("accounts:logout"))
    replay = client.get(callback)
    assert replay.status_code == 400 and "登录请求已失效" in replay.content.decode()
    forged = client.get(reverse("identity:oidc_callback") + "?code=abc&state=made-up")
    assert forged.status_code == 400
    error = client.get(reverse("identity:oidc_callback") + "?error=access_denied&error_description=<b>no</b>")
    assert error.status_code == 400 and "&lt;b&gt;no&lt;/b&gt;" in error.content.decode()
    assert AuditEntry.objects.filter(action="auth.sso_failed").count() == 3


def test_a_wrong_client_secret_is_a_clear_refusal(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    start = client.get(reverse("identity:oidc_login"))
    resp = client.get(local(provider_login_oidc(start["Location"], "zhangwei")))
    assert resp.status_code == 400 and "认证服务拒绝了授权码" in resp.content.decode()


def test_when_the_provider_is_down_the_login_page_says_so_and_local_login_works(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.SOEGOV_OIDC_ISSUER = f"http://127.0.0.1:{closed}/o"
    settings.SOEGOV_OIDC_DISCOVERY_URL = f"http://127.0.0.1:{closed}/o/.well-known/openid-configuration"
    settings.SOEGOV_SSO_TIMEOUT_SECONDS = 2
    page = client.get(reverse("accounts:login") + "?next=/matters/")
    assert settings.SOEGOV_OIDC_LABEL in page.content.decode()
    note = client.get(reverse("identity:status"))
    assert "暂时不可用" in note.content.decode() and "本地账号" in note.content.decode()
    resp = client.get(reverse("identity:oidc_login") + "?next=/matters/")
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:login") + "?next=%2Fmatters%2F"
    assert "统一身份认证服务暂时无法连接" in client.get(resp["Location"]).content.decode()
    user = UserFactory(enterprise=EnterpriseFactory())
    from tests.factories import PASSWORD

    resp = client.post(reverse("accounts:login") + "?next=/matters/", {"username": user.username, "password": PASSWORD,
                                                                         "next": "/matters/"})
    assert resp.status_code == 302 and resp["Location"] == "/matters/"


def test_local_login_can_be_kept_for_the_administrators_only(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PASSWORD

    settings.SOEGOV_LOCAL_LOGIN = "admins"
    filer = UserFactory(enterprise=EnterpriseFactory())
    resp = client.post(reverse("accounts:login"), {"username": filer.username, "password": PASSWORD})
    assert resp.status_code == 200 and "本地密码登录仅限三员管理员" in resp.content.decode()
    admin = UserFactory(role=Role.SECURITY_ADMIN)
    assert client.post(reverse("accounts:login"), {"username": admin.username, "password": PASSWORD}).status_code == 302


def test_a_token_endpoint_that_goes_down_mid_login_is_a_503_and_nothing_changes(client, settings, oidc_on) -> None:  # type: ignore[no-untyped-def]
    import socket

    user = UserFactory(enterprise=EnterpriseFactory())
    _link(user, oidc_on.url, "zhangwei")
    start = client.get(reverse("identity:oidc_login") + "?next=/matters/")
    callback = local(provider_login_oidc(start["Location"], "zhangwei"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed}/o/token/"
    resp = client.get(callback)
    assert resp.status_code == 503 and "无法连接认证服务" in resp.content.decode()
    assert "next=%2Fmatters%2F" in resp.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action="auth.sso_failed", after__reason="unavailable").exists()
