"""Writes on SSO links: unknown logins recorded for the system administrator, links made, dismissed and removed.

Accounts and roles stay the system administrator's decision (三员分立): an SSO login never creates an account,
and no one links an identity to one of the three administrators' accounts (they log in locally, with TOTP).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from soegov.accounts.models import User
from soegov.accounts.roles import ADMIN_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError
from soegov.identity.models import PendingLink, PendingStatus, Provider, SsoIdentity
from soegov.user_input import clean_text

IDENTITY_FIELDS = ["provider", "issuer", "claim", "value", "user"]
# Claims kept on a pending record so the administrator can recognise the person; nothing else is stored.
DETAIL_KEYS = ("name", "preferred_username", "email", "employee_number", "employeeNumber", "cn", "displayName",
               "uid", "mail")


def _require_system_admin(actor: Any) -> None:
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理统一身份认证关联")


def pending_details(claims: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The display name and the recognisable claims of an unknown person, as short strings."""
    details = {k: str(claims[k])[:200] for k in DETAIL_KEYS if claims.get(k) not in (None, "", [])}
    name = details.get("name") or details.get("displayName") or details.get("cn") or ""
    login = details.get("preferred_username") or details.get("uid") or ""
    shown = f"{name}（{login}）" if name and login and name != login else (name or login)
    return shown[:150], details


def record_unknown(*, provider: str, issuer: str, claim: str, value: str, claims: dict[str, Any],
                   ip: str = "") -> PendingLink:
    """Note an SSO login nobody is linked to (a new pending record, or one more attempt on the open one)."""
    display, details = pending_details(claims)
    now = timezone.now()
    with transaction.atomic():
        pending = (PendingLink.objects.select_for_update()
                   .filter(provider=provider, issuer=issuer, claim=claim, value=value, status=PendingStatus.PENDING)
                   .first())
        if pending is None:
            pending = PendingLink.objects.create(provider=provider, issuer=issuer, claim=claim, value=value,
                                                 display_name=display, details=details, last_ip=ip[:64])
        else:
            PendingLink.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1, last_seen=now,
                                                             display_name=display, details=details, last_ip=ip[:64])
            pending.refresh_from_db()
        audit_record(actor=None, action="sso.unknown_login", obj=pending, actor_name=f"{claim}={value}"[:150],
                     after={"provider": provider, "issuer": issuer, "claim": claim, "value": value,
                            "attempts": pending.attempts, "details": details})
    return pending


def _check_linkable(user: User) -> None:
    if user.role in ADMIN_ROLES:
        raise InputError("admin_account", f"{user.username} 是{user.role_label}账号：三员账号只能以本地密码加动态口令登录，"
                         "不能关联统一身份认证", "user", "administrator accounts cannot be linked to SSO")
    if not user.is_active:
        raise InputError("inactive_account", f"账号 {user.username} 已停用，不能关联", "user", "the account is disabled")


def _user(username: Any) -> User:
    name = clean_text(username, "user", "系统账号", 150)
    user = User.objects.filter(username=name).first()
    if user is None:
        raise InputError("unknown_account", f"账号 {name} 不存在", "user", "no such account")
    return user


def link_create(*, actor: Any, provider: str, issuer: str, claim: str, value: Any, username: Any,
                pending: PendingLink | None = None) -> SsoIdentity:
    """Link a provider's person to an existing account (from a pending login, or typed in ahead of it)."""
    _require_system_admin(actor)
    if provider not in Provider.values:
        raise InputError("invalid_choice", "请选择认证方式", "provider", "choose a provider")
    value = clean_text(value, "value", "标识值", 255)
    user = _user(username)
    _check_linkable(user)
    with transaction.atomic():
        existing = SsoIdentity.objects.select_related("user").filter(
            provider=provider, issuer=issuer, claim=claim, value=value).first()
        if existing is not None:
            raise InputError("already_linked", f"该身份已关联到账号 {existing.user.username}，请先解除关联",
                             "value", "this identity is linked already")
        identity = SsoIdentity.objects.create(provider=provider, issuer=issuer, claim=claim, value=value, user=user,
                                              linked_by=acting_user(actor))
        audit_record(actor=actor, action="sso.link", obj=identity, after=snapshot(identity, IDENTITY_FIELDS))
        same = Q(provider=provider, issuer=issuer, claim=claim, value=value)
        if pending is not None:
            same |= Q(pk=pending.pk)
        for p in PendingLink.objects.select_for_update().filter(same, status=PendingStatus.PENDING).order_by("pk"):
            p.status, p.resolved_by, p.resolved_at, p.identity = (PendingStatus.LINKED, acting_user(actor),
                                                                  timezone.now(), identity)
            p.save(update_fields=["status", "resolved_by", "resolved_at", "identity"])
            audit_record(actor=actor, action="sso.pending_resolve", obj=p, before={"status": PendingStatus.PENDING},
                         after={"status": PendingStatus.LINKED, "identity": identity.pk})
    return identity


def link_from_pending(*, actor: Any, pending: PendingLink, username: Any) -> SsoIdentity:
    """Link the person of a pending login to an account."""
    _require_system_admin(actor)
    if pending.status != PendingStatus.PENDING:
        raise InputError("not_pending", "该登录记录已处理", "pending", "already resolved")
    return link_create(actor=actor, provider=pending.provider, issuer=pending.issuer, claim=pending.claim,
                       value=pending.value, username=username, pending=pending)


def pending_dismiss(*, actor: Any, pending: PendingLink) -> PendingLink:
    """Close a pending login without a link (not a person of this system); a later login opens a new one."""
    _require_system_admin(actor)
    with transaction.atomic():
        locked = PendingLink.objects.select_for_update().get(pk=pending.pk)
        if locked.status != PendingStatus.PENDING:
            raise InputError("not_pending", "该登录记录已处理", "pending", "already resolved")
        locked.status, locked.resolved_by, locked.resolved_at = (PendingStatus.DISMISSED, acting_user(actor),
                                                                 timezone.now())
        locked.save(update_fields=["status", "resolved_by", "resolved_at"])
        audit_record(actor=actor, action="sso.pending_dismiss", obj=locked, before={"status": PendingStatus.PENDING},
                     after={"status": PendingStatus.DISMISSED})
    return locked


def link_remove(*, actor: Any, identity: SsoIdentity) -> None:
    """Remove a link: that person can no longer log in as the account through SSO."""
    _require_system_admin(actor)
    with transaction.atomic():
        before = snapshot(identity, IDENTITY_FIELDS)
        audit_record(actor=actor, action="sso.unlink", obj=identity, before=before)
        identity.delete()
