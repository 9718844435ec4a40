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
