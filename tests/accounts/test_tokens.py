"""API tokens under the same rules as people (issue 14 item 3): TOTP first, scoped, expiring, stopped with the
account, refused attempts audited and rate-limited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from soegov.accounts import services
from soegov.accounts.models import ApiToken
from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from tests.factories import PASSWORD, EnterpriseFactory, JurisdictionFactory, UserFactory, uscc

pytestmark = pytest.mark.django_db


def _get(key: str, path: str = "/api/v1/enterprises", **extra: Any) -> Any:
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


@pytest.fixture
def reviewer() -> Any:
    j = JurisdictionFactory(code="yn")
    EnterpriseFactory(jurisdiction=j)
    return UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=j)


def test_a_token_is_made_only_after_totp(settings: Any, reviewer: Any) -> None:
    settings.SOEGOV_TOTP_REQUIRED = True
    with pytest.raises(InputError) as exc:
        services.token_create(actor=reviewer, name="脚本")
    assert exc.value.code == "otp_required"
    c = Client()
    assert c.post("/accounts/login/", {"username": reviewer.username, "password": PASSWORD}).status_code == 302
    # Password only: the token page itself waits behind the TOTP step.
    assert c.get("/accounts/tokens/").status_code == 302
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    c.post("/accounts/otp/verify/", {"token": f"{code:06d}"})
    page = c.post("/accounts/tokens/", {"name": "报表脚本", "scope": "read", "days": "30"}).content.decode()
    assert "只显示这一次" in page, page[:3000]
    token = ApiToken.objects.get(user=reviewer)
    assert token.scope == "read" and token.jurisdiction_id == reviewer.jurisdiction_id
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(("days", "ok"), [("0", False), ("1", True), ("365", True), ("366", False), ("abc", False)])
def test_validity_bounds(reviewer: Any, days: str, ok: bool) -> None:
    if ok:
        services.token_create(actor=reviewer, name="t", days=days)
    else:
        with pytest.raises(InputError) as exc:
            services.token_create(actor=reviewer, name="t", days=days)
        assert exc.value.path == "days" and "1 到 365" in exc.value.message


def test_page_refuses_bad_input_with_a_message(reviewer: Any) -> None:
    c = Client()
    c.force_login(reviewer)
    page = c.post("/accounts/tokens/", {"name": "x", "scope": "admin", "days": "99999999999999999999"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "请选择只读或读写" in text and "有效天数过大" in text
    assert not ApiToken.objects.exists()


def test_the_menu_and_the_page_call_tokens_by_one_name(reviewer: Any) -> None:
    import re

    c = Client()
    c.force_login(reviewer)
    html = c.get("/accounts/tokens/").content.decode()
    link = re.search(r'<a href="/accounts/tokens/">([^<]+)</a>', html)
    heading = re.search(r"<h1>([^<]+)</h1>", html)
    assert link and heading and link.group(1) == heading.group(1) == "接口令牌"
    assert "API 令牌" not in html


def test_read_scope_cannot_write_and_apis_limit_the_parts(reviewer: Any) -> None:
    _, read_key = services.token_create(actor=reviewer, name="r", scope="read")
    _, write_key = services.token_create(actor=reviewer, name="w", scope="write", apis=["registry"])
    body = {"jurisdiction_id": reviewer.jurisdiction_id, "uscc": uscc(901), "name": "新公司",
            "ownership": "sole"}
    c = Client()
    denied = c.post("/api/v1/enterprises", data=body, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {read_key}")
    assert denied.status_code == 403 and "只读" in denied.json()["error"]["message"]
    made = c.post("/api/v1/enterprises", data=body, content_type="application/json",
                  HTTP_AUTHORIZATION=f"Bearer {write_key}")
    assert made.status_code == 201, made.content
    assert _get(write_key, "/api/v1/matters").status_code == 403
    assert _get(read_key, "/api/v1/matters").status_code == 200
    with pytest.raises(InputError):
        services.token_create(actor=reviewer, name="x", apis=["everything"])


def test_expired_token_stops(reviewer: Any) -> None:
    token, key = services.token_create(actor=reviewer, name="t")
    assert _get(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    resp = _get(key)
    assert resp.status_code == 401 and "已过期" in resp.json()["error"]["message"]


@pytest.mark.parametrize("what", ["disabled", "locked", "password_expired", "password_changed", "totp_reset",
                                  "moved"])
def test_token_stops_with_the_account(settings: Any, reviewer: Any, what: str) -> None:
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    token, key = services.token_create(actor=reviewer, name="t")
    assert _get(key).status_code == 200
    if what == "disabled":
        reviewer.is_active = False
        reviewer.save()
    elif what == "locked":
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post("/accounts/login/", {"username": reviewer.username, "password": "wrong"})
    elif what == "password_expired":
        type(reviewer).objects.filter(pk=reviewer.pk).update(
            password_changed_at=timezone.now() - dt.timedelta(days=settings.SOEGOV_PASSWORD_MAX_AGE_DAYS + 1))
    elif what == "password_changed":
        services.password_change(actor=reviewer, old_password=PASSWORD, new_password="Another#Secret2026x")
        assert ApiToken.objects.get(pk=token.pk).revoked
    elif what == "totp_reset":
        settings.SOEGOV_TOTP_REQUIRED = True
        device.delete()
    elif what == "moved":
        reviewer.jurisdiction = JurisdictionFactory(code="xd")
        reviewer.save()
    resp = _get(key)
    assert resp.status_code == 401, (what, resp.content)
    entry = AuditEntry.objects.filter(action="token.rejected").latest("seq")
    assert entry.actor_name == reviewer.username and entry.after["reason"] in resp.json()["error"]["message"]


def test_invalid_attempts_are_audited_and_rate_limited(settings: Any, reviewer: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings.SOEGOV_TOKEN_FAILURES_PER_MINUTE = 3
    # The failures are counted per clock minute: the whole test happens inside one (a run that crossed into
    # the next minute started counting afresh and let the fourth try through).
    from soegov.api import auth

    minute = 1_800_000_000.0
    monkeypatch.setattr(auth.time, "time", lambda: minute)
    _, key = services.token_create(actor=reviewer, name="t")
    for i in range(3):
        resp = _get(f"sg_guess{i}")
        assert resp.status_code == 401 and resp.json()["error"]["message"] == "API 令牌不可用：令牌无效"
    assert AuditEntry.objects.filter(action="token.rejected").count() == 3
    assert AuditEntry.objects.filter(action="token.rejected").first().object_repr == "sg_guess…"
    # The fourth try — even with the right key — is refused for the rest of the minute, and audited once.
    for _ in range(3):
        resp = _get(key)
        assert resp.status_code == 429 and resp["Retry-After"] == "60"
    assert AuditEntry.objects.filter(action="token.rate_limited").count() == 1
    assert _get(key, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_last_used_is_recorded(reviewer: Any) -> None:
    token, key = services.token_create(actor=reviewer, name="t")
    assert token.last_used_at is None
    _get(key)
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = Client()
    page.force_login(reviewer)
    text = page.get("/accounts/tokens/").content.decode()
    assert "只读" in text and token.expires_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d") in text
