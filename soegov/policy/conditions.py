"""Conditions of rules: compiled once from a pack, tested fast, explained in words on demand."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from soegov.policy.catalogue import OWNERSHIPS
from soegov.policy.errors import MissingFact
from soegov.policy.record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any

_SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}
# How a bound reads when the matter falls outside it ("the item covers only amounts …").
_RANGE_ZH = {"gte": "不低于", "gt": "超过", "lte": "不超过", "lt": "低于"}
_RANGE_EN = {"gte": "of at least", "gt": "above", "lte": "of at most", "lt": "below"}


class Facts(Record):
    """The facts of one matter, as the engine's conditions read them."""

    __slots__ = ("type", "level", "ownership", "amount", "attributes", "defaults", "used_defaults", "_amount_text")

    type: str
    level: int
    ownership: str
    amount: Decimal | None
    attributes: dict[str, Any]  # as given
    defaults: Mapping[str, Any]  # read only when a fact was not given (and then said in a note)
    used_defaults: set[str]  # defaulted names a rule actually read

    def __init__(self, type: str, level: int, ownership: str, amount: Decimal | None, attributes: dict[str, Any],
                 defaults: Mapping[str, Any] | None = None) -> None:
        self.type = type
        self.level = level
        self.ownership = ownership
        self.amount = amount
        self.attributes = attributes
        self.defaults = defaults or {}
        self.used_defaults = set()
        self._amount_text: str | None = None

    def apply_defaults(self, defaults: Mapping[str, Any]) -> None:
        """Use these defaults for facts the input left out."""
        self.defaults = defaults

    def attr(self, name: str) -> Any:
        """An attribute's value, else its default (remembered for a note), else MissingFact."""
        value = self.attributes.get(name, _ABSENT)
        if value is not _ABSENT:
            return value
        value = self.defaults.get(name, _ABSENT)
        if value is _ABSENT:
            raise MissingFact("attributes." + name)
        self.used_defaults.add(name)
        return value

    def amount_text(self) -> str:
        """The amount with thousands separators, formatted once."""
        if self._amount_text is None:
            self._amount_text = money_text(self.need_amount())
        return self._amount_text

    def need_amount(self) -> Decimal:
        """The amount, or MissingFact when a rule depends on it and the input has none."""
        if self.amount is None:
            raise MissingFact("amount")
        return self.amount


_ABSENT = object()


def _compare(op: str, value: Any, bound: Any) -> bool:
    if op == "gte":
        return bool(value >= bound)
    if op == "gt":
        return bool(value > bound)
    if op == "lte":
        return bool(value <= bound)
    return bool(value < bound)


def money_text(value: Decimal) -> str:
    """A money amount with thousands separators, no exponent: 4,000,000 or 3,999,999.99."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class Condition(Record):
    """A test on a matter's facts."""

    __slots__ = ()

    def holds(self, facts: Facts) -> bool:
        """Whether the condition holds (raises MissingFact when a needed fact is absent)."""
        raise NotImplementedError

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Each elementary test with whether it held and a sentence saying so."""
        raise NotImplementedError

    def describe(self, lang: str) -> str:
        """What the condition asks, in words, without any matter's facts."""
        raise NotImplementedError

    def amount_bounds(self) -> list[tuple[str, Decimal, str]]:
        """The amount thresholds inside (op, bound, words), for explain and lint."""
        return []

    def attribute_names(self) -> set[str]:
        """The attribute names the condition reads."""
        return set()

    def parameter_names(self) -> set[str]:
        """The pack parameters (named thresholds) the condition reads."""
        return set()


class LevelCondition(Condition):
    """Enterprise level: a set of levels or a comparison."""

    __slots__ = ("levels", "ops")

    levels: frozenset[int] | None
    ops: tuple[tuple[str, int], ...]

    def __init__(self, levels: frozenset[int] | None, ops: tuple[tuple[str, int], ...]) -> None:
        self.levels = levels
        self.ops = ops

    def holds(self, facts: Facts) -> bool:
        """Level test."""
        if self.levels is not None and facts.level not in self.levels:
            return False
        return all(_compare(op, facts.level, bound) for op, bound in self.ops)

    def describe(self, lang: str) -> str:
        """The levels the condition covers, in words."""
        if self.levels is not None:
            joined = "、".join(str(n) for n in sorted(self.levels))
            return f"{joined}级企业" if lang == "zh" else "level " + ", ".join(str(n) for n in sorted(self.levels))
        parts = []
        for op, bound in self.ops:
            if lang == "zh":
                parts.append({"gte": f"{bound}级及以下层级", "gt": f"{bound}级以外", "lte": f"{bound}级及以上层级",
                              "lt": f"{bound}级以上层级"}[op])
            else:
                parts.append(f"level {_SYMBOL[op]} {bound}")
        return "，".join(parts) if lang == "zh" else ", ".join(parts)

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Level test in words."""
        ok = self.holds(facts)
        if lang == "zh":
            return [(ok, f"企业层级为{facts.level}级，本项{'适用于' if ok else '只适用于'}{self.describe(lang)}")]
        return [(ok, f"enterprise level {facts.level}; the item {'covers' if ok else 'covers only'} {self.describe(lang)}")]


class OwnershipCondition(Condition):
    """Ownership form: in or not in a set."""

    __slots__ = ("allowed", "negate")

    allowed: frozenset[str]
    negate: bool

    def __init__(self, allowed: frozenset[str], negate: bool) -> None:
        self.allowed = allowed
        self.negate = negate

    def holds(self, facts: Facts) -> bool:
        """Ownership test."""
        return (facts.ownership in self.allowed) != self.negate

    def describe(self, lang: str) -> str:
        """The ownership forms covered."""
        names = ("、" if lang == "zh" else ", ").join(
            OWNERSHIPS[o].label if lang == "zh" else OWNERSHIPS[o].label_en for o in sorted(self.allowed))
        if lang == "zh":
            return f"{'非' if self.negate else ''}{names}企业"
        return f"{'not ' if self.negate else ''}{names}"

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Ownership test in words."""
        ok = self.holds(facts)
        if lang == "zh":
            names = "、".join(OWNERSHIPS[o].label for o in sorted(self.allowed))
            own = OWNERSHIPS[facts.ownership].label
            rel = "排除" if self.negate else "限于"
            return [(ok, f"所有制为{own}，本项{rel}{names}")]
        names = ", ".join(sorted(self.allowed))
        return [(ok, f"ownership {facts.ownership}; the item {'excludes' if self.negate else 'is limited to'} {names}")]


class AmountCondition(Condition):
    """Amount within explicit inclusive/exclusive bounds, each a named parameter of the pack."""

    __slots__ = ("ops", "words", "names", "bound_texts")

    ops: tuple[tuple[str, Decimal], ...]
    words: tuple[str, ...]  # the text's words for each bound (from the parameter)
    names: tuple[str, ...]  # the parameter each bound reads
    bound_texts: tuple[str, ...]

    def __init__(self, ops: tuple[tuple[str, Decimal], ...], words: tuple[str, ...], names: tuple[str, ...]) -> None:
        self.ops = ops
        self.words = words
        self.names = names
        self.bound_texts = tuple(money_text(bound) for _, bound in ops)

    def holds(self, facts: Facts) -> bool:
        """Amount test."""
        amount = facts.amount
        if amount is None:
            amount = facts.need_amount()
        return all(_compare(op, amount, bound) for op, bound in self.ops)

    def describe(self, lang: str) -> str:
        """The amount range, e.g. 金额 > 30,000 元（3万元以上）且 ≤ 200,000 元（20万元以下(含20万元)）."""
        zh = lang == "zh"
        parts = []
        for (op, _), text, words in zip(self.ops, self.bound_texts, self.words, strict=True):
            said = (f"（{words}）" if zh else f" ({words})") if words else ""
            parts.append(f"{_SYMBOL[op]} {text}" + (" 元" if zh else "") + said)
        return ("金额 " + " 且 ".join(parts)) if zh else ("amount " + " and ".join(parts))

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Each bound in words: held as a comparison, failed as what the item covers and what the matter is."""
        amount = facts.need_amount()
        shown = facts.amount_text()
        zh = lang == "zh"
        out = []
        for (op, bound), bound_text, words in zip(self.ops, self.bound_texts, self.words, strict=True):
            ok = _compare(op, amount, bound)
            said = (f"（{words}）" if zh else f" ({words})") if words else ""
            if ok:
                out.append((True, f"金额 {shown} 元 {_SYMBOL[op]} {bound_text} 元{said}" if zh
                            else f"amount {shown} {_SYMBOL[op]} {bound_text}{said}"))
            elif zh:
                out.append((False, f"本项只适用于金额{_RANGE_ZH[op]} {bound_text} 元{said}；本事项金额 {shown} 元，不在此列"))
            else:
                out.append((False, f"the item covers only amounts {_RANGE_EN[op]} {bound_text}{said}; "
                                   f"this matter's {shown} is not"))
        return out

    def amount_bounds(self) -> list[tuple[str, Decimal, str]]:
        """The bounds of this condition, each with its words."""
        return [(op, bound, words) for (op, bound), words in zip(self.ops, self.words, strict=True)]

    def parameter_names(self) -> set[str]:
        """The parameters the bounds read."""
        return set(self.names)


class AttributeCondition(Condition):
    """A type attribute: equal to, in, not in, or compared with values."""

    __slots__ = ("name", "equals", "negate", "ops")

    name: str
    equals: tuple[Any, ...] | None
    negate: bool
    ops: tuple[tuple[str, Any], ...]

    def __init__(self, name: str, equals: tuple[Any, ...] | None, negate: bool, ops: tuple[tuple[str, Any], ...]) -> None:
        self.name = name
        self.equals = equals
        self.negate = negate
        self.ops = ops

    def holds(self, facts: Facts) -> bool:
        """Attribute test."""
        value = facts.attributes.get(self.name, _ABSENT)
        if value is _ABSENT:
            value = facts.attr(self.name)
        if self.equals is not None and ((value in self.equals) == self.negate):
            return False
        for op, bound in self.ops:
            if value is None or isinstance(value, bool) or not _compare(op, value, bound):
                return False
        return True

    def describe(self, lang: str) -> str:
        """The attribute test, e.g. expense_class = non_production."""
        if self.equals is not None:
            rel = " ∉ " if self.negate else (" = " if len(self.equals) == 1 else " ∈ ")
            return self.name + rel + "/".join(_show(v) for v in self.equals)
        return self.name + " " + (" 且 " if lang == "zh" else " and ").join(f"{_SYMBOL[op]} {b}" for op, b in self.ops)

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Attribute test in words."""
        value = facts.attr(self.name)
        ok = self.holds(facts)
        shown = _show(value)
        if self.equals is not None:
            rel = ("不为" if self.negate else "为") if lang == "zh" else ("not " if self.negate else "")
            want = rel + "/".join(_show(v) for v in self.equals)
        else:
            want = (" 且 " if lang == "zh" else " and ").join(f"{_SYMBOL[op]} {b}" for op, b in self.ops)
        if lang == "zh":
            return [(ok, f"{self.name} = {shown}（本项要求{want}）")]
        return [(ok, f"{self.name} = {shown} (the item needs {want})")]

    def attribute_names(self) -> set[str]:
        """This attribute."""
        return {self.name}


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class _Compound(Condition):
    """Conditions made of parts: the bounds, attributes and parameters are those of every part."""

    __slots__ = ("parts",)

    parts: tuple[Condition, ...]

    def __init__(self, parts: tuple[Condition, ...]) -> None:
        self.parts = parts

    def amount_bounds(self) -> list[tuple[str, Decimal, str]]:
        """Bounds of every part."""
        return [b for part in self.parts for b in part.amount_bounds()]

    def attribute_names(self) -> set[str]:
        """Attributes of every part."""
        return set().union(*(part.attribute_names() for part in self.parts))

    def parameter_names(self) -> set[str]:
        """Parameters of every part."""
        return set().union(*(part.parameter_names() for part in self.parts))


class AllOf(_Compound):
    """Every part holds (tested in order, so a missing fact is asked only when it matters)."""

    __slots__ = ()

    def holds(self, facts: Facts) -> bool:
        """Conjunction."""
        for part in self.parts:  # noqa: SIM110 - a plain loop is measurably faster on this hot path
            if not part.holds(facts):
                return False
        return True

    def describe(self, lang: str) -> str:
        """Every part."""
        return ("，" if lang == "zh" else ", ").join(part.describe(lang) for part in self.parts)

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """Parts in order up to and including the first that fails."""
        out: list[tuple[bool, str]] = []
        for part in self.parts:
            lines = part.explain(facts, lang)
            out.extend(lines)
            if not all(ok for ok, _ in lines):
                break
        return out


class AnyOf(_Compound):
    """At least one alternative holds."""

    __slots__ = ()

    def holds(self, facts: Facts) -> bool:
        """Disjunction."""
        return any(part.holds(facts) for part in self.parts)

    def describe(self, lang: str) -> str:
        """The alternatives."""
        return ("；或 " if lang == "zh" else "; or ").join(part.describe(lang) for part in self.parts)

    def explain(self, facts: Facts, lang: str) -> list[tuple[bool, str]]:
        """The first alternative that holds, or every alternative's failure."""
        failures: list[tuple[bool, str]] = []
        for part in self.parts:
            lines = part.explain(facts, lang)
            if all(ok for ok, _ in lines):
                return lines
            failures.extend(lines)
        return failures
