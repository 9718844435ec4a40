"""Signing fixtures made through the services, as the security administrator and the holder would."""

from __future__ import annotations

from typing import Any

from soegov.accounts.roles import Role
from soegov.signatures import issuing, signing
from tests.factories import JurisdictionFactory, UserFactory

PIN = "Qian-2026-zi"


def security_admin() -> Any:
    """A security administrator."""
    return UserFactory(role=Role.SECURITY_ADMIN, full_name="安全管理员")


def person_with_key(admin: Any = None, **user: Any) -> Any:
    """A user whose certificate the administrator issued and who activated it with PIN."""
    admin = admin or security_admin()
    person = UserFactory(**({"full_name": "张三", "role": Role.ENTERPRISE_LEADER} | user))
    cert = issuing.issue_person(actor=admin, user=person)
    issuing.activate(actor=person, cert=cert, pin=PIN, pin_again=PIN)
    return person


def organisation_with_key(admin: Any = None) -> Any:
    """A jurisdiction whose supervisor holds an active organisation certificate."""
    jurisdiction = JurisdictionFactory()
    issuing.issue_organisation(actor=admin or security_admin(), jurisdiction=jurisdiction)
    return jurisdiction


def signature_key(user: Any) -> Any:
    """The user's own signing key opened with PIN (issued and activated first if he has none)."""
    from soegov.signatures.models import CertStatus, SigningCertificate

    if not SigningCertificate.objects.filter(user=user, status=CertStatus.ACTIVE).exists():
        cert = issuing.issue_person(actor=None, user=user)
        issuing.activate(actor=user, cert=cert, pin=PIN, pin_again=PIN)
    return signing.unlock_own_key(actor=user, pin=PIN)
