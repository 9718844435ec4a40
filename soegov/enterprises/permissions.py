"""Scope rules for the role gates (soegov.core.gates): whether an enterprise is one the actor may act on."""

from __future__ import annotations

from typing import Any

from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import in_scope


def within_scope(actor: Any, enterprise: Enterprise) -> bool:
    """The enterprise is in the actor's subtree or jurisdiction (an enterprise not saved yet: nothing to check)."""
    return enterprise.pk is None or in_scope(actor, enterprise.pk)


def within_jurisdiction(actor: Any, enterprise: Enterprise) -> bool:
    """The enterprise is in the jurisdiction the (supervisor) actor works in."""
    return bool(actor.jurisdiction_id == enterprise.jurisdiction_id)
