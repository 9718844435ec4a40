"""Reading a pack's YAML files: one safe reader, and dates and required keys that name the place."""

from __future__ import annotations

from collections.abc import Mapping

from soegov.policy.dates import date
from soegov.policy.errors import PackError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def read_yaml(path: Path) -> Any:
    """The parsed YAML file (safe loader, C speed when available), or PackError naming the file."""
    import yaml  # only when a pack is (re)built: a cached pack needs no YAML parser

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except OSError as exc:
        raise PackError(str(path), f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PackError(str(path), f"not valid YAML: {exc}") from None


def pack_date(value: Any, where: str) -> date:
    """A YYYY-MM-DD date of a pack file (YAML may already have read it as a date)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PackError(where, f"not a YYYY-MM-DD date: {value!r}") from None


def require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    """mapping[key], or PackError saying which key is missing where."""
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise PackError(where, f"missing `{key}`")
    return mapping[key]
