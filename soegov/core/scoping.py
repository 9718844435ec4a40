"""Fetching one record from a queryset already limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from soegov.core.signals import access_denied


def scoped_get(scoped: QuerySet[Any], *, user: Any, pk: Any) -> Any:
    """The object from the scoped queryset, else 404; an object that exists out of scope is a denial, audited."""
    try:
        return scoped.get(pk=pk)
    except (scoped.model.DoesNotExist, ValueError, TypeError, OverflowError):
        pass
    model: type[Model] = scoped.model
    try:
        exists = model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError, OverflowError):
        exists = False
    if exists:
        access_denied.send(sender=model, user=user, object_type=model._meta.label_lower, object_id=str(pk))
    raise Http404("对象不存在或不在您的范围内")
