"""API authentication: bearer tokens under their holder's rules, or the browser session once login is complete."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from soegov.accounts.audit_actions import AccountAction
from soegov.accounts.models import ApiToken, api_area
from soegov.accounts.networks import admin_address_allowed
from soegov.accounts.policy import token_refusal
from soegov.accounts.roles import ADMIN_ROLES
from soegov.audit.context import client_ip
from soegov.audit.services import audit_record

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Why the last token was refused, read by the 401 handler so the client is told (never which tokens exist).
REFUSAL_ATTR = "soegov_token_refusal"
# The API parts (accounts.models.API_AREAS) a token limited to some holds; an endpoint that spans parts (the
# global search) reads it to answer from those parts only. Absent for a session or an unlimited token.
TOKEN_AREAS_ATTR = "soegov_token_areas"


class TokenRateLimited(Exception):
    """Too many refused tokens from one address in the current minute."""


def _failure_key(request: HttpRequest) -> str:
    return f"tokfail:{client_ip(request) or '-'}:{int(time.time() // 60)}"


def _check_rate(request: HttpRequest) -> None:
    limit = int(settings.SOEGOV_TOKEN_FAILURES_PER_MINUTE)
    if limit > 0 and int(cache.get(_failure_key(request), 0)) >= limit:
        # One audit entry per address and minute, however many tries follow: the trail records the attack, not
        # every packet of it.
        if cache.add(_failure_key(request) + ":logged", 1, timeout=70):
            audit_record(actor=None, action=AccountAction.TOKEN_RATE_LIMITED, object_type="accounts.apitoken",
                         object_repr=request.path[:255], after={"limit_per_minute": limit})
        raise TokenRateLimited


def _refuse(request: HttpRequest, reason: str, token: ApiToken | None, presented: str) -> None:
    key = _failure_key(request)
    if cache.add(key, 1, timeout=70) is False:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=70)
    setattr(request, REFUSAL_ATTR, reason)
    audit_record(actor=None, action=AccountAction.TOKEN_REJECTED, obj=token,
                 object_type="accounts.apitoken", object_repr=(str(token) if token else presented[:8] + "…"),
                 actor_name=token.user.username if token else None,
                 after={"reason": reason, "path": request.path[:200], "method": request.method})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sg_…` with a token from the API-token page, under the holder's own rules."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's user, or None (401); PermissionDenied (403) when the token may not make this request."""
        _check_rate(request)
        found = ApiToken.objects.select_related("user", "user__enterprise").filter(
            key_hash=ApiToken.hash_key(token)).first()
        reason = "令牌无效" if found is None else token_refusal(found)
        if reason is None and found is not None and found.user.role in ADMIN_ROLES and not admin_address_allowed(request):
            reason = "管理员的令牌只能从指定的管理网段使用（SOEGOV_ADMIN_NETWORKS）"
        if found is None or reason is not None:
            _refuse(request, reason or "令牌无效", found, token)
            return None
        if found.scope != ApiToken.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied("该令牌为只读令牌，不能修改数据")
        area = api_area(request.path)
        if found.apis and area is not None and area not in found.apis:
            raise PermissionDenied(f"该令牌无权调用此接口（仅限：{found.apis_label}）")
        if found.apis:
            setattr(request, TOKEN_AREAS_ATTR, frozenset(found.apis))
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
