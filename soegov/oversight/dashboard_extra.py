"""Dashboard figures read from the meetings and follow-up apps (decisions with violations, late
ratifications, open execution items)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Kinds = dict[str, tuple[str, Callable[[Any, list[int] | None], list[dict[str, Any]]], str]]


def kinds() -> Kinds:
    """Row kinds of the other apps (none until they are merged in)."""
    return {}


def evidence(kind: str, enterprise: Any, year: int) -> list[dict[str, Any]]:
    """Checklist evidence from the meetings and follow-up apps (none until they are merged in)."""
    return []
