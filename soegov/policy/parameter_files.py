"""Reading a pack's parameters.yaml into Parameter records (soegov/policy/parameters.py), with its checks.

Only building a pack needs this: a cached pack is loaded without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from soegov.policy.dates import date
from soegov.policy.errors import PackError
from soegov.policy.parameters import BOUND_OPS, UNITS, Parameter
from soegov.policy.texts import Citation
from soegov.policy.yaml_files import pack_date, read_yaml, require

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"description", "unit", "words", "reference", "values"}


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PackError(where, "a value is written as a string or an integer (never a float)")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PackError(where, f"not a number: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise PackError(where, f"not a non-negative amount: {value!r}")
    return amount


def _words(spec: Any, where: str) -> dict[str, str]:
    if spec is None:
        return {}
    if not isinstance(spec, Mapping) or set(spec) - set(BOUND_OPS):
        raise PackError(where, f"map each side ({', '.join(BOUND_OPS)}) to the text's words")
    return {str(k): str(v) for k, v in spec.items()}


def _value(start: date, spec: Any, words: dict[str, str], where: str) -> tuple[date, Decimal, dict[str, str]]:
    """One dated value: an amount, or {value, words} where the text's words changed with it."""
    if isinstance(spec, Mapping):
        own = _words(spec.get("words"), where + ".words")
        return start, _amount(require(spec, "value", where), where + ".value"), {**words, **own}
    if not words:
        raise PackError(where, "no words for this value: give `words` on the parameter or on the value")
    return start, _amount(spec, where), words


def _parameter(name: str, spec: Any, where: str, cite: Callable[[Any, str], Citation]) -> Parameter:
    if not _NAME.match(name):
        raise PackError(where, "a parameter name is lower-case letters, digits and _ (e.g. transfer_city)")
    if not isinstance(spec, Mapping):
        raise PackError(where, "a parameter is a mapping (description, unit, words, reference, values)")
    unknown = set(spec) - _KEYS
    if unknown:
        raise PackError(where, f"unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    description = require(spec, "description", where)
    if not isinstance(description, Mapping) or not description.get("zh"):
        raise PackError(where + ".description", "give the description in Chinese (zh) and English (en)")
    unit = str(spec.get("unit", "yuan"))
    if unit not in UNITS:
        raise PackError(where + ".unit", f"unit must be one of {UNITS}")
    words = _words(spec.get("words"), where + ".words")
    refs = require(spec, "reference", where)
    refs = refs if isinstance(refs, list) else [refs]
    if not refs:
        raise PackError(where + ".reference", "cite at least one article that states the threshold")
    raw_values = require(spec, "values", where)
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise PackError(where + ".values", "give the values by the date they start to apply (YYYY-MM-DD: amount)")
    values = sorted(_value(pack_date(d, f"{where}.values"), v, words, f"{where}.values.{d}") for d, v in raw_values.items())
    return Parameter(name, str(description["zh"]), str(description.get("en", "")), unit, words,
                     tuple(cite(r, f"{where}.reference[{n}]") for n, r in enumerate(refs)), tuple(values))


def load_parameters(folder: Path, cite: Callable[[Any, str], Citation]) -> dict[str, Parameter]:
    """The pack folder's parameters.yaml (none is an empty set), every reference checked by `cite`."""
    path = folder / "parameters.yaml"
    if not path.is_file():
        return {}
    doc = read_yaml(path)
    if doc is None:
        return {}
    if not isinstance(doc, Mapping):
        raise PackError(str(path), "must map parameter names to their definitions")
    return {str(name): _parameter(str(name), spec, f"{path}: {name}", cite) for name, spec in doc.items()}
