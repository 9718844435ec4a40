"""A pack's parameters: each threshold named once, with its legal words, references and dated values.

Modelled on OpenFisca's parameter files: `parameters.yaml` in the pack folder maps a name to a
description, a unit, the words the text uses on each side of the threshold (`gte: 400万元及以上`,
`lt: 400万元以下`), the articles that state it, and its values by the date they start to apply. A
rule's condition names the parameter (`amount: {gte: transfer_city}`) instead of repeating the
number, and each version of the rules reads the value in force on its first day.

The record is here; reading parameters.yaml is in parameter_files.py, which only building a pack needs (a
`soegov classify` of a cached pack imports neither YAML reading nor its checks: start-up time is benchmarked).
"""

from __future__ import annotations

from soegov.policy.record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

    from soegov.policy.dates import date
    from soegov.policy.texts import Citation

BOUND_OPS = ("gte", "gt", "lte", "lt")
UNITS = ("yuan",)


class Parameter(Record):
    """One named threshold of a pack."""

    __slots__ = ("name", "description", "description_en", "unit", "words", "references", "values")

    name: str
    description: str
    description_en: str
    unit: str
    words: dict[str, str]  # op (gte/gt/lte/lt) → the text's words for that side
    references: tuple[Citation, ...]
    values: tuple[tuple[date, Decimal, dict[str, str]], ...]  # (from, value, words), ascending by date

    def __init__(self, name: str, description: str, description_en: str, unit: str, words: dict[str, str],
                 references: tuple[Citation, ...], values: tuple[tuple[date, Decimal, dict[str, str]], ...]) -> None:
        self.name = name
        self.description = description
        self.description_en = description_en
        self.unit = unit
        self.words = words
        self.references = references
        self.values = values

    def on(self, day: date) -> tuple[Decimal, dict[str, str]] | None:
        """The value in force on that day (the latest one starting on or before it) and its words, or None."""
        found = None
        for start, value, words in self.values:
            if start <= day:
                found = (value, words)
        return found

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `policy show` and the API."""
        return {"name": self.name, "description": self.description, "description_en": self.description_en,
                "unit": self.unit, "words": dict(self.words),
                "references": [c.as_dict() for c in self.references],
                "values": [{"from": d.isoformat(), "value": str(v), "words": w} for d, v, w in self.values]}
