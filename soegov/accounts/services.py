"""Writes on accounts: creation with role rules, passwords, API tokens, unlocking, TOTP enrolment."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from soegov.accounts.audit_actions import AccountAction
from soegov.accounts.models import AdminApproval, ApiToken, User
from soegov.accounts.roles import ADMIN_ROLES, ENTERPRISE_ROLES, ROLE_LABELS, SUPERVISOR_ROLES, Role
from soegov.audit.services import audit_record, snapshot
from soegov.core.errors import InputError

USER_FIELDS = ["username", "full_name", "role", "enterprise", "jurisdiction", "is_active"]


def _validate_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InputError("weak_password", "；".join(exc.messages), "password", "; ".join(exc.messages)) from None


def user_create(
    *, actor: Any, username: str, password: str = "", role: str, enterprise: Any = None, jurisdiction: Any = None,
    full_name: str = "", password_hash: str = "",
) -> User:
    """Create an account with exactly one role, bound to an enterprise or a jurisdiction as the role needs.

    An administrator account created by the system administrator is made inactive and without a password, and
    waits for a security administrator's approval (admin_approval_decide); the password the form may carry is
    ignored, so its creator never knows it. actor None (the `soegov createadmin` operator on the host, the demo
    loader) creates it directly.

    password_hash, for the demo loader (actor None) only, is a password already hashed, set as it is: the demo's
    published password is one the policy refuses on purpose, and hashing it again for each account (PBKDF2, slow
    on purpose) took a quarter of a second an account.
    """
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以创建账号")
    if password_hash and actor is not None:
        raise PermissionDenied("只有主机上的操作员可以设置已散列的密码")
    username = (username or "").strip()
    if not username:
        raise InputError("required", "用户名不能为空", "username", "username is required")
    if User.objects.filter(username=username).exists():
        raise InputError("duplicate", f"用户名 {username} 已存在", "username", "username exists")
    if role not in ROLE_LABELS:
        raise InputError("invalid_choice", f"角色“{role}”无效", "role", f"invalid role {role!r}")
    if role in ENTERPRISE_ROLES and enterprise is None:
        raise InputError("required", "企业角色必须指定所属企业", "enterprise", "enterprise roles need an enterprise")
    if role in SUPERVISOR_ROLES and jurisdiction is None:
        raise InputError("required", "监管角色必须指定所属监管机构", "jurisdiction", "supervisor roles need a jurisdiction")
    if role not in ENTERPRISE_ROLES:
        enterprise = None
    if role not in SUPERVISOR_ROLES:
        jurisdiction = None
    user = User(username=username, role=role, enterprise=enterprise, jurisdiction=jurisdiction, full_name=full_name)
    dual_control = actor is not None and role in ADMIN_ROLES
    if not dual_control and not password_hash:
        _validate_password(password, user)
    with transaction.atomic():
        if dual_control:
            user.set_unusable_password()
            user.is_active = False
        elif password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        audit_record(actor=actor, action="user.create", obj=user, after=snapshot(user, USER_FIELDS))
        if dual_control:
            _request_approval(actor=actor, user=user, kind=AdminApproval.CREATE)
    return user


def _request_approval(*, actor: User, user: User, kind: str) -> AdminApproval:
    if AdminApproval.objects.filter(user=user, decided_at__isnull=True).exists():
        raise InputError("approval_pending", f"账号 {user.username} 已有待安全管理员确认的申请", "user",
                         "an approval request for this account is already open")
    approval = AdminApproval.objects.create(user=user, kind=kind, requested_by=actor)
    audit_record(actor=actor, action=AccountAction.ADMIN_REQUEST, obj=user,
                 after={"kind": kind, "role": user.role, "approval": approval.pk})
    return approval


def admin_approval_decide(*, actor: User, approval: AdminApproval, approve: bool) -> AdminApproval:
    """A security administrator approves or refuses a request to create or re-enable an administrator account.

    Approving a new account activates it; its holder then sets the first password through the one-time link
    (first_password_link), which the approver hands over, never the system administrator who asked.
    """
    if actor.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以确认管理员账号")
    if approval.requested_by_id == actor.pk or approval.user_id == actor.pk:
        raise PermissionDenied("申请人或账号本人不能确认自己的申请")
    with transaction.atomic():
        locked = AdminApproval.objects.select_for_update().get(pk=approval.pk)
        if locked.decided_at is not None:
            raise InputError("approval_decided", "该申请已处理", "approval", "this request was already decided")
        user = User.objects.select_for_update().get(pk=locked.user_id)
        locked.decided_by, locked.decided_at, locked.approved = actor, timezone.now(), approve
        locked.save(update_fields=["decided_by", "decided_at", "approved"])
        if approve:
            user.is_active = True
            user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AccountAction.ADMIN_APPROVE if approve else AccountAction.ADMIN_REFUSE,
                     obj=user, before={"is_active": False},
                     after={"is_active": user.is_active, "kind": locked.kind, "approval": locked.pk,
                            "requested_by": locked.requested_by.username if locked.requested_by else None})
    return locked


def first_password_link(user: User) -> str:
    """The path of the one-time page where the holder of a new account sets its first password.

    Django's password-reset token: it stops working once a password is set (the hash it signs changes) and
    after PASSWORD_RESET_TIMEOUT.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:first_password", args=[uid, default_token_generator.make_token(user)])


def first_password_user(uidb64: str, token: str) -> User | None:
    """The account a one-time link is for, while the link is still valid; else None."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode("ascii"))
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or user.has_usable_password() or not default_token_generator.check_token(user, token):
        return None
    return user


def first_password_set(*, user: User, password: str) -> User:
    """The holder sets the first password of an approved administrator account (the link is then used up)."""
    if user.has_usable_password():
        raise PermissionDenied("该账号已设置密码，链接已失效")
    _validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        audit_record(actor=user, action=AccountAction.FIRST_PASSWORD, obj=user)
    return user


def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """The user changes their own password, which restarts its expiry clock."""
    if not actor.check_password(old_password):
        raise InputError("wrong_password", "原密码不正确", "old_password", "wrong current password")
    if old_password == new_password:
        raise InputError("same_password", "新密码不能与原密码相同", "new_password", "new password equals the old one")
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as exc:
        raise InputError("weak_password", "；".join(exc.messages), "new_password", "; ".join(exc.messages)) from None
    with transaction.atomic():
        actor.set_password(new_password)
        actor.password_changed_at = timezone.now()
        actor.save(update_fields=["password", "password_changed_at"])
        audit_record(actor=actor, action="user.password_change", obj=actor)
        # A new password ends the tokens made under the old one (the API also refuses them by date).
        revoked = ApiToken.objects.filter(user=actor, revoked=False).update(revoked=True)
        if revoked:
            audit_record(actor=actor, action="token.revoke", obj=actor, after={"revoked": revoked,
                                                                             "reason": "password_change"})
    return actor


def token_create(
    *, actor: User, name: str, scope: str = ApiToken.READ, days: Any = 90, apis: Any = (), otp_verified: bool = False,
) -> tuple[ApiToken, str]:
    """A new API token for the actor; the plain key is returned once and never stored.

    Made only from a session that passed TOTP (while the deployment requires TOTP at all), read-only unless
    asked, for the API parts chosen (none: all), expiring after `days` (at most SOEGOV_TOKEN_MAX_DAYS).
    """
    from django.conf import settings

    from soegov.accounts.models import API_AREAS

    if settings.SOEGOV_TOTP_REQUIRED and not otp_verified:
        raise InputError("otp_required", "创建接口令牌前须先完成动态口令验证（未绑定的请先在“动态口令”页面绑定）", "name",
                         "a token is created only from a session verified with TOTP")
    name = (name or "").strip()
    if not name:
        raise InputError("required", "令牌名称不能为空", "name", "token name is required")
    if scope not in (ApiToken.READ, ApiToken.WRITE):
        raise InputError("invalid_choice", f"令牌权限“{scope}”无效，应为只读或读写", "scope", "scope is read or write")
    limit = int(settings.SOEGOV_TOKEN_MAX_DAYS)
    try:
        n_days = int(str(days).strip())
    except ValueError:
        n_days = 0
    if not 1 <= n_days <= limit:
        raise InputError("invalid_days", f"有效天数应为 1 到 {limit} 之间的整数：{days}", "days",
                         f"days must be a whole number from 1 to {limit}")
    chosen = sorted({str(a) for a in apis})
    unknown = [a for a in chosen if a not in API_AREAS]
    if unknown:
        raise InputError("invalid_choice", f"接口范围无效：{'、'.join(unknown)}", "apis", f"unknown API parts {unknown}")
    key = "sg_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name[:100], key_hash=ApiToken.hash_key(key), prefix=key[:8], scope=scope, apis=chosen,
            jurisdiction_id=actor.home_jurisdiction_id, expires_at=timezone.now() + timedelta(days=n_days))
        audit_record(actor=actor, action="token.create", obj=token,
                     after={"name": token.name, "prefix": token.prefix, "scope": scope, "apis": chosen,
                            "expires_at": token.expires_at.isoformat(), "jurisdiction": token.jurisdiction_id})
    return token, key


def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens."""
    if token.user_id != actor.pk:
        raise PermissionDenied("只能吊销自己的令牌")
    with transaction.atomic():
        token.revoked = True
        token.save(update_fields=["revoked"])
        audit_record(actor=actor, action="token.revoke", obj=token, before={"revoked": False}, after={"revoked": True})


def account_unlock(*, actor: User, username: str) -> int:
    """The security administrator lifts a lockout; returns how many lock records were cleared."""
    if actor.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以解锁账号")
    from axes.utils import reset

    with transaction.atomic():
        count = int(reset(username=username))
        audit_record(actor=actor, action="user.unlock", object_type="accounts.user", object_repr=username,
                     after={"cleared": count})
    return count


def totp_reset(*, actor: User, user: User) -> None:
    """The security administrator removes a user's TOTP devices so they enrol again."""
    if actor.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以重置动态口令")
    with transaction.atomic():
        n = TOTPDevice.objects.filter(user=user).count()
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action="user.totp_reset", obj=user, before={"devices": n}, after={"devices": 0})


def totp_device_start(*, actor: User) -> TOTPDevice:
    """An unconfirmed TOTP device for enrolment (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="TOTP", confirmed=False)


def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm enrolment with a first code from the authenticator app."""
    if device.user_id != actor.pk:
        raise PermissionDenied("设备不属于当前用户")
    if not (token or "").strip().isdigit() or not device.verify_token(token.strip()):
        raise InputError("invalid_otp", "动态口令不正确，请核对手机上的 6 位数字", "token", "wrong one-time code")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        audit_record(actor=actor, action="user.totp_enrol", obj=actor)
    return device


def user_set_full_name(*, actor: Any, user: User, full_name: str) -> User:
    """Change the name shown for an account (the system administrator, or the HR sync as the system)."""
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以修改账号姓名")
    name = (full_name or "").strip()
    if not name or len(name) > 100:
        raise InputError("invalid_name", "姓名不能为空且不能超过 100 个字", "full_name", "name empty or too long")
    with transaction.atomic():
        before = {"full_name": user.full_name}
        user.full_name = name
        user.save(update_fields=["full_name"])
        audit_record(actor=actor, action="user.rename", obj=user, before=before, after={"full_name": name})
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """The system administrator enables or disables an account (accounts are never deleted); enabling an
    administrator account only files a request a security administrator decides."""
    if actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以停用或启用账号")
    if user.pk == actor.pk and not active:
        raise InputError("self_disable", "不能停用自己的账号", "is_active", "you cannot disable your own account")
    if active and user.role in ADMIN_ROLES and not user.is_active:
        # Re-enabling an administrator is dual-controlled like creating one: a security administrator decides.
        with transaction.atomic():
            _request_approval(actor=actor, user=user, kind=AdminApproval.ENABLE)
        return user
    with transaction.atomic():
        before = {"is_active": user.is_active}
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user.enable" if active else "user.disable", obj=user, before=before,
                     after={"is_active": active})
    return user


def user_set_language(*, actor: User, language: str) -> User:
    """The person chooses the interface language of his own account (kept for every later login)."""
    allowed = {code for code, _name in settings.LANGUAGES}
    if language not in allowed:
        raise InputError("invalid_language", f"界面语言只能是：{'、'.join(sorted(allowed))}", "language",
                         f"the interface language must be one of: {', '.join(sorted(allowed))}")
    if actor.language == language:
        return actor
    with transaction.atomic():
        before = {"language": actor.language}
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(actor=actor, action=AccountAction.LANGUAGE, obj=actor, before=before, after={"language": language})
    return actor
