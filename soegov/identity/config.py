"""Which providers a deployment has turned on, and the OpenID Connect endpoints (configured or discovered).

Settings are read at call time, never cached at import, so a test or an operator's change applies at once.
The discovery document is fetched on first use and kept in the cache for an hour; when the provider
cannot be reached, ProviderUnavailable says so in words the login page can show.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

DISCOVERY_CACHE_KEY = "soegov:identity:oidc-discovery"
DISCOVERY_TTL_SECONDS = 3600
# Endpoint setting (mozilla-django-oidc's name) -> key in the discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
REQUIRED_DISCOVERY_KEYS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The identity provider did not answer, or answered with something that is not what the protocol says."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def oidc_enabled() -> bool:
    """Whether OpenID Connect login is configured (a client id, and a discovery URL or endpoints)."""
    return bool(settings.OIDC_RP_CLIENT_ID and (settings.SOEGOV_OIDC_DISCOVERY_URL
                                                 or settings.OIDC_OP_AUTHORIZATION_ENDPOINT))


def cas_enabled() -> bool:
    """Whether CAS login is configured."""
    return bool(settings.CAS_SERVER_URL)


def cas_issuer() -> str:
    """The CAS server's address as recorded in identities (without a trailing slash)."""
    return str(settings.CAS_SERVER_URL).rstrip("/")


def url_problem(value: str) -> str:
    """Why a configured address is not a usable http(s) URL ("" when it is)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return "不是有效的网址"
    if parts.scheme not in {"http", "https"}:
        return "应以 http:// 或 https:// 开头"
    if not parts.hostname:
        return "缺少主机名"
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        return "端口无效"
    if any(c.isspace() for c in value):
        return "含有空白字符"
    return ""


def fetch_discovery(timeout: float | None = None) -> dict[str, Any]:
    """The provider's discovery document, fetched now; ProviderUnavailable when it cannot be had."""
    import requests

    url = settings.SOEGOV_OIDC_DISCOVERY_URL
    try:
        response = requests.get(url, timeout=timeout or settings.SOEGOV_SSO_TIMEOUT_SECONDS,
                                headers={"Accept": "application/json"})
    except requests.Timeout:
        raise ProviderUnavailable(f"连接 {url} 超时") from None
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"无法连接 {url}（{type(exc).__name__}）") from None
    if response.status_code != 200:
        raise ProviderUnavailable(f"{url} 返回 HTTP {response.status_code}")
    try:
        doc = response.json()
    except ValueError:
        raise ProviderUnavailable(f"{url} 返回的不是 JSON 格式的发现文档") from None
    if not isinstance(doc, dict):
        raise ProviderUnavailable(f"{url} 返回的不是 JSON 对象")
    missing = [k for k in REQUIRED_DISCOVERY_KEYS if not isinstance(doc.get(k), str) or not doc.get(k)]
    if missing:
        raise ProviderUnavailable(f"{url} 的发现文档缺少 {', '.join(missing)}")
    expected = settings.SOEGOV_OIDC_ISSUER
    if expected and doc["issuer"].rstrip("/") != expected:
        raise ProviderUnavailable(f"发现文档中的签发者 {doc['issuer']} 与配置的 SOEGOV_OIDC_ISSUER {expected} 不一致")
    return doc


def discovery() -> dict[str, Any]:
    """The discovery document, from the cache when fetched within the hour."""
    doc = cache.get(DISCOVERY_CACHE_KEY)
    if doc is None:
        doc = fetch_discovery()
        cache.set(DISCOVERY_CACHE_KEY, doc, DISCOVERY_TTL_SECONDS)
    return dict(doc)


def oidc_setting(name: str, *default: Any) -> Any:
    """A setting as mozilla-django-oidc asks for it: endpoints configured or else discovered."""
    if name in ENDPOINTS:
        configured = getattr(settings, name, "")
        if configured:
            return configured
        if not settings.SOEGOV_OIDC_DISCOVERY_URL:
            return default[0] if default else ""
        return discovery().get(ENDPOINTS[name]) or (default[0] if default else "")
    if name == "OIDC_AUTHENTICATION_CALLBACK_URL":
        return "identity:oidc_callback"
    if name == "OIDC_RP_IDP_SIGN_KEY":
        return None
    if default:
        return getattr(settings, name, default[0])
    return getattr(settings, name)


def oidc_issuer() -> str:
    """The issuer recorded in identities and required in ID tokens."""
    configured = str(settings.SOEGOV_OIDC_ISSUER)
    if configured:
        return configured
    # The start-up check requires SOEGOV_OIDC_ISSUER when the endpoints are configured without discovery.
    return str(discovery()["issuer"]).rstrip("/")
