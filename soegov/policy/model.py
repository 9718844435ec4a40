"""Plain data of a policy pack: document, articles, versions, rules, clocks and meeting rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from soegov.policy.conditions import Condition
from soegov.policy.record import Record


class Item(Record):
    """A numbered item (项) of an article, with its sub-items (1. 2. …)."""

    __slots__ = ("number", "text", "subitems")

    number: int
    text: str
    subitems: tuple[str, ...]

    def __init__(self, number: int, text: str, subitems: tuple[str, ...] = ()) -> None:
        self.number = number
        self.text = text
        self.subitems = subitems




class Article(Record):
    """One article (条) of a regulation."""

    __slots__ = ("number", "chapter", "text", "lead", "items")

    number: int
    chapter: str
    text: str
    lead: str
    items: tuple[Item, ...]

    def __init__(self, number: int, chapter: str, text: str, lead: str, items: tuple[Item, ...] = ()) -> None:
        self.number = number
        self.chapter = chapter
        self.text = text
        self.lead = lead
        self.items = items



    def item(self, number: int) -> Item | None:
        """The item with this number, if the article has it."""
        if 1 <= number <= len(self.items):
            return self.items[number - 1]
        return None


class Citation(Record):
    """Where a rule comes from: document, article, item and sub-item, with the quoted text."""

    __slots__ = ("document", "article", "item", "subitem", "text")

    document: str
    article: int
    item: int | None
    subitem: int | None
    text: str

    def __init__(self, document: str, article: int, item: int | None = None, subitem: int | None = None, text: str = "") -> None:
        self.document = document
        self.article = article
        self.item = item
        self.subitem = subitem
        self.text = text



    def as_dict(self) -> dict[str, Any]:
        """The contract's citation object (a fresh copy: callers may change it)."""
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


class ClockVariant(Record):
    """One branch of a reporting clock: the first whose condition holds applies."""

    __slots__ = ("condition", "working_days", "hours", "immediate", "counted_from")

    condition: Condition | None
    working_days: int | None
    hours: int | None
    immediate: bool
    counted_from: dict[str, str]

    def __init__(self, condition: Condition | None, working_days: int | None, hours: int | None, immediate: bool, counted_from: dict[str, str]) -> None:
        self.condition = condition
        self.working_days = working_days
        self.hours = hours
        self.immediate = immediate
        self.counted_from = counted_from




class Clock(Record):
    """A named deadline rule of a pack (e.g. yining art. 20) with its variants."""

    __slots__ = ("name", "citation", "variants")

    name: str
    citation: Citation
    variants: tuple[ClockVariant, ...]

    def __init__(self, name: str, citation: Citation, variants: tuple[ClockVariant, ...]) -> None:
        self.name = name
        self.citation = citation
        self.variants = variants




class ObligationSpec(Record):
    """What a rule requires when it matches."""

    __slots__ = ("kind", "authority", "via", "attachments", "clock", "review_clock", "extra")

    kind: str
    authority: str
    via: str | None
    attachments: tuple[str, ...]
    clock: str | None
    review_clock: str | None
    extra: tuple[tuple[str, Any], ...]  # category, voting_method, bodies …

    def __init__(self, kind: str, authority: str, via: str | None = None, attachments: tuple[str, ...] = (), clock: str | None = None, review_clock: str | None = None, extra: tuple[tuple[str, Any], ...] = ()) -> None:
        self.kind = kind
        self.authority = authority
        self.via = via
        self.attachments = attachments
        self.clock = clock
        self.review_clock = review_clock
        self.extra = extra




class NoteSpec(Record):
    """A hint a rule adds to the verdict instead of an obligation."""

    __slots__ = ("code", "zh", "en")

    code: str
    zh: str
    en: str

    def __init__(self, code: str, zh: str, en: str) -> None:
        self.code = code
        self.zh = zh
        self.en = en




class Rule(Record):
    """One rule: when it applies and what follows, citing its article and item."""

    __slots__ = ("id", "types", "condition", "citation", "obligation", "note", "why", "also", "after_attachment", "finding",
                 "duty")

    id: str
    types: tuple[str, ...]
    condition: Condition | None
    citation: Citation
    obligation: ObligationSpec | None
    note: NoteSpec | None
    why: dict[str, str]
    also: tuple[Rule, ...]
    after_attachment: str | None
    finding: bool  # flags the facts without covering the matter (e.g. level beyond 3)

    def __init__(self, id: str, types: tuple[str, ...], condition: Condition | None, citation: Citation, obligation: ObligationSpec | None = None, note: NoteSpec | None = None, why: dict[str, str] | None = None, also: tuple[Rule, ...] = (), after_attachment: str | None = None, finding: bool = False) -> None:
        self.id = id
        self.types = types
        self.condition = condition
        self.citation = citation
        self.obligation = obligation
        self.note = note
        self.why = why if why is not None else dict()
        self.also = also
        self.after_attachment = after_attachment
        self.finding = finding
        self.duty = None
        if obligation is not None:
            self.duty = (obligation.kind, obligation.authority, citation.document, citation.article, citation.item,
                         citation.subitem)




class KindNote(Record):
    """A note added once when any obligation of a kind is in the verdict."""

    __slots__ = ("code", "citation", "zh", "en", "authorities")

    code: str
    citation: Citation
    zh: str
    en: str
    authorities: frozenset[str] | None  # only when an obligation of the kind goes to one of these

    def __init__(self, code: str, citation: Citation, zh: str, en: str,
                 authorities: frozenset[str] | None = None) -> None:
        self.code = code
        self.citation = citation
        self.zh = zh
        self.en = en
        self.authorities = authorities




class Interpretation(Record):
    """A reading chosen where the text is ambiguous, with its reason."""

    __slots__ = ("id", "title", "text", "text_en")

    id: str
    title: str
    text: str
    text_en: str

    def __init__(self, id: str, title: str, text: str, text_en: str) -> None:
        self.id = id
        self.title = title
        self.text = text
        self.text_en = text_en




class MeetingCheck(Record):
    """A meeting-rule check switched on by the pack, with its citation and parameters."""

    __slots__ = ("code", "citation", "voids", "params")

    code: str
    citation: Citation
    voids: bool
    params: tuple[tuple[str, Any], ...]

    def __init__(self, code: str, citation: Citation, voids: bool = False, params: tuple[tuple[str, Any], ...] = ()) -> None:
        self.code = code
        self.citation = citation
        self.voids = voids
        self.params = params



    def param(self, name: str, default: Any = None) -> Any:
        """A parameter of the check."""
        return dict(self.params).get(name, default)


class MajorityRule(Record):
    """How a quorum or a vote is counted for a body: at_least_half or more_than_half."""

    __slots__ = ("rule", "citation")

    rule: str
    citation: Citation

    def __init__(self, rule: str, citation: Citation) -> None:
        self.rule = rule
        self.citation = citation




class MeetingRules(Record):
    """The pack's collective-decision meeting rules."""

    __slots__ = ("bodies", "quorum", "passing", "checks")

    bodies: tuple[str, ...]
    quorum: dict[str, MajorityRule]
    passing: dict[str, MajorityRule]
    checks: dict[str, MeetingCheck]

    def __init__(self, bodies: tuple[str, ...], quorum: dict[str, MajorityRule], passing: dict[str, MajorityRule], checks: dict[str, MeetingCheck]) -> None:
        self.bodies = bodies
        self.quorum = quorum
        self.passing = passing
        self.checks = checks




class PackVersion(Record):
    """A version of a pack's rules with its dates of force."""

    __slots__ = ("version", "in_force_from", "in_force_until", "rules_file", "note", "rules", "by_type", "after_rules")

    version: str
    in_force_from: date
    in_force_until: date | None
    rules_file: str
    note: str
    rules: list[Rule]
    by_type: dict[str, tuple[Rule, ...]]
    after_rules: tuple[Rule, ...]

    def __init__(self, version: str, in_force_from: date, in_force_until: date | None, rules_file: str, note: str = "", rules: list[Rule] | None = None, by_type: dict[str, tuple[Rule, ...]] | None = None, after_rules: tuple[Rule, ...] = ()) -> None:
        self.version = version
        self.in_force_from = in_force_from
        self.in_force_until = in_force_until
        self.rules_file = rules_file
        self.note = note
        self.rules = rules if rules is not None else list()
        self.by_type = by_type if by_type is not None else dict()
        self.after_rules = after_rules



    @property
    def span(self) -> tuple[str, str | None]:
        """In-force dates as ISO strings."""
        return (self.in_force_from.isoformat(), self.in_force_until.isoformat() if self.in_force_until else None)

    def in_force_on(self, day: date) -> bool:
        """Whether this version is in force on that day (both ends inclusive)."""
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


class Pack(Record):
    """A regulation as data: metadata, articles, versions of rules, clocks, notes, meeting rules."""

    __slots__ = ("id", "document", "title", "title_en", "issuer", "doc_number", "issued", "jurisdiction", "scope_ownership", "scope_citation", "versions", "articles", "external", "clocks", "kind_notes", "catch_alls", "interpretations", "attribute_defaults", "decision_routes", "meeting", "path", "cache")

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
    cache: dict[Any, Any]  # derived per-type and per-language data, filled on first use

    def __init__(self, id: str, document: str, title: str, title_en: str, issuer: str, doc_number: str | None, issued: date, jurisdiction: dict[str, Any], scope_ownership: tuple[str, ...], scope_citation: Citation | None, versions: list[PackVersion], articles: dict[int, Article], external: dict[tuple[str, int], str], clocks: dict[str, Clock], kind_notes: dict[str, tuple[KindNote, ...]], catch_alls: tuple[Citation, ...], interpretations: tuple[Interpretation, ...], attribute_defaults: dict[str, Any], decision_routes: dict[str, tuple[str, ...]], meeting: MeetingRules | None, path: str) -> None:
        self.id = id
        self.document = document
        self.title = title
        self.title_en = title_en
        self.issuer = issuer
        self.doc_number = doc_number
        self.issued = issued
        self.jurisdiction = jurisdiction
        self.scope_ownership = scope_ownership
        self.scope_citation = scope_citation
        self.versions = versions
        self.articles = articles
        self.external = external
        self.clocks = clocks
        self.kind_notes = kind_notes
        self.catch_alls = catch_alls
        self.interpretations = interpretations
        self.attribute_defaults = attribute_defaults
        self.decision_routes = decision_routes
        self.meeting = meeting
        self.path = path
        self.cache = {}



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
