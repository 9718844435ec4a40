"""Reads of the registry, scoped to what the user may see: scoping lives here and nowhere else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from soegov.accounts.roles import ENTERPRISE_ROLES, SUPERVISOR_ROLES
from soegov.core.paging import Filter
from soegov.core.scoping import scoped_get
from soegov.enterprises.models import BodyMember, DecisionBody, Enterprise, Jurisdiction

# What the enterprise lists (registry, leaders) filter by, and the fields their keyword searches.
ENTERPRISE_FILTERS = (
    Filter("jurisdiction", "监管辖区", "jurisdiction_id", "int"),
    Filter("level", "层级", "level", "int"),
)
ENTERPRISE_SEARCH = ("name", "uscc")


def enterprise_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter on Enterprise (through `prefix`) limited to the user's enterprise subtree or jurisdiction."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.role in ENTERPRISE_ROLES and user.enterprise_id:
        return Q(**{f"{prefix}path__startswith": user.enterprise.path})
    if user.role in SUPERVISOR_ROLES and user.jurisdiction_id:
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    # Everyone else, the three administrators included, sees no enterprise's records (三员分立).
    return Q(pk__in=[])


def in_scope(user: Any, enterprise_id: Any) -> bool:
    """Whether the enterprise (by id) is one the user may see (the check services run before a write)."""
    return Enterprise.objects.filter(enterprise_scope_q(user), pk=enterprise_id).exists()


def enterprise_list(*, user: Any, jurisdiction: Jurisdiction | None = None, q: str = "") -> QuerySet[Enterprise]:
    """Enterprises the user may see, in tree order."""
    qs = Enterprise.objects.filter(enterprise_scope_q(user)).select_related("jurisdiction", "parent")
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q))
    return qs.order_by("jurisdiction__code", "path")


def enterprise_get(*, user: Any, pk: int) -> Enterprise:
    """One enterprise the user may see, else 404 (so other enterprises' existence is not revealed)."""
    return scoped_get(enterprise_list(user=user), user=user, pk=pk)


def enterprise_chosen(*, user: Any, raw: Any) -> Enterprise:
    """The enterprise picked on a form (its id), else the user's own; a SoegovError naming the field otherwise."""
    from soegov.core.errors import SoegovError

    text = str(raw or "").strip()
    if text.isdigit():
        try:
            return enterprise_get(user=user, pk=int(text))
        except Http404:
            raise SoegovError("invalid_enterprise", "所选企业不存在或不在您的范围内", "enterprise") from None
    if user.enterprise is None:
        raise SoegovError("required", "请选择企业", "enterprise")
    return user.enterprise


def enterprise_subtree(enterprise: Enterprise) -> QuerySet[Enterprise]:
    """The enterprise and all below it."""
    return Enterprise.objects.filter(path__startswith=enterprise.path).order_by("path")


def jurisdiction_list(*, user: Any) -> QuerySet[Jurisdiction]:
    """Jurisdictions the user works in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Jurisdiction.objects.none()
    if user.role in SUPERVISOR_ROLES and user.jurisdiction_id:
        return Jurisdiction.objects.filter(pk=user.jurisdiction_id)
    if user.role in ENTERPRISE_ROLES and user.enterprise_id:
        return Jurisdiction.objects.filter(pk=user.enterprise.jurisdiction_id)
    return Jurisdiction.objects.none()


def body_list(*, user: Any, enterprise: Enterprise | None = None) -> QuerySet[DecisionBody]:
    """Decision bodies of enterprises the user may see."""
    qs = DecisionBody.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.order_by("enterprise__path", "kind")


def body_get(*, user: Any, pk: int) -> DecisionBody:
    """One decision body the user may see, else 404."""
    return scoped_get(body_list(user=user), user=user, pk=pk)


def member_get(*, user: Any, pk: int) -> BodyMember:
    """One member of a body the user may see, else 404."""
    qs = BodyMember.objects.filter(enterprise_scope_q(user, "body__enterprise__")).select_related("body")
    return scoped_get(qs, user=user, pk=pk)
