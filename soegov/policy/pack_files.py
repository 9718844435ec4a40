"""A pack folder's optional data files (sanctions.yaml, inspection.yaml, appointments.yaml): read, cite, cache.

The rules engine reads pack.yaml/rules.yaml/articles.yaml when a pack is built; these further files are read
on first use by the modules that need them, through the same YAML reader and one citation check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from soegov.policy.errors import PackError
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.texts import Citation, cite_article
from soegov.policy.yaml_files import read_yaml

T = TypeVar("T")


def read_pack_file(pack: Pack, name: str) -> tuple[Any, str] | None:
    """The parsed YAML of the pack folder's file `name` and its path (for messages), or None when there is none."""
    path = Path(pack.path) / name
    if not path.is_file():
        return None
    return read_yaml(path), str(path)


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
    return cite_article(document, source.articles, {**spec, "article": int(spec["article"])}, where)


def _pack_of_document(document: str, where: str) -> Pack:
    registry = get_registry()
    for pack_id in registry.ids:
        other = registry.get(pack_id)
        if other.document == document:
            return other
    raise PackError(where, f"no pack holds the articles of {document}")
