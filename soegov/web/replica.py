"""A read replica for the heavy read-only pages: a database router and the middleware that opts a view in.

Only GET/HEAD requests to the views named in SOEGOV_REPLICA_VIEWS read from the `replica` database, and
only the business apps' tables: sessions, accounts, lockouts, second factors and jobs are always read from
the primary (a login or a job started a moment ago may not have reached the replica yet). A read inside a
transaction, or any query marked for writing (select_for_update, get_or_create), goes to the primary.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_use_replica: ContextVar[bool] = ContextVar("soegov_use_replica", default=False)
# Tables whose freshness a request depends on: never read from a replica that may lag.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "axes", "otp_totp", "otp_static", "django_otp",
                               "jobs", "contenttypes"})


class ReplicaRouter:
    """Reads of business tables go to the replica while a replica view runs; everything else to default."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        """The replica for an opted-in view's business reads, outside any transaction."""
        if not _use_replica.get() or REPLICA not in settings.DATABASES:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        """Writes always go to the primary."""
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        """The replica holds the same rows as the primary, so objects from either relate."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """The replica is a copy the database server keeps; it is never migrated by soegov."""
        return db != REPLICA


class ReplicaMiddleware:
    """Marks GET/HEAD requests to the views in SOEGOV_REPLICA_VIEWS as served from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = frozenset(settings.SOEGOV_REPLICA_VIEWS)
        self.enabled = REPLICA in settings.DATABASES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            # Server threads are reused: the next request on this thread starts on the primary.
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _use_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        """Switch the replica on for this request's view when it is one of the named read-only views."""
        if not self.enabled or request.method not in {"GET", "HEAD"}:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.views:
            token = _use_replica.set(True)
            request._replica_token = token
        return None


def reading_replica() -> bool:
    """Whether this request reads business tables from the replica (for tests and the page footer)."""
    return _use_replica.get() and REPLICA in settings.DATABASES
