"""Reads: certificates for the administrator's list, a person's own certificates and signatures."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from soegov.signatures.models import CertStatus, Holder, SignatureRecord, SignedDocument, SigningCertificate


def certificates(status: str = "", holder: str = "") -> QuerySet[SigningCertificate]:
    """Every person's and organisation's certificate, newest first (the root is shown apart)."""
    qs = (SigningCertificate.objects.exclude(holder=Holder.ROOT)
          .select_related("user", "jurisdiction", "issued_by").defer("der", "sealed_key"))
    if status in CertStatus.values:
        qs = qs.filter(status=status)
    if holder in Holder.values:
        qs = qs.filter(holder=holder)
    return qs


def own_certificates(user: Any) -> QuerySet[SigningCertificate]:
    """The user's own certificates, newest first."""
    return SigningCertificate.objects.filter(user=user).select_related("issued_by").defer("der", "sealed_key")


def own_signatures(user: Any) -> QuerySet[SignatureRecord]:
    """The signatures made with the user's own keys, newest first."""
    return (SignatureRecord.objects.filter(certificate__user=user).select_related("certificate", "document")
            .defer("statement", "signature").order_by("-signed_at", "-id"))


def active_root() -> SigningCertificate | None:
    """The installation's active root certificate (None before the first issue)."""
    return SigningCertificate.objects.filter(holder=Holder.ROOT, status=CertStatus.ACTIVE).first()


def active_person_certificate(user: Any) -> SigningCertificate | None:
    """The user's active personal certificate, if any."""
    return SigningCertificate.objects.filter(holder=Holder.PERSON, user=user, status=CertStatus.ACTIVE).first()


def latest_document(ref: str) -> SignedDocument | None:
    """The newest frozen revision of a record's document (None before it was first frozen)."""
    return SignedDocument.objects.filter(ref=ref).order_by("-revision").first()


def signatures_on(document: SignedDocument) -> QuerySet[SignatureRecord]:
    """The signatures made on one frozen revision, oldest first, with their certificates' holders."""
    return document.signatures.select_related("certificate", "certificate__user").order_by("signed_at", "id")


def statement_signatures(ref: str, purpose: str) -> QuerySet[SignatureRecord]:
    """The signatures on a statement that is not a document (e.g. a ballot), newest first."""
    return (SignatureRecord.objects.filter(ref=ref, purpose=purpose, document__isnull=True)
            .select_related("certificate").order_by("-signed_at", "-id"))
