"""Whether the identity providers answer, for the login page and the administrator's page.

A probe waits at most SOEGOV_SSO_TIMEOUT_SECONDS and its answer is kept for STATUS_TTL seconds, so a provider
that is down costs one slow request per half minute, not one per login page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from soegov.identity.config import (
    DISCOVERY_CACHE_KEY,
    DISCOVERY_TTL_SECONDS,
    ProviderUnavailable,
    cas_enabled,
    fetch_discovery,
    oidc_enabled,
)

STATUS_TTL = 30


@dataclass(frozen=True)
class ProviderStatus:
    """One configured provider as the login page shows it."""

    code: str
    label: str
    login_url: str
    problem: str  # "" when it answered

    @property
    def up(self) -> bool:
        return not self.problem


def probe_oidc() -> str:
    """"" when the discovery document can be fetched (and refreshes the cached copy), else why not."""
    if not settings.SOEGOV_OIDC_DISCOVERY_URL:
        return ""
    key = "soegov:identity:oidc-problem"
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    try:
        doc = fetch_discovery()
    except ProviderUnavailable as exc:
        problem = exc.message
    else:
        cache.set(DISCOVERY_CACHE_KEY, doc, DISCOVERY_TTL_SECONDS)
        problem = ""
    cache.set(key, problem, STATUS_TTL)
    return problem


def probe_cas() -> str:
    """"" when the CAS server's login page answers, else why not."""
    import requests

    key = "soegov:identity:cas-problem"
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    url = settings.CAS_SERVER_URL.rstrip("/") + "/login"
    try:
        response = requests.get(url, timeout=settings.SOEGOV_SSO_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.Timeout:
        problem = f"连接 {url} 超时"
    except requests.RequestException as exc:
        problem = f"无法连接 {url}（{type(exc).__name__}）"
    else:
        problem = f"{url} 返回 HTTP {response.status_code}" if response.status_code >= 500 else ""
    cache.set(key, problem, STATUS_TTL)
    return problem


def forget() -> None:
    """Drop the cached answers (after a failed login showed the provider down, or in tests)."""
    cache.delete_many(["soegov:identity:oidc-problem", "soegov:identity:cas-problem", DISCOVERY_CACHE_KEY])


def configured() -> list[ProviderStatus]:
    """The configured providers with their login addresses, without probing them."""
    items = []
    if oidc_enabled():
        items.append(ProviderStatus("oidc", settings.SOEGOV_OIDC_LABEL, reverse("identity:oidc_login"), ""))
    if cas_enabled():
        items.append(ProviderStatus("cas", settings.SOEGOV_CAS_LABEL, reverse("identity:cas_login"), ""))
    return items


def probed() -> list[ProviderStatus]:
    """The configured providers, each probed (answers cached for STATUS_TTL seconds)."""
    out = []
    for p in configured():
        problem = probe_oidc() if p.code == "oidc" else probe_cas()
        out.append(ProviderStatus(p.code, p.label, p.login_url, problem))
    return out
