"""Reads of the collector, scoped to what the user may see (enterprise_scope_q)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from soegov.collector.models import CollectorKey, OutboxPackage
from soegov.enterprises.selectors import enterprise_scope_q


def outbox(*, user: Any) -> QuerySet[OutboxPackage]:
    """The outbox of the enterprises in the user's scope, newest first."""
    return (OutboxPackage.objects.filter(enterprise_scope_q(user, "enterprise__"))
            .select_related("enterprise").order_by("-created_at", "-id"))


def keys() -> QuerySet[CollectorKey]:
    """Every key this collector issued, newest first (for its administrators and the command line)."""
    return CollectorKey.objects.select_related("enterprise").order_by("-created_at", "-id")
