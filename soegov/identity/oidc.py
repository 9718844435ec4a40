"""OpenID Connect login through mozilla-django-oidc: its request view and token, JWKS and userinfo code,
with the endpoints discovered, the ID token's issuer and audience checked, and the outcome decided by login.py.

mozilla-django-oidc's backend is not put in AUTHENTICATION_BACKENDS: the callback calls it directly, so a
failed SSO login never reaches django-axes as a failed password guess for an empty user name.
"""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from soegov.identity.config import ProviderUnavailable, oidc_enabled, oidc_issuer, oidc_setting
from soegov.identity.login import Assertion, asserts_second_factor, complete_login, refuse
from soegov.identity.models import Provider

PROVIDER = str(Provider.OIDC)


class AssertionRejected(Exception):
    """The provider answered, but what it sent cannot be accepted (wrong issuer, audience, signature...)."""


class OidcBackend(OIDCAuthenticationBackend):
    """The token exchange and ID-token verification of mozilla-django-oidc, endpoints resolved when used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def _resolve(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = oidc_setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = oidc_setting("OIDC_OP_USER_ENDPOINT", "")
        self.OIDC_OP_JWKS_ENDPOINT = oidc_setting("OIDC_OP_JWKS_ENDPOINT", None)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def assert_identity(self, request: HttpRequest, *, nonce: str | None, code_verifier: str | None) -> Assertion:
        """Exchange the code, verify the ID token and return who the provider says logged in."""
        self.request = request
        try:
            self._resolve()
            token_payload = {
                "client_id": self.OIDC_RP_CLIENT_ID,
                "client_secret": self.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": request.GET.get("code", ""),
                "redirect_uri": request.build_absolute_uri(_callback_path()),
            }
            if code_verifier is not None:
                token_payload["code_verifier"] = code_verifier
            token_info = self.get_token(token_payload)
            id_token = token_info.get("id_token") if isinstance(token_info, dict) else None
            if not isinstance(id_token, str):
                raise AssertionRejected("认证服务未返回 ID 令牌")
            payload = self.verify_token(id_token, nonce=nonce)
            self._check_claims(payload)
            claim = settings.SOEGOV_OIDC_LINK_CLAIM
            claims = dict(payload)
            if claim not in claims and self.OIDC_OP_USER_ENDPOINT:
                userinfo = self.get_userinfo(token_info.get("access_token"), id_token, payload)
                if isinstance(userinfo, dict) and userinfo.get("sub") == payload.get("sub"):
                    claims = {**userinfo, **payload}
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status >= 500:
                raise ProviderUnavailable(f"认证服务返回 HTTP {status}") from None
            raise AssertionRejected(f"认证服务拒绝了授权码（HTTP {status}），授权码可能已使用或已过期") from None
        except requests.Timeout:
            raise ProviderUnavailable("连接认证服务超时") from None
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"无法连接认证服务（{type(exc).__name__}）") from None
        except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError) as exc:
            raise AssertionRejected(f"ID 令牌校验失败（{exc}）") from None
        value = claims.get(claim)
        if value in (None, "") or isinstance(value, dict | list):
            raise AssertionRejected(f"认证服务未提供用于关联账号的字段 {claim}")
        return Assertion(provider=PROVIDER, issuer=oidc_issuer(), claim=claim, value=str(value)[:255],
                         mfa=asserts_second_factor(claims.get("amr")), claims=claims)

    def _check_claims(self, payload: dict[str, Any]) -> None:
        """The checks mozilla-django-oidc leaves to the relying party (OpenID Connect Core 3.1.3.7)."""
        issuer = oidc_issuer()
        if str(payload.get("iss", "")).rstrip("/") != issuer:
            raise AssertionRejected(f"ID 令牌的签发者 {payload.get('iss')} 不是 {issuer}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise AssertionRejected("ID 令牌不是签发给本系统的（aud 不符）")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise AssertionRejected("ID 令牌的 azp 不是本系统")
        if not payload.get("sub"):
            raise AssertionRejected("ID 令牌缺少 sub")


def _callback_path() -> str:
    from django.urls import reverse

    return reverse("identity:oidc_callback")


class OidcLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login page (state, nonce and PKCE kept in the session)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("未配置 OpenID Connect 登录")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            messages.error(request, f"统一身份认证服务暂时无法连接（{exc.message}），请稍后再试。"
                           + ("也可使用本地账号登录。" if settings.SOEGOV_LOCAL_LOGIN == "all" else ""))
            return _back_to_login(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


def _back_to_login(request: HttpRequest) -> HttpResponse:
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("accounts:login")
    next_url = request.GET.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("未配置 OpenID Connect 登录")
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if isinstance(states, dict) else None
        if entry is not None:
            # Used once: a replayed callback finds nothing.
            request.session["oidc_states"] = states
            request.session.save()
        next_url = request.session.get("oidc_login_next")
        if request.GET.get("error"):
            described = str(request.GET.get("error_description") or request.GET.get("error"))[:200]
            return refuse(request, "invalid", provider=PROVIDER, detail=f"认证服务返回错误：{described}",
                          next_url=next_url or "")
        if entry is None or not request.GET.get("code"):
            return refuse(request, "invalid", provider=PROVIDER, detail="登录请求已失效或不是从本系统发起的",
                          next_url=next_url or "")
        try:
            assertion = OidcBackend().assert_identity(request, nonce=entry.get("nonce"),
                                                      code_verifier=entry.get("code_verifier"))
        except ProviderUnavailable as exc:
            return refuse(request, "unavailable", provider=PROVIDER, detail=exc.message, next_url=next_url or "")
        except AssertionRejected as exc:
            return refuse(request, "invalid", provider=PROVIDER, detail=str(exc), next_url=next_url or "")
        return complete_login(request, assertion, next_url)
