"""A pack folder's optional data files (sanctions.yaml, inspection.yaml, appointments.yaml): read, cite, cache.

The rules engine reads pack.yaml/rules.yaml/articles.yaml when a pack is built; these further files are read
on first use by the modules that need them, through the same YAML reader and one citation check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from soegov.policy.errors import PackError
from soegov.policy.loader import _read_yaml, get_registry
from soegov.policy.model import Citation, Pack

T = TypeVar("T")


def read_pack_file(pack: Pack, name: str) -> tuple[Any, str] | None:
    """The parsed YAML of the pack folder's file `name` and its path (for messages), or None when there is none."""
    path = Path(pack.path) / name
    if not path.is_file():
        return None
    return _read_yaml(path), str(path)


def cached_on_pack(pack: Pack, key: str, build: Callable[[Pack], T]) -> T:
    """What `build` makes of the pack, made once and kept on the pack."""
    if key not in pack.cache:
        pack.cache[key] = build(pack)
    result: T = pack.cache[key]
    return result


def pack_citation(pack: Pack, spec: Any, where: str) -> Citation:
    """A citation checked against the articles of its document (this pack's unless `document` names another)."""
    if not isinstance(spec, Mapping) or "article" not in spec:
        raise PackError(where, "a citation needs at least `article`")
    document = str(spec.get("document", pack.document))
    source = pack if document == pack.document else _pack_of_document(document, where)
    number = int(spec["article"])
    article = source.articles.get(number)
    if article is None:
        raise PackError(where, f"article {number} is not in {document}'s articles.yaml")
    item_no = spec.get("item")
    if item_no is None:
        return Citation(document, number, None, None, article.text)
    item = article.item(int(item_no))
    if item is None:
        raise PackError(where, f"{document} article {number} has no item {item_no}")
    sub_no = spec.get("subitem")
    if sub_no is None:
        return Citation(document, number, int(item_no), None, item.text)
    if not 1 <= int(sub_no) <= len(item.subitems):
        raise PackError(where, f"{document} article {number} item {item_no} has no sub-item {sub_no}")
    return Citation(document, number, int(item_no), int(sub_no), item.subitems[int(sub_no) - 1])


def _pack_of_document(document: str, where: str) -> Pack:
    registry = get_registry()
    for pack_id in registry.ids:
        other = registry.get(pack_id)
        if other.document == document:
            return other
    raise PackError(where, f"no pack holds the articles of {document}")
