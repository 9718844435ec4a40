"""Reads of the audit trail, for the audit administrator only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry


def audit_search(
    *, user: Any, q: str = "", action: str = "", actor: str = "", date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first; only the audit administrator may read them."""
    if getattr(user, "role", None) != Role.AUDIT_ADMIN:
        raise PermissionDenied("只有审计管理员可以查看审计日志")
    qs = AuditEntry.objects.all().order_by("-seq")
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(object_type__icontains=q) | Q(ip__icontains=q)
                       | Q(object_id=q))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
