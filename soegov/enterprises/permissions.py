"""Who may act on an enterprise: the checks every app's services make before a write.

actor None is the system itself (the CLI, the demo loader), which the audit trail records as such.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied

from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q

OUT_OF_SCOPE = "该企业不在您的范围内"


def require_role_in_scope(actor: Any, roles: Collection[str], enterprise: Enterprise | None, refused: str,
                          out_of_scope: str = OUT_OF_SCOPE) -> None:
    """PermissionDenied unless the actor has one of the roles and (if given and saved) the enterprise is in scope."""
    if actor is None:
        return
    if actor.role not in roles:
        raise PermissionDenied(refused)
    if (enterprise is not None and enterprise.pk is not None
            and not Enterprise.objects.filter(enterprise_scope_q(actor), pk=enterprise.pk).exists()):
        raise PermissionDenied(out_of_scope)


def require_supervisor_of(actor: Any, roles: Collection[str], enterprise: Enterprise, refused: str) -> None:
    """PermissionDenied unless the actor is a supervisor with one of the roles in the enterprise's jurisdiction."""
    if actor is None:
        return
    if actor.role not in roles or actor.jurisdiction_id != enterprise.jurisdiction_id:
        raise PermissionDenied(refused)
