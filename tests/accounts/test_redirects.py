"""Open redirects (issue 14 item 4): every `next` a login step follows stays on this site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from soegov.accounts.roles import Role
from soegov.core.redirects import safe_next
from tests.factories import PASSWORD, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "http://testserver.evil.example/",
    "ftp://testserver/",
    # A local page whose own next leaves the site: followed later, it would redirect there.
    "/accounts/otp/verify/?next=https://evil.example",
    "/accounts/login/?next=/accounts/otp/verify/%3Fnext%3D%2F%2Fevil.example",
]


@pytest.mark.parametrize("candidate", HOSTILE)
def test_safe_next_refuses_addresses_off_the_site(candidate: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, candidate) == "/"


@pytest.mark.parametrize("candidate", ["/matters/5", "/matters/?year=2026&page=2",
                                       "/accounts/otp/verify/?next=/matters/5"])
def test_safe_next_keeps_pages_of_the_site(candidate: str) -> None:
    assert safe_next(RequestFactory().get("/"), candidate) == candidate


def _code(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_the_reported_chain_through_the_totp_step_ends_at_home(client, settings) -> None:  # type: ignore[no-untyped-def]
    """The issue's reproduction: /accounts/login/?next=/accounts/otp/verify/%3Fnext%3Dhttps://evil.example."""
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login_url = "/accounts/login/?next=/accounts/otp/verify/%3Fnext%3Dhttps://evil.example"
    resp = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 302
    # The login page drops a next whose own next leaves the site.
    assert "evil" not in resp["Location"]
    # Even asked for directly, the TOTP page does not follow it.
    resp = client.post("/accounts/otp/verify/?next=https://evil.example", {"token": _code(device)})
    assert resp.status_code == 302 and resp["Location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_totp_setup_does_not_follow_a_next_off_the_site(client, settings, target: str) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    resp = client.post(f"{reverse('accounts:otp_setup')}?next={target}", {"token": _code(device)})
    assert resp.status_code == 302 and resp["Location"] == "/"


def test_the_page_asked_for_before_totp_is_where_the_user_lands(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOEGOV_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    resp = client.post(f"{reverse('accounts:login')}?next=/enterprises/", {"username": user.username,
                                                                            "password": PASSWORD})
    assert resp["Location"] == "/enterprises/"
    resp = client.get("/enterprises/")
    assert resp["Location"] == "/accounts/otp/verify/?next=%2Fenterprises%2F"
    resp = client.post(resp["Location"], {"token": _code(device)})
    assert resp["Location"] == "/enterprises/"


@pytest.mark.parametrize("target", HOSTILE[:4])
def test_the_login_page_ignores_a_next_off_the_site(client, target: str) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    page = client.get(reverse("accounts:login"), {"next": target})
    assert "evil" not in page.content.decode()
    resp = client.post(f"{reverse('accounts:login')}", {"username": user.username, "password": PASSWORD,
                                                        "next": target})
    assert resp.status_code == 302 and resp["Location"] == "/"
