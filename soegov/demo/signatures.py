"""Demo keys: the supervisors' organisation certificates and members' personal keys, issued as the demo's
security administrator would, each person's key sealed under the demo signing PIN."""

from __future__ import annotations

from typing import Any

from soegov.signatures import issuing, signing
from soegov.signatures.models import CertStatus, Holder, SigningCertificate

# Printed with the demo accounts; a real person chooses his own when he activates his certificate.
DEMO_PIN = "Qianming@2026"


def demo_organisations(jurisdictions: Any, admin: Any = None) -> None:
    """An active organisation certificate for each supervisor (reused when the demo is loaded again)."""
    for jurisdiction in jurisdictions:
        if not SigningCertificate.objects.filter(holder=Holder.ORGANISATION, jurisdiction=jurisdiction,
                                                 status=CertStatus.ACTIVE).exists():
            issuing.issue_organisation(actor=admin, jurisdiction=jurisdiction)


def demo_key(user: Any, admin: Any = None) -> signing.SigningKey:
    """The user's signing key, issued and activated with DEMO_PIN if he has none, opened for one signing."""
    if not SigningCertificate.objects.filter(holder=Holder.PERSON, user=user, status=CertStatus.ACTIVE).exists():
        cert = issuing.issue_person(actor=admin, user=user)
        issuing.activate(actor=user, cert=cert, pin=DEMO_PIN, pin_again=DEMO_PIN)
    return signing.unlock_own_key(actor=user, pin=DEMO_PIN)
