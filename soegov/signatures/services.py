"""Writes: issuing, activating, renewing and revoking keys; freezing documents; signing. Each one audited.

Who may do what:
- the security administrator (Role.SECURITY_ADMIN) issues, renews and revokes certificates;
- a person activates his own certificate by choosing a signing PIN (the key pair is made then, so no one
  else ever knows the PIN) and signs only as himself, with that PIN;
- an organisation's key signs when an authorised officer's action calls for it (`sign_as_organisation`).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.signatures import certs, keystore, sm2
from soegov.signatures.container import FORMAT, canonical
from soegov.signatures.models import (
    PURPOSES,
    CertStatus,
    Holder,
    Rendition,
    SignatureRecord,
    SignedDocument,
    SigningCertificate,
)

ROOT_YEARS = 20
PERSON_DAYS, ORGANISATION_DAYS = 730, 1095
MAX_PIN_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)
CERT_FIELDS = ["status", "serial", "subject", "not_before", "not_after", "revoked_at", "revocation_reason",
               "failed_attempts", "locked_until"]


def require_security_admin(actor: Any) -> None:
    """Only the security administrator manages keys (None = system/demo)."""
    if actor is not None and getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以签发、更新和吊销签名证书")


def _aad(cert: SigningCertificate) -> bytes:
    """What a sealed key is bound to: moving it to another certificate row makes it fail to open."""
    return f"soegov-key:{cert.holder}:{cert.serial}:{cert.user_id or ''}:{cert.jurisdiction_id or ''}".encode()


# --- the root ---------------------------------------------------------------------------------------


def root() -> SigningCertificate:
    """The installation's root certificate, made (with the KEK and trust anchor) on first use."""
    existing = SigningCertificate.objects.filter(holder=Holder.ROOT, status=CertStatus.ACTIVE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        existing = SigningCertificate.objects.select_for_update().filter(holder=Holder.ROOT,
                                                                          status=CertStatus.ACTIVE).first()
        if existing is not None:
            return existing
        if keystore.trust_anchor() is not None:
            raise SoegovError("root_mismatch", "密钥文件夹中的根证书与数据库不一致，不能新建根证书；请恢复原数据库或密钥文件夹",
                              "root", "the key folder's root certificate is not in this database")
        private, public = sm2.generate_keypair()
        now = timezone.now()
        serial = certs.new_serial()
        name = "soegov 电子签名根证书"
        der = certs.build(serial=serial, subject_cn=name, subject_org="soegov", subject_uid="", public_key=public,
                          issuer_cn=name, issuer_org="soegov", issuer_private=private, not_before=now,
                          not_after=now + dt.timedelta(days=365 * ROOT_YEARS), is_ca=True)
        cert = SigningCertificate(holder=Holder.ROOT, subject=name, organisation="soegov", serial=f"{serial:X}", der=der,
                                  public_key=public.hex(), status=CertStatus.ACTIVE, valid_days=365 * ROOT_YEARS,
                                  not_before=now, not_after=now + dt.timedelta(days=365 * ROOT_YEARS), activated_at=now)
        cert.sealed_key = keystore.seal_with_kek(private, _aad(cert))
        cert.save()
        keystore.save_trust_anchor(der)
        audit_record(actor=None, action="signature.root_create", obj=cert, after=snapshot(cert, CERT_FIELDS))
        return cert


def _issue_der(cert: SigningCertificate, public: bytes, uid: str) -> None:
    """Sign the certificate with the root and fill its validity."""
    ca = root()
    ca_private = keystore.open_with_kek(ca.sealed_key or {}, _aad(ca))
    now = timezone.now()
    cert.not_before, cert.not_after = now, now + dt.timedelta(days=cert.valid_days)
    cert.der = certs.build(serial=int(cert.serial, 16), subject_cn=cert.subject, subject_org=cert.organisation,
                           subject_uid=uid, public_key=public, issuer_cn=ca.subject, issuer_org=ca.organisation,
                           issuer_private=ca_private, not_before=cert.not_before, not_after=cert.not_after,
                           is_ca=False)
    cert.public_key = public.hex()


# --- issuing, activating, renewing, revoking -----------------------------------------------------


@transaction.atomic
def issue_person(*, actor: Any, user: Any, replaces: SigningCertificate | None = None) -> SigningCertificate:
    """Authorise a signing certificate for a person; it becomes usable once he sets his PIN (activate)."""
    require_security_admin(actor)
    if not user.is_active:
        raise InputError("inactive_user", f"账号 {user.username} 已停用，不能签发证书", "user", "the account is inactive")
    live = SigningCertificate.objects.filter(user=user, status__in=[CertStatus.PENDING, CertStatus.ACTIVE])
    if live.exclude(pk=getattr(replaces, "pk", None)).exists():
        raise InputError("already_issued", f"{user}已有有效或待启用的签名证书；如需更换请使用“更新”", "user",
                         "the person already has a live certificate")
    org = str(user.enterprise or user.jurisdiction or "")
    cert = SigningCertificate(holder=Holder.PERSON, user=user, subject=str(user)[:100], organisation=org[:100],
                              serial=f"{certs.new_serial():X}", valid_days=PERSON_DAYS, issued_by=acting_user(actor),
                              replaces=replaces)
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise InputError("already_issued", f"{user}已有有效或待启用的签名证书；如需更换请使用“更新”", "user",
                         "the person already has a live certificate") from None
    audit_record(actor=actor, action="signature.issue", obj=cert,
                 after=snapshot(cert, CERT_FIELDS) | {"holder": "person", "user": user.username})
    return cert


@transaction.atomic
def issue_organisation(*, actor: Any, jurisdiction: Any,
                       replaces: SigningCertificate | None = None) -> SigningCertificate:
    """Issue the supervisor's organisation key and certificate (its key sealed under the KEK)."""
    require_security_admin(actor)
    cert = SigningCertificate(holder=Holder.ORGANISATION, jurisdiction=jurisdiction, subject=jurisdiction.supervisor[:100],
                              organisation=jurisdiction.supervisor[:100], serial=f"{certs.new_serial():X}",
                              valid_days=ORGANISATION_DAYS, issued_by=acting_user(actor), replaces=replaces,
                              status=CertStatus.ACTIVE, activated_at=timezone.now())
    private, public = sm2.generate_keypair()
    _issue_der(cert, public, f"jurisdiction:{jurisdiction.code}")
    cert.sealed_key = keystore.seal_with_kek(private, _aad(cert))
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise InputError("already_issued", f"{jurisdiction.supervisor}已有有效的机构签名证书；如需更换请使用“更新”",
                         "jurisdiction", "the organisation already has a live certificate") from None
    audit_record(actor=actor, action="signature.issue", obj=cert,
                 after=snapshot(cert, CERT_FIELDS) | {"holder": "organisation", "jurisdiction": jurisdiction.code})
    return cert


@transaction.atomic
def activate(*, actor: Any, cert: SigningCertificate, pin: str, pin_again: str) -> SigningCertificate:
    """The holder chooses his signing PIN: his key pair is made, sealed under it, and the certificate signed."""
    cert = SigningCertificate.objects.select_for_update().get(pk=cert.pk)
    if cert.holder != Holder.PERSON or actor is None or cert.user_id != actor.pk:
        raise PermissionDenied("只有证书持有人本人可以设置签名密码")
    if cert.status != CertStatus.PENDING:
        raise SoegovError("not_pending", "该证书已启用或已失效", "status", "the certificate is not waiting for activation")
    pin = str(pin or "")
    problem = keystore.pin_problem(pin)
    if problem:
        raise InputError("weak_pin", problem, "pin", "the PIN is too weak")
    if pin != str(pin_again or ""):
        raise InputError("pin_mismatch", "两次输入的签名密码不一致", "pin_again", "the PINs differ")
    if actor.check_password(pin):
        raise InputError("pin_is_password", "签名密码不能与登录密码相同（管理员可重置登录密码，但不能知道签名密码）", "pin",
                         "the PIN must differ from the login password")
    before = snapshot(cert, CERT_FIELDS)
    private, public = sm2.generate_keypair()
    _issue_der(cert, public, actor.get_username())
    cert.sealed_key = keystore.seal_with_pin(private, pin, _aad(cert))
    if cert.replaces_id:
        _retire(actor, cert.replaces_id)
    cert.status, cert.activated_at = CertStatus.ACTIVE, timezone.now()
    cert.save()
    audit_record(actor=actor, action="signature.activate", obj=cert, before=before, after=snapshot(cert, CERT_FIELDS))
    return cert


def _retire(actor: Any, pk: int) -> None:
    old = SigningCertificate.objects.select_for_update().get(pk=pk)
    if old.status == CertStatus.ACTIVE:
        before = snapshot(old, CERT_FIELDS)
        old.status = CertStatus.SUPERSEDED
        old.save(update_fields=["status"])
        audit_record(actor=actor, action="signature.supersede", obj=old, before=before, after=snapshot(old, CERT_FIELDS))


@transaction.atomic
def renew(*, actor: Any, cert: SigningCertificate) -> SigningCertificate:
    """A new key and certificate replacing a live one (the old one stays to verify what it signed)."""
    require_security_admin(actor)
    cert = SigningCertificate.objects.select_for_update().get(pk=cert.pk)
    if cert.status != CertStatus.ACTIVE:
        raise SoegovError("not_active", f"只能更新有效的证书（该证书{cert.get_status_display()}）", "status",
                          "only an active certificate can be renewed")
    if cert.holder == Holder.PERSON:
        # The holder's new key waits for his PIN; the old one keeps signing until then.
        new = issue_person(actor=actor, user=cert.user, replaces=cert)
    elif cert.holder == Holder.ORGANISATION:
        cert.status = CertStatus.SUPERSEDED
        cert.save(update_fields=["status"])
        new = issue_organisation(actor=actor, jurisdiction=cert.jurisdiction, replaces=cert)
        audit_record(actor=actor, action="signature.supersede", obj=cert, after=snapshot(cert, CERT_FIELDS))
    else:
        raise SoegovError("root", "根证书不能在此更新", "holder", "the root is not renewed here")
    audit_record(actor=actor, action="signature.renew", obj=new, after={"replaces": cert.serial, "serial": new.serial})
    return new


@transaction.atomic
def revoke(*, actor: Any, cert: SigningCertificate, reason: str) -> SigningCertificate:
    """Revoke a certificate from now on: signatures made before stay valid, later ones are refused."""
    require_security_admin(actor)
    cert = SigningCertificate.objects.select_for_update().get(pk=cert.pk)
    reason = str(reason or "").strip()
    if not reason:
        raise InputError("reason_required", "请填写吊销原因", "reason", "a reason is required")
    if len(reason) > 200:
        raise InputError("too_long", "吊销原因不能超过 200 字", "reason", "at most 200 characters")
    if cert.status == CertStatus.REVOKED:
        raise SoegovError("already_revoked", "该证书已吊销", "status", "already revoked")
    if cert.holder == Holder.ROOT:
        raise SoegovError("root", "根证书不能在此吊销", "holder", "the root is not revoked here")
    before = snapshot(cert, CERT_FIELDS)
    cert.status, cert.revoked_at, cert.revoked_by = CertStatus.REVOKED, timezone.now(), acting_user(actor)
    cert.revocation_reason = reason
    # The key is useless now; dropping the sealed copy removes even the ciphertext.
    cert.sealed_key = None
    cert.save()
    audit_record(actor=actor, action="signature.revoke", obj=cert, before=before, after=snapshot(cert, CERT_FIELDS))
    return cert


# --- documents and signing ---------------------------------------------------------------------


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
            private = keystore.open_with_pin(cert.sealed_key or {}, str(pin or ""), _aad(cert))
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
    private = keystore.open_with_kek(cert.sealed_key or {}, _aad(cert))
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


def package(document: SignedDocument, fmt: str) -> dict[str, Any]:
    """The signature package carried in a download of one rendition."""
    rendition = document.renditions.get(fmt=fmt)
    ca = SigningCertificate.objects.filter(holder=Holder.ROOT, status=CertStatus.ACTIVE).first()
    signatures = [{"statement": s.statement, "signature": base64.b64encode(bytes(s.signature)).decode("ascii"),
                   "certificate": base64.b64encode(bytes(s.certificate.der or b"")).decode("ascii")}
                  for s in document.signatures.select_related("certificate").order_by("signed_at", "id")]
    return {
        "format": FORMAT,
        "document": {"id": document.pk, "kind": document.kind, "title": document.title, "revision": document.revision,
                     "rendition": fmt, "sm3": rendition.sm3, "size": rendition.size},
        "root": {"subject": ca.subject, "sm3": sm2.sm3(bytes(ca.der or b"")).hex()} if ca else {},
        "signatures": signatures,
        "how_to_verify": "命令行：soegov verify 文件名；或登录 soegov →“签名验证”上传本文件",
    }


def signed_file(document: SignedDocument, fmt: str) -> bytes:
    """The rendition's frozen bytes with every signature made on it so far (the bare bytes while unsigned)."""
    from soegov.signatures.container import embed

    content = bytes(document.renditions.get(fmt=fmt).content)
    if not document.signatures.exists():
        return content
    return embed(content, package(document, fmt))
