"""The SSO settings read from the environment (SOEGOV_OIDC_*, SOEGOV_CAS_*, SOEGOV_SSO_*, SOEGOV_LOCAL_LOGIN).

Plain Python, imported by the settings module: it names the settings of mozilla-django-oidc (OIDC_*) and
django-cas-ng (CAS_*) so both libraries read one deployment's choices, and soegov's own (SOEGOV_*).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

# amr values (RFC 8176) that say the provider checked a second factor; a deployment may add its own.
DEFAULT_MFA_VALUES = "mfa,otp,hwk"


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def read_secret(env: Mapping[str, str], name: str) -> str:
    """$NAME, else the content of the file $NAME_FILE (so a secret need not sit in the environment)."""
    value = env.get(name, "")
    path = env.get(f"{name}_FILE", "")
    if not value and path:
        try:
            with open(path, encoding="utf-8") as fh:
                value = fh.read().strip()
        except OSError:
            # Reported by the start-up check, which names the file; settings must still load.
            value = ""
    return value


def timed_session() -> Any:
    """The HTTP session python-cas validates tickets with: every request has a time limit (python-cas sets none)."""
    import requests
    from django.conf import settings

    class TimedSession(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", settings.SOEGOV_SSO_TIMEOUT_SECONDS)
            return super().request(*args, **kwargs)

    return TimedSession()


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        return 5.0
    return value if 0 < value <= 120 else 5.0


def sso_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every SSO setting with its value from the environment (or its default)."""
    env = os.environ if env is None else env
    timeout = env.get("SOEGOV_SSO_TIMEOUT_SECONDS", "") or "5"
    issuer = env.get("SOEGOV_OIDC_ISSUER", "").strip().rstrip("/")
    return {
        # OpenID Connect (mozilla-django-oidc reads the OIDC_* names).
        "SOEGOV_OIDC_ISSUER": issuer,
        "SOEGOV_OIDC_DISCOVERY_URL": env.get("SOEGOV_OIDC_DISCOVERY_URL", "").strip()
        or (f"{issuer}/.well-known/openid-configuration" if issuer else ""),
        "SOEGOV_OIDC_LINK_CLAIM": env.get("SOEGOV_OIDC_LINK_CLAIM", "").strip() or "sub",
        "SOEGOV_OIDC_LABEL": env.get("SOEGOV_OIDC_LABEL", "").strip() or "统一身份认证登录",
        "OIDC_RP_CLIENT_ID": env.get("SOEGOV_OIDC_CLIENT_ID", "").strip(),
        "OIDC_RP_CLIENT_SECRET": read_secret(env, "SOEGOV_OIDC_CLIENT_SECRET"),
        "SOEGOV_OIDC_CLIENT_SECRET_FILE": env.get("SOEGOV_OIDC_CLIENT_SECRET_FILE", ""),
        "OIDC_RP_SCOPES": env.get("SOEGOV_OIDC_SCOPES", "").strip() or "openid profile",
        "OIDC_RP_SIGN_ALGO": env.get("SOEGOV_OIDC_SIGN_ALGO", "").strip() or "RS256",
        "OIDC_USE_PKCE": env.get("SOEGOV_OIDC_USE_PKCE", "1").strip().lower() not in {"0", "false", "no", "off"},
        "OIDC_TOKEN_USE_BASIC_AUTH": env.get("SOEGOV_OIDC_TOKEN_AUTH", "").strip() == "basic",
        "OIDC_TIMEOUT": _seconds(timeout),
        # Explicit endpoints win over the discovery document (a provider without discovery).
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env.get("SOEGOV_OIDC_AUTHORIZATION_ENDPOINT", "").strip(),
        "OIDC_OP_TOKEN_ENDPOINT": env.get("SOEGOV_OIDC_TOKEN_ENDPOINT", "").strip(),
        "OIDC_OP_USER_ENDPOINT": env.get("SOEGOV_OIDC_USERINFO_ENDPOINT", "").strip(),
        "OIDC_OP_JWKS_ENDPOINT": env.get("SOEGOV_OIDC_JWKS_ENDPOINT", "").strip(),
        # CAS 2/3 (django-cas-ng reads the CAS_* names).
        "CAS_SERVER_URL": env.get("SOEGOV_CAS_SERVER_URL", "").strip(),
        "CAS_VERSION": env.get("SOEGOV_CAS_VERSION", "").strip() or "3",
        "CAS_CREATE_USER": False,
        "CAS_STORE_NEXT": True,
        "CAS_LOGIN_MSG": None,
        "CAS_LOGGED_MSG": None,
        "CAS_RETRY_LOGIN": False,
        "CAS_REDIRECT_URL": "/",
        "CAS_IGNORE_REFERER": True,
        "CAS_SESSION_FACTORY": timed_session,
        "SOEGOV_CAS_LINK_ATTRIBUTE": env.get("SOEGOV_CAS_LINK_ATTRIBUTE", "").strip(),
        "SOEGOV_CAS_MFA_ATTRIBUTE": env.get("SOEGOV_CAS_MFA_ATTRIBUTE", "").strip(),
        "SOEGOV_CAS_LABEL": env.get("SOEGOV_CAS_LABEL", "").strip() or "CAS 统一认证登录",
        # Both.
        "SOEGOV_SSO_MFA_VALUES": _list(env.get("SOEGOV_SSO_MFA_VALUES", "") or DEFAULT_MFA_VALUES),
        "SOEGOV_SSO_TIMEOUT_SECONDS": _seconds(timeout),
        "SOEGOV_SSO_TIMEOUT_RAW": timeout,
        # Who may still log in with a local password: "all" (default) or "admins" (the three administrators).
        "SOEGOV_LOCAL_LOGIN": env.get("SOEGOV_LOCAL_LOGIN", "").strip().lower() or "all",
    }
