"""Compiling a rule's `when` mapping (pack YAML) into a Condition, checking every key and value.

Amount bounds name a parameter of the pack (parameters.yaml); the version being compiled reads the
value in force on its first day, and the parameter's words for that side of the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.policy.conditions import (
    AllOf,
    AmountCondition,
    AnyOf,
    AttributeCondition,
    Condition,
    LevelCondition,
    OwnershipCondition,
)
from soegov.policy.dates import date
from soegov.policy.errors import PackError
from soegov.policy.parameters import BOUND_OPS, Parameter


class Scope:
    """What a condition may refer to: the pack's parameters, as in force on the version's first day."""

    __slots__ = ("parameters", "day")

    def __init__(self, parameters: Mapping[str, Parameter], day: date | None) -> None:
        self.parameters = parameters
        self.day = day


NO_PARAMETERS = Scope({}, None)


def _ops(spec: Mapping[str, Any], where: str, convert: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((op, convert(spec[op], f"{where}.{op}")) for op in BOUND_OPS if op in spec)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PackError(where, f"expected an integer, got {value!r}")
    return value


def _plain(value: Any, where: str) -> Any:
    return value


def _level(lv: Any, where: str, scope: Scope) -> Condition:
    if not isinstance(lv, Mapping) or set(lv) - {"in", *BOUND_OPS}:
        raise PackError(f"{where}.level", "use {in: [..]} or gte/gt/lte/lt")
    levels = frozenset(_int(n, f"{where}.level.in") for n in lv["in"]) if "in" in lv else None
    return LevelCondition(levels, _ops(lv, f"{where}.level", _int))


def _ownership(ow: Any, where: str, scope: Scope) -> Condition:
    if not isinstance(ow, Mapping) or len(ow) != 1 or next(iter(ow)) not in ("in", "not_in"):
        raise PackError(f"{where}.ownership", "use {in: [..]} or {not_in: [..]}")
    key = next(iter(ow))
    return OwnershipCondition(frozenset(ow[key]), key == "not_in")


def _amount(am: Any, where: str, scope: Scope) -> Condition:
    if not isinstance(am, Mapping) or set(am) - set(BOUND_OPS) or not am:
        raise PackError(f"{where}.amount", "use gte/gt/lte/lt bounds, each naming a parameter of parameters.yaml")
    ops, words, names = [], [], []
    for op in BOUND_OPS:
        if op not in am:
            continue
        name = am[op]
        param = scope.parameters.get(name) if isinstance(name, str) else None
        if param is None:
            known = ", ".join(sorted(scope.parameters)) or "none"
            raise PackError(f"{where}.amount.{op}", f"{name!r} is not a parameter of the pack (parameters.yaml: {known}); "
                            "thresholds are named there once, with their words and reference")
        found = param.on(scope.day) if scope.day is not None else None
        if found is None:
            raise PackError(f"{where}.amount.{op}", f"parameter {name} has no value in force on {scope.day}")
        value, said = found
        if op not in said:
            raise PackError(f"{where}.amount.{op}", f"parameter {name} gives no words for the `{op}` side")
        ops.append((op, value))
        words.append(said[op])
        names.append(name)
    return AmountCondition(tuple(ops), tuple(words), tuple(names))


def _attributes(attrs: Any, where: str, scope: Scope) -> Condition:
    if not isinstance(attrs, Mapping) or not attrs:
        raise PackError(f"{where}.attributes", "must be a mapping of attribute name to value or test")
    parts: list[Condition] = []
    for name, test in attrs.items():
        aw = f"{where}.attributes.{name}"
        if isinstance(test, Mapping):
            if set(test) - {"in", "not_in", *BOUND_OPS}:
                raise PackError(aw, "use in / not_in / gte / gt / lte / lt")
            if "in" in test and "not_in" in test:
                raise PackError(aw, "in and not_in together")
            values = test.get("in", test.get("not_in"))
            equals = tuple(values) if values is not None else None
            parts.append(AttributeCondition(name, equals, "not_in" in test, _ops(test, aw, _plain)))
        else:
            parts.append(AttributeCondition(name, (test,), False, ()))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _any(alts: Any, where: str, scope: Scope) -> Condition:
    if not isinstance(alts, list) or not alts:
        raise PackError(f"{where}.any", "must be a non-empty list of conditions")
    compiled = [compile_condition(alt, f"{where}.any[{n}]", scope) for n, alt in enumerate(alts)]
    return AnyOf(tuple(c for c in compiled if c is not None))


_COMPILERS = {"level": _level, "ownership": _ownership, "amount": _amount, "attributes": _attributes, "any": _any}


def compile_condition(spec: Any, where: str, scope: Scope = NO_PARAMETERS) -> Condition | None:
    """Compile a rule's `when` mapping; None when it is empty."""
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        raise PackError(where, "`when` must be a mapping")
    unknown = set(spec) - set(_COMPILERS)
    if unknown:
        raise PackError(where, f"unknown condition keys {sorted(unknown)}; allowed: {sorted(_COMPILERS)}")
    parts: list[Condition] = []
    # Parts are tested in the order the pack writes them, so a rule asks for a fact only when
    # the facts before it already hold (e.g. the amount only once a transaction is involved).
    for key in spec:
        parts.append(_COMPILERS[key](spec[key], where, scope))
    # Nested conjunctions (several attributes, say) are flattened: one loop, fewer calls.
    flat: list[Condition] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, AllOf) else (part,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else AllOf(tuple(flat))
