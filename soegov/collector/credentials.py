"""Writes of the supervisor's keys: issuing one to an enterprise and revoking it, each audited.

Only the SM2 public key is stored. Issued without a public key, soegov makes the pair and hands the private
key over once (the key file the enterprise installs); issued with the enterprise's own public key, the
private key never leaves the enterprise at all.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.collector.audit_actions import CollectorAction
from soegov.collector.error_codes import CollectorError
from soegov.collector.models import CollectorKey
from soegov.enterprises.models import Enterprise
from soegov.signatures import sm2

# Key material is the security administrator's, as signing certificates are (三员分立).
KEY_ADMINS = frozenset({Role.SECURITY_ADMIN})
CLI_NAME = "soegov 命令行"


def _check_admin(actor: Any) -> None:
    if actor is not None and getattr(actor, "role", None) not in KEY_ADMINS:
        raise PermissionDenied("只有安全管理员可以签发、吊销企业报送密钥")


def key_issue(*, actor: Any, uscc: str, public_key_hex: str = "", label: str = "") -> tuple[CollectorKey, bytes | None]:
    """Issue a key to the enterprise of `uscc`; returns it and the private key when soegov made the pair."""
    _check_admin(actor)
    enterprise = Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first()
    if enterprise is None:
        raise CollectorError.NO_ENTERPRISE.error(path="uscc", uscc=(uscc or "").strip()[:40])
    private: bytes | None = None
    if public_key_hex.strip():
        try:
            public = bytes.fromhex(public_key_hex.strip())
            sm2.check_public_key(public)
        except (ValueError, sm2.SM2Error):
            raise CollectorError.BAD_PUBLIC_KEY.error(path="public_key") from None
    else:
        private, public = sm2.generate_keypair()
    with transaction.atomic():
        key = CollectorKey.objects.create(
            key_id=f"{enterprise.uscc}-{secrets.token_hex(4)}", enterprise=enterprise, public_key=public.hex(),
            label=label.strip()[:100], created_by=acting_user(actor))
        audit_record(actor=actor, actor_name=None if actor else CLI_NAME, action=CollectorAction.KEY_ISSUE,
                     obj=key, after={**snapshot(key), "made_here": private is not None})
    return key, private


def key_revoke(*, actor: Any, key_id: str) -> CollectorKey:
    """Revoke a key: the collector refuses every request signed with it from now on."""
    _check_admin(actor)
    with transaction.atomic():
        key = CollectorKey.objects.select_for_update().filter(key_id=(key_id or "").strip()).first()
        if key is None:
            raise CollectorError.NO_KEY.error(path="key_id", key_id=(key_id or "").strip()[:64])
        if key.revoked_at is not None:
            raise CollectorError.REVOKED.error(path="key_id", key_id=key.key_id,
                                               at=timezone.localtime(key.revoked_at).strftime("%Y-%m-%d %H:%M"))
        before = snapshot(key)
        key.revoked_at, key.revoked_by = timezone.now(), acting_user(actor)
        key.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, actor_name=None if actor else CLI_NAME, action=CollectorAction.KEY_REVOKE,
                     obj=key, before=before, after=snapshot(key))
    return key
