"""Writes on certificates: the root, issuing, activating, renewing and revoking. Each one audited.

Who may do what:
- the security administrator (Role.SECURITY_ADMIN) issues, renews and revokes certificates;
- a person activates his own certificate by choosing a signing PIN (the key pair is made then, so no one
  else ever knows the PIN).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.signatures import certs, keystore, selectors, sm2
from soegov.signatures.models import CertStatus, Holder, SigningCertificate

ROOT_YEARS = 20
PERSON_DAYS, ORGANISATION_DAYS = 730, 1095
CERT_FIELDS = ["status", "serial", "subject", "not_before", "not_after", "revoked_at", "revocation_reason",
               "failed_attempts", "locked_until"]


def require_security_admin(actor: Any) -> None:
    """Only the security administrator manages keys (None = system/demo)."""
    if actor is not None and getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以签发、更新和吊销签名证书")


def key_binding(cert: SigningCertificate) -> bytes:
    """What a sealed key is bound to: moving it to another certificate row makes it fail to open."""
    return f"soegov-key:{cert.holder}:{cert.serial}:{cert.user_id or ''}:{cert.jurisdiction_id or ''}".encode()


def root() -> SigningCertificate:
    """The installation's root certificate, made (with the KEK and trust anchor) on first use."""
    existing = selectors.active_root()
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
        cert.sealed_key = keystore.seal_with_kek(private, key_binding(cert))
        cert.save()
        keystore.save_trust_anchor(der)
        audit_record(actor=None, action="signature.root_create", obj=cert, after=snapshot(cert, CERT_FIELDS))
        return cert


def _issue_der(cert: SigningCertificate, public: bytes, uid: str) -> None:
    """Sign the certificate with the root and fill its validity."""
    ca = root()
    ca_private = keystore.open_with_kek(ca.sealed_key or {}, key_binding(ca))
    now = timezone.now()
    cert.not_before, cert.not_after = now, now + dt.timedelta(days=cert.valid_days)
    cert.der = certs.build(serial=int(cert.serial, 16), subject_cn=cert.subject, subject_org=cert.organisation,
                           subject_uid=uid, public_key=public, issuer_cn=ca.subject, issuer_org=ca.organisation,
                           issuer_private=ca_private, not_before=cert.not_before, not_after=cert.not_after,
                           is_ca=False)
    cert.public_key = public.hex()


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
    cert.sealed_key = keystore.seal_with_kek(private, key_binding(cert))
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
    cert.sealed_key = keystore.seal_with_pin(private, pin, key_binding(cert))
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
