"""Plain data of a policy pack: document, articles, versions, rules, clocks and meeting rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from soegov.policy.conditions import Condition


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered item (项) of an article, with its sub-items (1. 2. …)."""

    number: int
    text: str
    subitems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One article (条) of a regulation."""

    number: int
    chapter: str
    text: str
    lead: str
    items: tuple[Item, ...] = ()

    def item(self, number: int) -> Item | None:
        """The item with this number, if the article has it."""
        if 1 <= number <= len(self.items):
            return self.items[number - 1]
        return None


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: document, article, item and sub-item, with the quoted text."""

    document: str
    article: int
    item: int | None = None
    subitem: int | None = None
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The contract's citation object."""
        out: dict[str, Any] = {"document": self.document, "article": self.article, "item": self.item}
        if self.subitem is not None:
            out["subitem"] = self.subitem
        out["text"] = self.text
        return out

    def short(self, lang: str = "zh") -> str:
        """A compact reference such as 'yining-2024 第12条第6项' or 'yining-2024 art. 12(6)'."""
        if lang == "en":
            ref = f"art. {self.article}"
            if self.item is not None:
                ref += f"({self.item})"
            if self.subitem is not None:
                ref += f".{self.subitem}"
            return f"{self.document} {ref}"
        ref = f"第{self.article}条"
        if self.item is not None:
            ref += f"第{self.item}项"
        if self.subitem is not None:
            ref += f"第{self.subitem}目"
        return f"{self.document} {ref}"


@dataclass(frozen=True, slots=True)
class ClockVariant:
    """One branch of a reporting clock: the first whose condition holds applies."""

    condition: Condition | None
    working_days: int | None
    hours: int | None
    immediate: bool
    counted_from: dict[str, str]


@dataclass(frozen=True, slots=True)
class Clock:
    """A named deadline rule of a pack (e.g. yining art. 20) with its variants."""

    name: str
    citation: Citation
    variants: tuple[ClockVariant, ...]


@dataclass(frozen=True, slots=True)
class ObligationSpec:
    """What a rule requires when it matches."""

    kind: str
    authority: str
    via: str | None = None
    attachments: tuple[str, ...] = ()
    clock: str | None = None
    review_clock: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()  # category, voting_method, bodies …


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """A hint a rule adds to the verdict instead of an obligation."""

    code: str
    zh: str
    en: str


@dataclass(slots=True)
class Rule:
    """One rule: when it applies and what follows, citing its article and item."""

    id: str
    types: tuple[str, ...]
    condition: Condition | None
    citation: Citation
    obligation: ObligationSpec | None = None
    note: NoteSpec | None = None
    why: dict[str, str] = field(default_factory=dict)
    also: tuple[Rule, ...] = ()
    after_attachment: str | None = None
    finding: bool = False  # flags the facts without covering the matter (e.g. level beyond 3)


@dataclass(frozen=True, slots=True)
class KindNote:
    """A note added once when any obligation of a kind is in the verdict."""

    code: str
    citation: Citation
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Interpretation:
    """A reading chosen where the text is ambiguous, with its reason."""

    id: str
    title: str
    text: str
    text_en: str


@dataclass(frozen=True, slots=True)
class MeetingCheck:
    """A meeting-rule check switched on by the pack, with its citation and parameters."""

    code: str
    citation: Citation
    voids: bool = False
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter of the check."""
        return dict(self.params).get(name, default)


@dataclass(frozen=True, slots=True)
class MajorityRule:
    """How a quorum or a vote is counted for a body: at_least_half or more_than_half."""

    rule: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class MeetingRules:
    """The pack's collective-decision meeting rules."""

    bodies: tuple[str, ...]
    quorum: dict[str, MajorityRule]
    passing: dict[str, MajorityRule]
    checks: dict[str, MeetingCheck]


@dataclass(slots=True)
class PackVersion:
    """A version of a pack's rules with its dates of force."""

    version: str
    in_force_from: date
    in_force_until: date | None
    rules_file: str
    note: str = ""
    rules: list[Rule] = field(default_factory=list)
    by_type: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    after_rules: tuple[Rule, ...] = ()

    def in_force_on(self, day: date) -> bool:
        """Whether this version is in force on that day (both ends inclusive)."""
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


@dataclass(slots=True)
class Pack:
    """A regulation as data: metadata, articles, versions of rules, clocks, notes, meeting rules."""

    id: str
    document: str
    title: str
    title_en: str
    issuer: str
    doc_number: str | None
    issued: date
    jurisdiction: dict[str, Any]
    scope_ownership: tuple[str, ...]
    scope_citation: Citation | None
    versions: list[PackVersion]
    articles: dict[int, Article]
    external: dict[tuple[str, int], str]
    clocks: dict[str, Clock]
    kind_notes: dict[str, tuple[KindNote, ...]]
    catch_alls: tuple[Citation, ...]
    interpretations: tuple[Interpretation, ...]
    attribute_defaults: dict[str, Any]
    decision_routes: dict[str, tuple[str, ...]]
    meeting: MeetingRules | None
    path: str

    @property
    def rules(self) -> list[Rule]:
        """The rules of the newest version."""
        return self.versions[-1].rules

    def version_on(self, day: date) -> PackVersion | None:
        """The version in force on that day, or None."""
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None

    def summary(self) -> dict[str, Any]:
        """Metadata as plain data (for `policy list` and the API)."""
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "issued": self.issued.isoformat(),
            "jurisdiction": self.jurisdiction,
            "versions": [
                {
                    "version": v.version,
                    "in_force_from": v.in_force_from.isoformat(),
                    "in_force_until": v.in_force_until.isoformat() if v.in_force_until else None,
                }
                for v in self.versions
            ],
            "has_meeting_rules": self.meeting is not None,
        }


def decimal_text(value: Decimal) -> str:
    """A money amount with thousands separators, no exponent: 4,000,000 or 3,999,999.99."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
