"""Build a validated Pack from a pack folder's YAML: texts, parameters, clocks, rules, meeting rules.

Every reference is checked while building (an unknown code, a citation of an article that is not
there, a threshold that is not a named parameter), so a third jurisdiction is a folder of data and
needs no engine change. Loading and caching the result is loader.py's job.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soegov.policy.catalogue import ATTACHMENTS, AUTHORITIES, KINDS, MATTER_TYPES, OWNERSHIPS, ROLES
from soegov.policy.condition_compiler import NO_PARAMETERS, Scope, compile_condition
from soegov.policy.errors import PackError
from soegov.policy.meeting_builder import build_meeting_rules
from soegov.policy.model import Pack, PackVersion
from soegov.policy.parameter_files import load_parameters
from soegov.policy.parameters import Parameter
from soegov.policy.rules import (
    ROLE_PREFIX,
    Clock,
    ClockVariant,
    Interpretation,
    KindNote,
    NoteSpec,
    ObligationSpec,
    Rule,
)
from soegov.policy.texts import Article, Citation, Item, Source, cite_article
from soegov.policy.yaml_files import pack_date, read_yaml, require

_OBLIGATION_EXTRA = ("category", "voting_method", "bodies")
_OBLIGATION_KEYS = {"kind", "authority", "via", "attachments", "clock", "review_clock", *_OBLIGATION_EXTRA}
_RULE_KEYS = {"id", "types", "except_types", "when", "obligation", "note", "cite", "why", "also", "after", "finding",
              "yields_to"}


def _article(art: Any, where: str) -> Article:
    items = tuple(
        Item(int(it["number"]), str(it["text"]), tuple(str(s["text"]) for s in it.get("subitems") or ()))
        for it in art.get("items") or ()
    )
    number = int(require(art, "number", where))
    verified = art.get("verified")
    if verified is not None and not isinstance(verified, bool):
        raise PackError(where, "`verified` is true or false")
    return Article(number, str(art.get("chapter", "")), str(require(art, "text", where)), str(art.get("lead", "")), items,
                   str(art.get("source", "")), verified)


def _source(doc: Any, where: str) -> Source:
    """One document an overlay quotes, with the articles read from it (each saying where it was read)."""
    articles = {}
    for n, art in enumerate(require(doc, "articles", where)):
        article = _article(art, f"{where}.articles[{n}]")
        if not article.source:
            raise PackError(f"{where}.articles[{n}]", "an article quoted from outside the seeds names its `source`")
        if article.verified is None:
            raise PackError(f"{where}.articles[{n}]", "say whether the text could be checked (`verified`)")
        articles[article.number] = article
    return Source(str(require(doc, "document", where)), str(require(doc, "title", where)), str(doc.get("issuer", "")),
                  str(doc.get("edition", "")), str(doc.get("in_force_from", "")), articles, str(doc.get("note", "")))


class PackBuilder:
    """Turns a pack folder's YAML into a validated Pack."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = read_yaml(folder / "pack.yaml")
        if not isinstance(self.meta, Mapping):
            raise PackError(str(folder / "pack.yaml"), "must be a mapping")
        self.id = str(require(self.meta, "id", str(folder / "pack.yaml")))
        self.document = str(self.meta.get("document", self.id))
        self.articles: dict[int, Article] = {}
        self.external: dict[tuple[str, int], str] = {}
        self.parameters: dict[str, Parameter] = {}
        self.sources: dict[str, Source] = {}
        self.layer = str(self.meta.get("layer", "local"))

    # -- texts -----------------------------------------------------------------------------
    def citation(self, spec: Any, where: str) -> Citation:
        """A checked citation with its quoted text from the articles (or the pack's external texts)."""
        if not isinstance(spec, Mapping) or "article" not in spec:
            raise PackError(where, "a citation needs at least `article`")
        document = str(spec.get("document", self.document))
        if document == self.document:
            return cite_article(document, self.articles, spec, where)
        if document in self.sources:
            return cite_article(document, self.sources[document].articles, spec, where)
        text = self.external.get((document, spec["article"]))
        if text is None:
            raise PackError(where, f"{document} art. {spec['article']} is not among the pack's external texts")
        return Citation(document, spec["article"], spec.get("item"), spec.get("subitem"), text)

    def load_articles(self) -> None:
        """Read articles.yaml into Article objects, and pack.yaml's external texts."""
        where = str(self.folder / "articles.yaml")
        doc = read_yaml(self.folder / "articles.yaml")
        if not isinstance(doc, Mapping) or ("articles" not in doc and "documents" not in doc):
            raise PackError(where, "needs `articles` (the pack's own text) or `documents` (the texts an overlay quotes)")
        for n, art in enumerate(doc.get("articles") or ()):
            article = _article(art, f"{where}: articles[{n}]")
            self.articles[article.number] = article
        for n, src in enumerate(doc.get("documents") or ()):
            source = _source(src, f"{where}: documents[{n}]")
            self.sources[source.document] = source
        for n, ext in enumerate(self.meta.get("external") or ()):
            ew = f"{self.folder}/pack.yaml: external[{n}]"
            key = (str(require(ext, "document", ew)), int(require(ext, "article", ew)))
            self.external[key] = str(require(ext, "text", ew))

    # -- parts -----------------------------------------------------------------------------
    def clocks(self) -> dict[str, Clock]:
        """Named reporting clocks."""
        out = {}
        for name, spec in (self.meta.get("clocks") or {}).items():
            where = f"{self.folder}/pack.yaml: clocks.{name}"
            variants = []
            for n, v in enumerate(require(spec, "variants", where)):
                vw = f"{where}.variants[{n}]"
                counts = [k for k in ("working_days", "hours", "immediate") if k in v]
                if len(counts) != 1:
                    raise PackError(vw, "give exactly one of working_days, hours, immediate")
                variants.append(ClockVariant(
                    compile_condition(v.get("when"), vw + ".when", NO_PARAMETERS),
                    v.get("working_days"), v.get("hours"), bool(v.get("immediate", False)),
                    dict(require(v, "counted_from", vw)),
                ))
            out[name] = Clock(name, self.citation(require(spec, "cite", where), where + ".cite"), tuple(variants))
        return out

    def obligation(self, spec: Any, where: str, clocks: Mapping[str, Clock]) -> ObligationSpec:
        """A checked obligation spec."""
        kind = require(spec, "kind", where)
        authority = require(spec, "authority", where)
        if kind not in KINDS:
            raise PackError(where, f"unknown kind {kind!r}")
        if isinstance(authority, Mapping) and set(authority) == {"role"}:
            # An overlay names a role (the body performing the investor's duties); each local pack maps it.
            if authority["role"] not in ROLES:
                raise PackError(where, f"unknown role {authority['role']!r}; known: {sorted(ROLES)}")
            authority = ROLE_PREFIX + str(authority["role"])
        elif authority not in AUTHORITIES:
            raise PackError(where, f"unknown authority {authority!r}")
        via = spec.get("via")
        if via is not None and via not in AUTHORITIES:
            raise PackError(where, f"unknown via authority {via!r}")
        attachments = tuple(spec.get("attachments") or ())
        for code in attachments:
            if code not in ATTACHMENTS:
                raise PackError(where, f"unknown attachment {code!r}")
        for key in ("clock", "review_clock"):
            # An overlay names the clocks of the local packs under it; lint checks each of them has it.
            if spec.get(key) is not None and spec[key] not in clocks and self.layer == "local":
                raise PackError(where, f"unknown {key} {spec[key]!r}")
        unknown = set(spec) - _OBLIGATION_KEYS
        if unknown:
            raise PackError(where, f"unknown obligation keys {sorted(unknown)}")
        extra = tuple((k, spec[k]) for k in _OBLIGATION_EXTRA if k in spec)
        return ObligationSpec(kind, authority, via, attachments, spec.get("clock"), spec.get("review_clock"), extra)

    def _identity(self, spec: Mapping[str, Any], where: str, parent: Rule | None,
                  position: int) -> tuple[str, tuple[str, ...], Citation]:
        """A rule's id, matter types and citation (an `also` entry inherits its parent's)."""
        if parent is None:
            rule_id = str(require(spec, "id", where))
            types = tuple(require(spec, "types", where))
            for t in types:
                if t != "*" and t not in MATTER_TYPES:
                    raise PackError(where, f"unknown matter type {t!r}")
        else:
            rule_id, types = f"{parent.id}+{spec.get('id', position)}", parent.types
        if "cite" in spec:
            return rule_id, types, self.citation(spec["cite"], where + ".cite")
        if parent is None:
            raise PackError(where, "every rule cites its article (`cite`)")
        return rule_id, types, parent.citation

    def rule(self, spec: Any, where: str, clocks: Mapping[str, Clock], scope: Scope, parent: Rule | None = None,
             position: int = 0) -> Rule:
        """A checked rule (or an `also` entry that inherits its parent's citation and types)."""
        if not isinstance(spec, Mapping):
            raise PackError(where, "a rule must be a mapping")
        unknown = set(spec) - _RULE_KEYS
        if unknown:
            raise PackError(where, f"unknown rule keys {sorted(unknown)}")
        rule_id, types, citation = self._identity(spec, where, parent, position)
        if ("obligation" in spec) == ("note" in spec):
            raise PackError(where, "a rule has exactly one of `obligation` or `note`")
        obligation = self.obligation(spec["obligation"], where + ".obligation", clocks) if "obligation" in spec else None
        note = None
        if "note" in spec:
            n = spec["note"]
            note = NoteSpec(str(require(n, "code", where + ".note")), str(require(n, "zh", where + ".note")),
                            str(require(n, "en", where + ".note")))
        after = spec.get("after")
        after_attachment = None
        if after is not None:
            after_attachment = require(after, "attachment", where + ".after")
            if after_attachment not in ATTACHMENTS:
                raise PackError(where + ".after", f"unknown attachment {after_attachment!r}")
        self._check_attributes(spec.get("when"), types, where)
        rule = Rule(rule_id, types, compile_condition(spec.get("when"), where + ".when", scope), citation, obligation,
                    note, dict(spec.get("why") or {}), (), after_attachment, bool(spec.get("finding", False)),
                    self._yields_to(spec.get("yields_to"), where + ".yields_to"))
        rule.except_types = self._except_types(spec, types, where) if parent is None else ()
        rule.also = tuple(self.rule(a, f"{where}.also[{n}]", clocks, scope, rule, n + 1)
                          for n, a in enumerate(spec.get("also") or ()))
        return rule

    @staticmethod
    def _except_types(spec: Mapping[str, Any], types: tuple[str, ...], where: str) -> tuple[str, ...]:
        """The matter types a wildcard (`*`) rule leaves out, e.g. the very act that remedies what it flags."""
        excepted = tuple(spec.get("except_types") or ())
        if excepted and "*" not in types:
            raise PackError(where + ".except_types", "only a rule for every type (`types: [\"*\"]`) leaves types out")
        for t in excepted:
            if t not in MATTER_TYPES:
                raise PackError(where + ".except_types", f"unknown matter type {t!r}")
        return excepted

    def _yields_to(self, spec: Any, where: str) -> tuple[tuple[str, str | None], ...]:
        """An overlay rule's duty is met by a local duty of these kinds (and authorities): (kind, authority)."""
        if spec is None:
            return ()
        if self.layer == "local":
            raise PackError(where, "only an overlay pack's rules yield to a local duty")
        out = []
        for n, entry in enumerate(spec if isinstance(spec, list) else [spec]):
            ew = f"{where}[{n}]"
            kind = require(entry, "kind", ew)
            authority = entry.get("authority")
            if kind not in KINDS or (authority is not None and authority not in AUTHORITIES):
                raise PackError(ew, f"unknown kind or authority {kind!r} / {authority!r}")
            out.append((str(kind), str(authority) if authority is not None else None))
        return tuple(out)

    def _check_attributes(self, when: Any, types: tuple[str, ...], where: str) -> None:
        """Attribute names and choice values must exist in the catalogue for each type named."""
        if not isinstance(when, Mapping):
            return
        for alt in when.get("any") or ():
            self._check_attributes(alt, types, where)
        ow = when.get("ownership")
        if isinstance(ow, Mapping):
            for code in next(iter(ow.values()), []) or []:
                if code not in OWNERSHIPS:
                    raise PackError(where, f"unknown ownership {code!r}")
        for name, test in (when.get("attributes") or {}).items():
            for t in types:
                if t != "*":
                    self._check_attribute(t, name, test, where)

    @staticmethod
    def _check_attribute(matter_type: str, name: str, test: Any, where: str) -> None:
        spec = MATTER_TYPES[matter_type].attributes.get(name)
        if spec is None:
            raise PackError(where, f"matter type {matter_type!r} has no attribute {name!r}")
        values = test.get("in", test.get("not_in", [])) if isinstance(test, Mapping) else [test]
        for v in values or []:
            if spec.kind == "choice" and v not in spec.choices:
                raise PackError(where, f"{name}={v!r} is not one of {list(spec.choices)}")
            if spec.kind == "bool" and not isinstance(v, bool):
                raise PackError(where, f"{name} is true/false, not {v!r}")

    def kind_notes(self) -> dict[str, tuple[KindNote, ...]]:
        """Notes added once per kind of obligation present, each with its citation."""
        where = f"{self.folder}/pack.yaml: kind_notes"
        out = {}
        for kind, notes in (self.meta.get("kind_notes") or {}).items():
            if kind not in KINDS:
                raise PackError(where, f"unknown kind {kind!r}")
            out[kind] = tuple(self._kind_note(n, f"{where}.{kind}") for n in notes)
        return out

    def _kind_note(self, n: Mapping[str, Any], where: str) -> KindNote:
        authorities = frozenset(n["authorities"]) if n.get("authorities") else None
        for code in authorities or ():
            if code not in AUTHORITIES:
                raise PackError(where, f"unknown authority {code!r}")
        attachment = n.get("attachment")
        if attachment is not None and attachment not in ATTACHMENTS:
            raise PackError(where, f"unknown attachment {attachment!r}")
        return KindNote(str(n["code"]), self.citation(n["cite"], where), str(n["zh"]), str(n["en"]), authorities,
                        attachment)

    def versions(self, clocks: Mapping[str, Clock]) -> list[PackVersion]:
        """Every version with its rules loaded, in date order; overlapping versions are refused."""
        where = str(self.folder / "pack.yaml")
        versions = []
        for n, v in enumerate(require(self.meta, "versions", where)):
            vw = f"{where}: versions[{n}]"
            until = v.get("in_force_until")
            version = PackVersion(str(require(v, "version", vw)), pack_date(require(v, "in_force_from", vw), vw),
                                  pack_date(until, vw) if until is not None else None, str(require(v, "rules", vw)),
                                  str(v.get("note", "")))
            self._load_rules(version, clocks)
            versions.append(version)
        versions.sort(key=lambda v: v.in_force_from)
        for a, b in itertools.pairwise(versions):
            if a.in_force_until is None or a.in_force_until >= b.in_force_from:
                raise PackError(where, f"versions {a.version} and {b.version} overlap in time")
        return versions

    def build(self) -> Pack:
        """The validated pack with every version's rules loaded and indexed."""
        where = str(self.folder / "pack.yaml")
        self.load_articles()
        self.parameters = load_parameters(self.folder, self.citation)
        clocks = self.clocks()
        versions = self.versions(clocks)
        scope = self.meta.get("scope") or {}
        return Pack(
            id=self.id,
            document=self.document,
            title=str(require(self.meta, "title", where)),
            title_en=str(self.meta.get("title_en", "")),
            issuer=str(self.meta.get("issuer", "")),
            doc_number=self.meta.get("doc_number"),
            issued=pack_date(require(self.meta, "issued", where), where + ": issued"),
            jurisdiction=dict(self.meta.get("jurisdiction") or {}),
            scope_ownership=tuple(scope.get("ownership") or OWNERSHIPS),
            scope_citation=self.citation(scope["cite"], where + ": scope") if "cite" in scope else None,
            versions=versions,
            articles=self.articles,
            external=self.external,
            clocks=clocks,
            kind_notes=self.kind_notes(),
            catch_alls=tuple(self.citation(c, f"{where}: catch_alls[{n}]")
                             for n, c in enumerate(self.meta.get("catch_alls") or ())),
            interpretations=tuple(Interpretation(str(i["id"]), str(i["title"]), str(i["text"]), str(i.get("text_en", "")))
                                  for i in self.meta.get("interpretations") or ()),
            attribute_defaults=dict(self.meta.get("attribute_defaults") or {}),
            decision_routes={k: tuple(v) for k, v in (self.meta.get("decision_routes") or {}).items()},
            meeting=build_meeting_rules(self.meta.get("meeting"), f"{where}: meeting", self.citation,
                                        overlay=self.layer != "local"),
            path=str(self.folder),
            parameters=self.parameters,
            layer=self.layer,
            overlays=self._overlays(where),
            roles=self._roles(where),
            sources=self.sources,
        )

    def _overlays(self, where: str) -> tuple[str, ...]:
        overlays = self.meta.get("overlays") or []
        if not isinstance(overlays, list) or not all(isinstance(o, str) and o for o in overlays):
            raise PackError(f"{where}: overlays", "list the ids of the overlay packs this pack sits under")
        if overlays and self.layer != "local":
            raise PackError(f"{where}: overlays", "an overlay does not sit under another overlay")
        return tuple(overlays)

    def _roles(self, where: str) -> dict[str, str]:
        roles = self.meta.get("roles") or {}
        for role, authority in roles.items():
            if role not in ROLES or authority not in AUTHORITIES:
                raise PackError(f"{where}: roles.{role}", f"map a known role ({sorted(ROLES)}) to an authority code")
        return {str(k): str(v) for k, v in roles.items()}

    def _load_rules(self, version: PackVersion, clocks: Mapping[str, Clock]) -> None:
        path = self.folder / version.rules_file
        rules_spec = require(read_yaml(path), "rules", str(path))
        scope = Scope(self.parameters, version.in_force_from)
        seen: set[str] = set()
        for n, spec in enumerate(rules_spec):
            label = spec.get("id", "?") if isinstance(spec, Mapping) else "?"
            rule = self.rule(spec, f"{path}: rules[{n}] ({label})", clocks, scope)
            for r in (rule, *rule.also):
                if r.id in seen:
                    raise PackError(str(path), f"duplicate rule id {r.id!r}")
                seen.add(r.id)
            version.rules.append(rule)
        version.index()
