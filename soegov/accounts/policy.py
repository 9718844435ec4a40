"""The authentication policy as questions the middleware and views ask."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone


def totp_required(user: Any) -> bool:
    """Whether the user's role must pass a TOTP second factor."""
    return bool(settings.SOEGOV_TOTP_REQUIRED) and user.role in settings.SOEGOV_TOTP_REQUIRED_ROLES


def has_totp_device(user: Any) -> bool:
    """Whether the user has a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# How a session logged in through single sign-on ({"provider": ..., "mfa": bool}), set by soegov.identity.
SSO_SESSION_KEY = "soegov_sso"


def sso_login(request: Any) -> dict[str, Any]:
    """The SSO facts of this session ({} after a password login)."""
    value = request.session.get(SSO_SESSION_KEY) if hasattr(request, "session") else None
    return value if isinstance(value, dict) else {}


def second_factor_pending(request: Any) -> bool:
    """Logged in but not yet past the TOTP step that applies to them."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_verified():
        return False
    # The identity provider asserted a second factor of its own (amr values accepted by the deployment).
    if sso_login(request).get("mfa") is True:
        return False
    # A user who enrolled a device must use it even when their role does not require one.
    return totp_required(user) or has_totp_device(user)


def password_expired(user: Any) -> bool:
    """Whether the password is older than the configured maximum age."""
    days = int(settings.SOEGOV_PASSWORD_MAX_AGE_DAYS)
    if days <= 0 or user.password_changed_at is None:
        return False
    return bool(timezone.now() - user.password_changed_at > timedelta(days=days))


def account_locked(user: Any) -> bool:
    """Whether the login lockout (django-axes: too many wrong passwords) currently holds the account."""
    from axes.models import AccessAttempt

    limit = int(settings.AXES_FAILURE_LIMIT)
    recent = timezone.now() - settings.AXES_COOLOFF_TIME if settings.AXES_COOLOFF_TIME else None
    attempts = AccessAttempt.objects.filter(username=user.username, failures_since_start__gte=limit)
    if recent is not None:
        attempts = attempts.filter(attempt_time__gte=recent)
    return attempts.exists()


def token_refusal(token: Any) -> str | None:
    """Why a token may not be used now (Chinese, for the client and the audit trail), or None.

    A token obeys its holder's rules: it stops with the account (disabled, locked, password expired or changed
    after the token was made, TOTP required but no longer enrolled, moved to another jurisdiction) and at its
    own expiry or revocation.
    """
    user = token.user
    if token.revoked:
        return "令牌已吊销"
    if token.expired:
        return "令牌已过期"
    if not user.is_active:
        return "账号已停用"
    if account_locked(user):
        return "账号已被锁定"
    if password_expired(user):
        return "账号密码已过期，请登录修改密码后重新创建令牌"
    if user.password_changed_at and user.password_changed_at > token.created_at:
        return "令牌创建后账号密码已修改，令牌失效"
    if totp_required(user) and not has_totp_device(user):
        return "账号须使用动态口令但未绑定，令牌暂停使用"
    if token.jurisdiction_id != user.home_jurisdiction_id:
        return "账号所属辖区已变更，令牌失效"
    return None
