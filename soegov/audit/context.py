"""Who is acting and from where, for the audit entries written during one request."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("soegov_current_ip", default=None)


def client_ip(request: object) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; proxies are not trusted by default)."""
    meta = getattr(request, "META", {})
    addr: str | None = meta.get("REMOTE_ADDR")
    return addr
