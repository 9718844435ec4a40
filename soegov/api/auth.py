"""API authentication: bearer tokens, or the browser session once login is complete (TOTP included)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from soegov.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sg_…` with a token from the API-token page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's user, or None."""
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class CompleteSessionAuth(APIKeyCookie):
    """The Django session, accepted only when the security middleware let the request through."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """The logged-in user, or None."""
        from soegov.accounts.policy import second_factor_pending

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or second_factor_pending(request):
            return None
        return user
