"""Who is acting and from where, for the audit entries written during one request."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("soegov_current_ip", default=None)


def client_ip(request: object) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted reverse proxy the address it reports.

    With SOEGOV_TRUST_PROXY=1 the last X-Forwarded-For entry is used: the one our own proxy appended,
    which a client cannot forge (entries before it can be).
    """
    from django.conf import settings

    meta = getattr(request, "META", {})
    if getattr(settings, "SOEGOV_TRUST_PROXY", False):
        forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if forwarded:
            return forwarded[:64]
    addr: str | None = meta.get("REMOTE_ADDR")
    return addr
