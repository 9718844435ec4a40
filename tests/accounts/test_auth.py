"""Authentication policy: session id renewal, lockout, TOTP, idle timeout, password policy and expiry."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from soegov.accounts import services
from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from tests.factories import PASSWORD, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_gives_a_new_session_id_and_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory())
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    resp = _login(client, user.username)
    assert resp.status_code == 302
    assert client.session.session_key != before
    assert AuditEntry.objects.filter(action="auth.login", actor=user).exists()


def test_failed_logins_lock_the_account(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(enterprise=EnterpriseFactory())
    for _ in range(2):
        resp = _login(client, user.username, "wrong")
        assert "用户名或密码不正确" in resp.content.decode()
    resp = _login(client, user.username, "wrong")
    assert resp.status_code == 429
    assert "账号已被暂时锁定" in resp.content.decode()
    # Even the right password is refused while locked.
    resp = _login(client, user.username)
    assert resp.status_code == 429
    assert AuditEntry.objects.filter(action="auth.login_failed", actor_name=user.username).count() >= 3
    assert AuditEntry.objects.filter(action="auth.locked_out").exists()


def test_security_admin_unlocks(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory(enterprise=EnterpriseFactory())
    for _ in range(2):
        _login(client, user.username, "wrong")
    assert _login(client, user.username).status_code == 429
    sec = UserFactory(role=Role.SECURITY_ADMIN)
    assert services.account_unlock(actor=sec, username=user.username) >= 1
    assert _login(client, user.username).status_code == 302


def test_totp_is_required_for_supervisors(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    _login(client, user.username)
    # Not enrolled: every page leads to enrolment.
    resp = client.get(reverse("enterprises:list"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:otp_setup") + "?next=%2Fenterprises%2F"
    assert client.get("/api/v1/enterprises").status_code == 401
    page = client.get(reverse("accounts:otp_setup"))
    assert "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "动态口令不正确" in bad.content.decode()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    resp = client.post(reverse("accounts:otp_setup"), {"token": f"{token:06d}"})
    assert resp.status_code == 302
    assert client.get(reverse("enterprises:list")).status_code == 200


def test_totp_verify_step_after_password(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.SYSTEM_ADMIN)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _login(client, user.username)
    resp = client.get(reverse("home"))
    assert resp["Location"] == reverse("accounts:otp_verify")
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "123"})
    assert "动态口令不正确或已过期" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    session_before = client.session.session_key
    device.refresh_from_db()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert client.post(reverse("accounts:otp_verify"), {"token": f"{token:06d}"}).status_code == 302
    assert client.session.session_key != session_before
    assert client.get(reverse("home")).status_code == 200


def test_totp_not_required_for_enterprise_filer(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    user = UserFactory(enterprise=EnterpriseFactory())
    _login(client, user.username)
    assert client.get(reverse("home")).status_code == 200


def test_idle_session_is_ended(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_IDLE_TIMEOUT_MINUTES = 15
    user = UserFactory(enterprise=EnterpriseFactory())
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 16 * 60
    session.save()
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_idle_htmx_request_redirects_the_whole_page(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_IDLE_TIMEOUT_MINUTES = 15
    client.force_login(UserFactory(enterprise=EnterpriseFactory()))
    client.get(reverse("home"))
    session = client.session
    session["last_seen"] = int(time.time()) - 16 * 60
    session.save()
    resp = client.post(reverse("advisor:advisor"), {"type": "x"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 204 and resp["HX-Redirect"] == reverse("accounts:login")


def test_expired_password_must_be_changed(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_PASSWORD_MAX_AGE_DAYS = 90
    user = UserFactory(enterprise=EnterpriseFactory())
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")
    resp = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password": "short", "new_password2": "short"})
    assert resp.status_code == 200
    assert "密码长度不能少于 12 位。" in resp.content.decode()
    resp = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password": "Zq8$wNe4!rTy", "new_password2": "Zq8$wNe4!rTy"})
    assert resp.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_password_complexity() -> None:
    with pytest.raises(InputError) as exc:
        services.user_create(actor=None, username="abc", password="onlylowercaseletters", role=Role.SYSTEM_ADMIN)
    assert "密码须包含小写字母、大写字母、数字、符号中的至少 3 类。" in exc.value.message
    assert exc.value.path == "password"


def test_account_roles_need_their_scope() -> None:
    with pytest.raises(InputError) as exc:
        services.user_create(actor=None, username="f", password=PASSWORD, role=Role.ENTERPRISE_FILER)
    assert exc.value.message == "企业角色必须指定所属企业"
    with pytest.raises(InputError) as exc:
        services.user_create(actor=None, username="r", password=PASSWORD, role=Role.SUPERVISOR_REVIEWER)
    assert exc.value.path == "jurisdiction"


def test_three_admins_are_separate() -> None:
    sysadmin = services.user_create(actor=None, username="sa", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    # One role field: an account is exactly one of the three.
    assert User.objects.filter(pk=sysadmin.pk, role__in=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]).count() == 0
    sec = services.user_create(actor=sysadmin, username="sec", password=PASSWORD, role=Role.SECURITY_ADMIN)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.user_create(actor=sec, username="x", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        services.account_unlock(actor=sysadmin, username="x")


def test_an_already_hashed_password_is_for_the_operator_on_the_host_only() -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.exceptions import PermissionDenied

    sysadmin = services.user_create(actor=None, username="sa", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    # From the web, an administrator cannot set a password past the policy by handing in its hash.
    with pytest.raises(PermissionDenied):
        services.user_create(actor=sysadmin, username="weak", password_hash=make_password("password"),
                             role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory())
    assert not User.objects.filter(username="weak").exists()
    made = services.user_create(actor=None, username="hashed", password_hash=make_password("password"),
                                role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory())
    made.refresh_from_db()
    assert made.check_password("password") and made.is_active


def test_api_token_lifecycle(client) -> None:  # type: ignore[no-untyped-def]
    e = EnterpriseFactory()
    user = UserFactory(enterprise=e)
    token, key = services.token_create(actor=user, name="脚本")
    resp = client.get("/api/v1/enterprises", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200 and resp.json()[0]["uscc"] == e.uscc
    services.token_revoke(actor=user, token=token)
    assert client.get("/api/v1/enterprises", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_messages_stay_chinese_for_an_english_browser(client) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(enterprise=EnterpriseFactory())
    client.force_login(user)
    resp = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password": "password123456", "new_password2": "password123456"},
                       HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "这个密码太常见了" in resp.content.decode()
