"""Reads for the matter advisor and the regulations browser: the engine decides, this only looks things up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.core.errors import InputError


def packs() -> list[Any]:
    """Every policy pack the engine holds."""
    from soegov.policy.loader import get_registry

    return list(get_registry().packs)


def pack_get(pack_id: str) -> Any:
    """One pack by id, or None."""
    from soegov.policy.loader import get_registry

    try:
        return get_registry().get(pack_id)
    except (KeyError, LookupError, InputError):
        return None


def label(table: Mapping[str, Any], code: Any) -> str:
    """The Chinese label of a catalogue code, or the code itself when unknown."""
    entry = table.get(code) if code is not None else None
    return str(getattr(entry, "label", code)) if entry is not None else str(code or "")


def choice_options(spec: Any) -> list[tuple[str, str]]:
    """(value, label) pairs of an attribute spec's choices, whatever shape the catalogue gives them."""
    choices = getattr(spec, "choices", None) or ()
    if isinstance(choices, Mapping):
        return [(str(k), str(getattr(v, "label", v))) for k, v in choices.items()]
    out = []
    for c in choices:
        if isinstance(c, tuple | list) and len(c) == 2:
            out.append((str(c[0]), str(c[1])))
        else:
            out.append((str(getattr(c, "code", c)), str(getattr(c, "label", c))))
    return out


def article_of(pack: Any, number: Any) -> Any:
    """The article of a pack by number, or None."""
    if pack is None or number is None:
        return None
    articles = getattr(pack, "articles", {}) or {}
    try:
        return articles.get(int(number))
    except (TypeError, ValueError):
        return None


def rules_by_article(pack: Any) -> dict[int, list[Any]]:
    """The pack's rules grouped by the article they cite, for the browser's margin."""
    grouped: dict[int, list[Any]] = {}
    for rule in getattr(pack, "rules", []) or []:
        citation = getattr(rule, "citation", None)
        art = getattr(citation, "article", None)
        if art is None and isinstance(citation, tuple | list) and citation:
            art = citation[0]
        if art is not None:
            grouped.setdefault(int(art), []).append(rule)
    return grouped


def rule_cite(rule: Any) -> str:
    """The article (and item) a rule cites, as a reader writes it: 第12条第6项."""
    anchor = rule_anchor(rule)
    parts = anchor.removeprefix("art-").split("-") if anchor else []
    if not parts or not parts[0]:
        return ""
    return f"第{parts[0]}条" + (f"第{parts[1]}项" if len(parts) > 1 else "")


def rule_anchor(rule: Any) -> str:
    """The anchor of the article item a rule cites (art-12-6) or of its article (art-12)."""
    citation = getattr(rule, "citation", None)
    art = getattr(citation, "article", None)
    item = getattr(citation, "item", None)
    if art is None and isinstance(citation, tuple | list):
        art = citation[0] if citation else None
        item = citation[1] if len(citation) > 1 else None
    if art is None:
        return ""
    return f"art-{art}-{item}" if item else f"art-{art}"


def attribute_fields(type_code: str, values: Any) -> list[dict[str, Any]]:
    """The form fields of a matter type's attributes, filled from values (the advisor's and the matter form)."""
    from soegov.policy.catalogue import MATTER_TYPES

    mt = MATTER_TYPES.get(type_code)
    if mt is None:
        return []
    fields = []
    for name, spec in (getattr(mt, "attributes", None) or {}).items():
        fields.append({
            "name": f"attr_{name}", "label": getattr(spec, "label", name), "kind": getattr(spec, "kind", "choice"),
            "options": choice_options(spec), "value": values.get(f"attr_{name}", ""),
        })
    return fields
