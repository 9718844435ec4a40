"""Writes: freezing documents and signing them or a statement. Each one audited.

A person signs only as himself, with his PIN (`unlock_own_key`, then `sign_as_person`); an organisation's key
signs when an authorised officer's action calls for it (`sign_as_organisation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.signatures import keystore, sm2
from soegov.signatures.container import canonical
from soegov.signatures.issuing import CERT_FIELDS, key_binding
from soegov.signatures.models import (
    PURPOSES,
    CertStatus,
    Holder,
    Rendition,
    SignatureRecord,
    SignedDocument,
    SigningCertificate,
)

MAX_PIN_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)


@transaction.atomic
def freeze_document(*, actor: Any, kind: str, ref: str, title: str, renditions: dict[str, bytes],
                    source_version: int | None = None) -> SignedDocument:
    """Store a document's renditions as the bytes to be signed; a changed content becomes the next revision.

    With `source_version` (the record's version it was rendered from) a revision already frozen from that
    version is returned as it is, so re-rendering (whose bytes carry a fresh timestamp) never makes a new one.
    """
    digests = {fmt: sm2.sm3(data).hex() for fmt, data in renditions.items()}
    latest = SignedDocument.objects.select_for_update().filter(ref=ref).order_by("-revision").first()
    if latest is not None and (dict(latest.renditions.values_list("fmt", "sm3")) == digests
                               or (source_version is not None and latest.source_version == source_version)):
        return latest
    doc = SignedDocument.objects.create(kind=kind, ref=ref, title=title[:255], source_version=source_version,
                                        revision=(latest.revision + 1) if latest else 1, created_by=acting_user(actor))
    Rendition.objects.bulk_create([Rendition(document=doc, fmt=fmt, content=data, sm3=digests[fmt], size=len(data))
                                   for fmt, data in renditions.items()])
    audit_record(actor=actor, action="signature.freeze", obj=doc,
                 after={"ref": ref, "revision": doc.revision, "renditions": digests})
    return doc


def _document_statement(doc: SignedDocument) -> dict[str, Any]:
    return {"id": doc.pk, "kind": doc.kind, "ref": doc.ref, "title": doc.title, "revision": doc.revision,
            "renditions": {r.fmt: {"sm3": r.sm3, "size": r.size} for r in doc.renditions.order_by("fmt")}}


@dataclass(frozen=True)
class SigningKey:
    """A person's private key opened with his PIN for one signing; never printed (repr) nor stored."""

    certificate: SigningCertificate
    private: bytes = field(repr=False)


def unlock_own_key(*, actor: Any, pin: str) -> SigningKey:
    """The actor's own active key, opened with his PIN; five wrong PINs lock it for 15 minutes.

    Call it before the transaction of the signing write, so a wrong PIN is counted even though that write fails.
    """
    if actor is None or not getattr(actor, "pk", None):
        raise PermissionDenied("签名须由本人登录后进行")
    now = timezone.now()
    with transaction.atomic():
        cert = (SigningCertificate.objects.select_for_update()
                .filter(holder=Holder.PERSON, user=actor, status=CertStatus.ACTIVE).first())
        if cert is None:
            raise SoegovError("no_certificate", "您还没有可用的签名证书：请联系安全管理员签发，并在“我的签名证书”中设置签名密码",
                              "certificate", "no active signing certificate")
        if cert.not_after and cert.not_after < now:
            raise SoegovError("expired", "您的签名证书已过期，请联系安全管理员更新", "certificate", "the certificate has expired")
        if cert.locked_until and cert.locked_until > now:
            raise SoegovError("pin_locked", f"签名密码错误次数过多，已锁定至{timezone.localtime(cert.locked_until):%H:%M}",
                              "pin", "locked after repeated wrong PINs")
        try:
            private = keystore.open_with_pin(cert.sealed_key or {}, str(pin or ""), key_binding(cert))
        except keystore.KeyStoreError:
            private = b""
        before = snapshot(cert, CERT_FIELDS)
        if not private:
            cert.failed_attempts += 1
            locked = cert.failed_attempts >= MAX_PIN_FAILURES
            if locked:
                cert.failed_attempts, cert.locked_until = 0, now + LOCK_FOR
            cert.save(update_fields=["failed_attempts", "locked_until"])
            audit_record(actor=actor, action="signature.pin_failed", obj=cert, before=before,
                         after=snapshot(cert, CERT_FIELDS))
            wrong = "签名密码错误，已连续错误 5 次，锁定 15 分钟" if locked else \
                f"签名密码错误，还可尝试 {MAX_PIN_FAILURES - cert.failed_attempts} 次"
        elif cert.failed_attempts:
            cert.failed_attempts = 0
            cert.save(update_fields=["failed_attempts"])
    if not private:
        raise InputError("wrong_pin", wrong, "pin", "wrong PIN")
    if sm2.public_key_of(private).hex() != cert.public_key:
        raise SoegovError("key_mismatch", "签名密钥与证书不符，已拒绝签名；请联系安全管理员", "certificate",
                          "the sealed key does not belong to the certificate")
    return SigningKey(cert, private)


def _organisation_key(jurisdiction: Any) -> tuple[SigningCertificate, bytes]:
    cert = (SigningCertificate.objects.filter(holder=Holder.ORGANISATION, jurisdiction=jurisdiction,
                                              status=CertStatus.ACTIVE).first())
    if cert is None:
        raise SoegovError("no_certificate", f"{jurisdiction.supervisor}尚无机构签名证书，请安全管理员先签发",
                          "certificate", "the organisation has no active certificate")
    if cert.not_after and cert.not_after < timezone.now():
        raise SoegovError("expired", "机构签名证书已过期，请安全管理员更新", "certificate", "the certificate has expired")
    private = keystore.open_with_kek(cert.sealed_key or {}, key_binding(cert))
    if sm2.public_key_of(private).hex() != cert.public_key:
        raise SoegovError("key_mismatch", "机构签名密钥与证书不符，已拒绝签名", "certificate", "key/certificate mismatch")
    return cert, private


def _signer_block(cert: SigningCertificate) -> dict[str, Any]:
    if cert.holder == Holder.PERSON:
        return {"kind": "person", "name": cert.subject, "account": cert.user.get_username() if cert.user else "",
                "organisation": cert.organisation}
    return {"kind": "organisation", "name": cert.subject, "organisation": cert.organisation}


def _record(*, actor: Any, cert: SigningCertificate, private: bytes, purpose: str, ref: str,
            what: dict[str, Any], document: SignedDocument | None) -> SignatureRecord:
    if purpose not in PURPOSES:
        raise SoegovError("unknown_purpose", f"未知的签名用途：{purpose}", "purpose", "unknown purpose")
    now = timezone.now()
    statement = {"v": 1, "purpose": purpose, "purpose_label": PURPOSES[purpose], "ref": ref, "what": what,
                 "signer": _signer_block(cert), "certificate": cert.serial,
                 "signed_at": timezone.localtime(now).isoformat(timespec="seconds"),
                 "operator": actor.get_username() if getattr(actor, "pk", None) else "system"}
    data = canonical(statement)
    record = SignatureRecord.objects.create(certificate=cert, document=document, ref=ref, purpose=purpose,
                                            statement=data.decode("utf-8"), signature=sm2.sign(private, data),
                                            signed_at=now, signer=acting_user(actor))
    audit_record(actor=actor, action="signature.sign", obj=record,
                 after={"purpose": purpose, "ref": ref, "certificate": cert.serial, "signer": cert.subject,
                        "statement_sm3": sm2.sm3(data).hex()})
    return record


@transaction.atomic
def sign_as_person(*, actor: Any, key: SigningKey, purpose: str, ref: str, what: dict[str, Any] | None = None,
                   document: SignedDocument | None = None) -> SignatureRecord:
    """The logged-in person signs, with his own unlocked key, a document or a statement (e.g. his ballot)."""
    if actor is None or not getattr(actor, "pk", None) or key.certificate.user_id != actor.pk:
        raise PermissionDenied("只能用本人的签名密钥签名")
    cert = SigningCertificate.objects.select_for_update().get(pk=key.certificate.pk)
    if cert.status != CertStatus.ACTIVE:
        raise SoegovError("not_active", f"签名证书{cert.get_status_display()}，不能签名", "certificate",
                          "the certificate is no longer active")
    body = _document_statement(document) if document is not None else dict(what or {})
    return _record(actor=actor, cert=cert, private=key.private, purpose=purpose, ref=ref, what=body, document=document)


@transaction.atomic
def sign_as_organisation(*, actor: Any, jurisdiction: Any, purpose: str, ref: str,
                         document: SignedDocument) -> SignatureRecord:
    """The supervisor's organisation signature on its document; the caller has checked the actor's authority."""
    cert, private = _organisation_key(jurisdiction)
    return _record(actor=actor, cert=cert, private=private, purpose=purpose, ref=ref,
                   what=_document_statement(document), document=document)
