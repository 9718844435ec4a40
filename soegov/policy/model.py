"""A pack as data: its versions of rules, meeting rules and the texts it quotes."""

from __future__ import annotations

import _thread

from soegov.policy.catalogue import MATTER_TYPES
from soegov.policy.dates import date
from soegov.policy.parameters import Parameter
from soegov.policy.record import Record
from soegov.policy.rules import Clock, Interpretation, KindNote, Rule
from soegov.policy.texts import Article, Citation, Source

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # What makes a cached pack's texts (TEXTS) when one is first read.
    TextsLoader = Callable[[], tuple[dict[int, Article], dict[str, Source], tuple[Interpretation, ...]]]

# Held while a cached pack's texts are decoded: the web server's threads may ask for them at once, and each
# must see the one set of records the pack keeps.
_TEXTS_LOCK = _thread.allocate_lock()  # _thread, not threading: it is built in and already imported


class MeetingCheck(Record):
    """A meeting-rule check switched on by the pack, with its citation and parameters."""

    __slots__ = ("code", "citation", "voids", "params", "bodies", "since", "_params")

    code: str
    citation: Citation
    voids: bool
    params: tuple[tuple[str, Any], ...]
    bodies: frozenset[str] | None  # the bodies it binds (None: every body of the rules)
    since: date | None  # binds meetings from this day (None: whenever the pack does)

    def __init__(self, code: str, citation: Citation, voids: bool = False, params: tuple[tuple[str, Any], ...] = (),
                 bodies: frozenset[str] | None = None, since: date | None = None) -> None:
        self.code = code
        self.citation = citation
        self.voids = voids
        self.params = params
        self.bodies = bodies
        self.since = since
        self._params = dict(params)

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter of the check."""
        return self._params.get(name, default)

    def binds(self, kind: str, day: date) -> bool:
        """Whether the check binds a meeting of this body on this day."""
        return (self.bodies is None or kind in self.bodies) and (self.since is None or day >= self.since)


class MajorityRule(Record):
    """How a quorum or a vote is counted: at_least_half, more_than_half or at_least_two_thirds of a base."""

    __slots__ = ("rule", "citation", "citations", "no_tie", "since")

    rule: str
    citation: Citation
    citations: tuple[Citation, ...]  # every text stating it, the first being `citation`
    no_tie: bool  # a tie (as many against as for) never carries, whatever the count
    since: date | None

    def __init__(self, rule: str, citation: Citation, citations: tuple[Citation, ...] = (), no_tie: bool = False,
                 since: date | None = None) -> None:
        self.rule = rule
        self.citation = citation
        self.citations = citations or (citation,)
        self.no_tie = no_tie
        self.since = since

    def required(self, base: int) -> int:
        """Smallest count that satisfies the rule on this base."""
        if self.rule == "more_than_half":
            return base // 2 + 1
        if self.rule == "at_least_two_thirds":
            return (2 * base + 2) // 3
        return (base + 1) // 2


class MeetingRules(Record):
    """The pack's collective-decision meeting rules."""

    __slots__ = ("bodies", "quorum", "passing", "checks", "item_quorum")

    bodies: tuple[str, ...]
    quorum: dict[str, MajorityRule]  # body (or "default") → rule; an overlay has no default
    passing: dict[str, MajorityRule]
    checks: dict[str, MeetingCheck]
    item_quorum: dict[str, dict[str, MajorityRule]]  # body → item category → who must be present for it

    def __init__(self, bodies: tuple[str, ...], quorum: dict[str, MajorityRule], passing: dict[str, MajorityRule],
                 checks: dict[str, MeetingCheck], item_quorum: dict[str, dict[str, MajorityRule]] | None = None) -> None:
        self.bodies = bodies
        self.quorum = quorum
        self.passing = passing
        self.checks = checks
        self.item_quorum = item_quorum or {}


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

    def index(self) -> None:
        """Index the rules by matter type (wildcard rules last) and set apart the `after` rules."""
        by_type: dict[str, list[Rule]] = {}
        wildcard = [r for r in self.rules if "*" in r.types and r.after_attachment is None]
        for rule in self.rules:
            if rule.after_attachment is not None:
                continue
            for t in rule.types:
                if t != "*":
                    by_type.setdefault(t, []).append(rule)
        self.by_type = {t: tuple(by_type.get(t, []) + [r for r in wildcard if t not in r.except_types])
                        for t in MATTER_TYPES}
        self.after_rules = tuple(r for r in self.rules if r.after_attachment is not None)

    @property
    def span(self) -> tuple[str, str | None]:
        """In-force dates as ISO strings."""
        return (self.in_force_from.isoformat(), self.in_force_until.isoformat() if self.in_force_until else None)

    def in_force_on(self, day: date) -> bool:
        """Whether this version is in force on that day (both ends inclusive)."""
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


class Pack(Record):
    """A regulation as data: metadata, articles, versions of rules, clocks, notes, meeting rules."""

    __slots__ = ("id", "document", "title", "title_en", "issuer", "doc_number", "issued", "jurisdiction", "scope_ownership", "scope_citation", "versions", "articles", "external", "clocks", "kind_notes", "catch_alls", "interpretations", "attribute_defaults", "decision_routes", "meeting", "path", "parameters", "layer", "overlays", "roles", "sources", "cache", "_texts")
    # The texts a cached pack decodes on first use (pack_cache.py): `soegov classify` reads none of them.
    TEXTS = ("articles", "sources", "interpretations")
    FIELDS = __slots__[:-1]  # what a pack is: `_texts` is only how a cached one gets its texts

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
    parameters: dict[str, Parameter]
    layer: str  # "local" for a regulation applied directly; an overlay names its layer ("national")
    overlays: tuple[str, ...]  # ids of the overlay packs this local pack sits under, outermost last
    roles: dict[str, str]  # role an overlay names (e.g. investor) → this jurisdiction's authority code
    sources: dict[str, Source]  # documents an overlay quotes (a local pack quotes its own articles)
    cache: dict[Any, Any]  # derived per-type and per-language data, filled on first use
    _texts: TextsLoader | None

    def __init__(self, id: str, document: str, title: str, title_en: str, issuer: str, doc_number: str | None, issued: date, jurisdiction: dict[str, Any], scope_ownership: tuple[str, ...], scope_citation: Citation | None, versions: list[PackVersion], articles: dict[int, Article], external: dict[tuple[str, int], str], clocks: dict[str, Clock], kind_notes: dict[str, tuple[KindNote, ...]], catch_alls: tuple[Citation, ...], interpretations: tuple[Interpretation, ...], attribute_defaults: dict[str, Any], decision_routes: dict[str, tuple[str, ...]], meeting: MeetingRules | None, path: str,
                 parameters: dict[str, Parameter] | None = None, layer: str = "local", overlays: tuple[str, ...] = (),
                 roles: dict[str, str] | None = None, sources: dict[str, Source] | None = None) -> None:
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
        self.parameters = parameters if parameters is not None else {}
        self.layer = layer
        self.overlays = overlays
        self.roles = roles if roles is not None else {}
        self.sources = sources if sources is not None else {}
        self.cache = {}
        self._texts = None

    def defer_texts(self, load: TextsLoader) -> None:
        """Set the texts (TEXTS, left unset by a cached pack's code) from `load()` when one is first read."""
        self._texts = load

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise take any misspelt attribute for a text
        def __getattr__(self, name: str) -> Any:
            # Reached only when the ordinary lookup fails: here, a cached pack's texts before their first read.
            if name not in Pack.TEXTS:
                raise AttributeError(name)
            with _TEXTS_LOCK:
                load = self._texts
                if load is not None:
                    self.articles, self.sources, self.interpretations = load()
                    self._texts = None
            return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in Pack.FIELDS)

    def __repr__(self) -> str:
        return "Pack(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in Pack.FIELDS) + ")"

    @property
    def is_overlay(self) -> bool:
        """Whether this pack is a layer above local packs (applied only with one), not a regulation of its own."""
        return self.layer != "local"

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
            "layer": self.layer,
            "overlays": list(self.overlays),
        }
