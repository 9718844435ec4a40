"""Load and validate policy packs: the shipped ones and any in $SOEGOV_POLICY_PATH.

A pack is a folder with pack.yaml (metadata, versions, clocks, notes, meeting rules),
articles.yaml (the article texts) and one rules file per version. Loading checks every
reference, so a third jurisdiction is a folder of data and needs no engine change.
"""

from __future__ import annotations

import itertools
import os
import pickle
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from soegov.policy.catalogue import ATTACHMENTS, AUTHORITIES, BODIES, KINDS, MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import compile_condition
from soegov.policy.errors import InputError, PackError
from soegov.policy.model import (
    Article,
    Citation,
    Clock,
    ClockVariant,
    Interpretation,
    Item,
    KindNote,
    MajorityRule,
    MeetingCheck,
    MeetingRules,
    NoteSpec,
    ObligationSpec,
    Pack,
    PackVersion,
    Rule,
)

PACKS_DIR = Path(__file__).resolve().parent / "packs"
_OBLIGATION_EXTRA = ("category", "voting_method", "bodies")
MAJORITY_RULES = ("at_least_half", "more_than_half")


def _read_yaml(path: Path) -> Any:
    import yaml  # only when a pack is (re)built: a cached pack needs no YAML parser

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except OSError as exc:
        raise PackError(str(path), f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PackError(str(path), f"not valid YAML: {exc}") from None


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PackError(where, f"not a YYYY-MM-DD date: {value!r}") from None


def _req(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise PackError(where, f"missing `{key}`")
    return mapping[key]


class PackBuilder:
    """Turns a pack folder's YAML into a validated Pack."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = _read_yaml(folder / "pack.yaml")
        if not isinstance(self.meta, Mapping):
            raise PackError(str(folder / "pack.yaml"), "must be a mapping")
        self.id = str(_req(self.meta, "id", str(folder / "pack.yaml")))
        self.document = str(self.meta.get("document", self.id))
        self.articles: dict[int, Article] = {}
        self.external: dict[tuple[str, int], str] = {}

    # -- citations -------------------------------------------------------------------------
    def citation(self, spec: Any, where: str) -> Citation:
        """A checked citation with its quoted text from the articles."""
        if not isinstance(spec, Mapping) or "article" not in spec:
            raise PackError(where, "a citation needs at least `article`")
        document = str(spec.get("document", self.document))
        article_no = spec["article"]
        item_no = spec.get("item")
        sub_no = spec.get("subitem")
        if document != self.document:
            text = self.external.get((document, article_no))
            if text is None:
                raise PackError(where, f"{document} art. {article_no} is not among the pack's external texts")
            return Citation(document, article_no, item_no, sub_no, text)
        article = self.articles.get(article_no)
        if article is None:
            raise PackError(where, f"article {article_no} is not in articles.yaml")
        if item_no is None:
            return Citation(document, article_no, None, None, article.text)
        item = article.item(item_no)
        if item is None:
            raise PackError(where, f"article {article_no} has no item {item_no}")
        if sub_no is None:
            return Citation(document, article_no, item_no, None, item.text)
        if not 1 <= sub_no <= len(item.subitems):
            raise PackError(where, f"article {article_no} item {item_no} has no sub-item {sub_no}")
        return Citation(document, article_no, item_no, sub_no, item.subitems[sub_no - 1])

    # -- parts -----------------------------------------------------------------------------
    def load_articles(self) -> None:
        """Read articles.yaml into Article objects."""
        where = str(self.folder / "articles.yaml")
        doc = _read_yaml(self.folder / "articles.yaml")
        for n, art in enumerate(_req(doc, "articles", where)):
            aw = f"{where}: articles[{n}]"
            items = tuple(
                Item(int(it["number"]), str(it["text"]), tuple(str(s["text"]) for s in it.get("subitems") or ()))
                for it in art.get("items") or ()
            )
            number = int(_req(art, "number", aw))
            self.articles[number] = Article(number, str(art.get("chapter", "")), str(_req(art, "text", aw)),
                                            str(art.get("lead", "")), items)
        for n, ext in enumerate(self.meta.get("external") or ()):
            ew = f"{self.folder}/pack.yaml: external[{n}]"
            self.external[(str(_req(ext, "document", ew)), int(_req(ext, "article", ew)))] = str(_req(ext, "text", ew))

    def clocks(self) -> dict[str, Clock]:
        """Named reporting clocks."""
        out = {}
        for name, spec in (self.meta.get("clocks") or {}).items():
            where = f"{self.folder}/pack.yaml: clocks.{name}"
            variants = []
            for n, v in enumerate(_req(spec, "variants", where)):
                vw = f"{where}.variants[{n}]"
                counts = [k for k in ("working_days", "hours", "immediate") if k in v]
                if len(counts) != 1:
                    raise PackError(vw, "give exactly one of working_days, hours, immediate")
                variants.append(ClockVariant(
                    compile_condition(v.get("when"), vw + ".when"),
                    v.get("working_days"), v.get("hours"), bool(v.get("immediate", False)),
                    dict(_req(v, "counted_from", vw)),
                ))
            out[name] = Clock(name, self.citation(_req(spec, "cite", where), where + ".cite"), tuple(variants))
        return out

    def obligation(self, spec: Any, where: str, clocks: Mapping[str, Clock]) -> ObligationSpec:
        """A checked obligation spec."""
        kind = _req(spec, "kind", where)
        authority = _req(spec, "authority", where)
        if kind not in KINDS:
            raise PackError(where, f"unknown kind {kind!r}")
        if authority not in AUTHORITIES:
            raise PackError(where, f"unknown authority {authority!r}")
        via = spec.get("via")
        if via is not None and via not in AUTHORITIES:
            raise PackError(where, f"unknown via authority {via!r}")
        attachments = tuple(spec.get("attachments") or ())
        for code in attachments:
            if code not in ATTACHMENTS:
                raise PackError(where, f"unknown attachment {code!r}")
        for key in ("clock", "review_clock"):
            if spec.get(key) is not None and spec[key] not in clocks:
                raise PackError(where, f"unknown {key} {spec[key]!r}")
        unknown = set(spec) - {"kind", "authority", "via", "attachments", "clock", "review_clock", *_OBLIGATION_EXTRA}
        if unknown:
            raise PackError(where, f"unknown obligation keys {sorted(unknown)}")
        extra = tuple((k, spec[k]) for k in _OBLIGATION_EXTRA if k in spec)
        return ObligationSpec(kind, authority, via, attachments, spec.get("clock"), spec.get("review_clock"), extra)

    def rule(self, spec: Any, where: str, clocks: Mapping[str, Clock], parent: Rule | None = None,
             position: int = 0) -> Rule:
        """A checked rule (or an `also` entry that inherits its parent's citation and types)."""
        if not isinstance(spec, Mapping):
            raise PackError(where, "a rule must be a mapping")
        allowed = {"id", "types", "when", "obligation", "note", "cite", "why", "also", "after", "finding"}
        unknown = set(spec) - allowed
        if unknown:
            raise PackError(where, f"unknown rule keys {sorted(unknown)}")
        if parent is None:
            rule_id = str(_req(spec, "id", where))
            types = tuple(_req(spec, "types", where))
            for t in types:
                if t != "*" and t not in MATTER_TYPES:
                    raise PackError(where, f"unknown matter type {t!r}")
        else:
            rule_id = f"{parent.id}+{spec.get('id', position)}"
            types = parent.types
        if "cite" in spec:
            citation = self.citation(spec["cite"], where + ".cite")
        elif parent is not None:
            citation = parent.citation
        else:
            raise PackError(where, "every rule cites its article (`cite`)")
        has_obligation, has_note = "obligation" in spec, "note" in spec
        if has_obligation == has_note:
            raise PackError(where, "a rule has exactly one of `obligation` or `note`")
        obligation = self.obligation(spec["obligation"], where + ".obligation", clocks) if has_obligation else None
        note = None
        if has_note:
            n = spec["note"]
            note = NoteSpec(str(_req(n, "code", where + ".note")), str(_req(n, "zh", where + ".note")),
                            str(_req(n, "en", where + ".note")))
        after = spec.get("after")
        after_attachment = None
        if after is not None:
            after_attachment = _req(after, "attachment", where + ".after")
            if after_attachment not in ATTACHMENTS:
                raise PackError(where + ".after", f"unknown attachment {after_attachment!r}")
        why = dict(spec.get("why") or {})
        self._check_attributes(spec.get("when"), types, where)
        rule = Rule(rule_id, types, compile_condition(spec.get("when"), where + ".when"), citation, obligation, note,
                    why, (), after_attachment, bool(spec.get("finding", False)))
        rule.also = tuple(self.rule(a, f"{where}.also[{n}]", clocks, rule, n + 1)
                          for n, a in enumerate(spec.get("also") or ()))
        return rule

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
                if t == "*":
                    continue
                spec = MATTER_TYPES[t].attributes.get(name)
                if spec is None:
                    raise PackError(where, f"matter type {t!r} has no attribute {name!r}")
                values = test.get("in", test.get("not_in", [])) if isinstance(test, Mapping) else [test]
                for v in values or []:
                    if spec.kind == "choice" and v not in spec.choices:
                        raise PackError(where, f"{name}={v!r} is not one of {list(spec.choices)}")
                    if spec.kind == "bool" and not isinstance(v, bool):
                        raise PackError(where, f"{name} is true/false, not {v!r}")

    def meeting(self) -> MeetingRules | None:
        """The meeting rules, if the pack has them."""
        spec = self.meta.get("meeting")
        if spec is None:
            return None
        where = f"{self.folder}/pack.yaml: meeting"
        bodies = tuple(_req(spec, "bodies", where))
        for b in bodies:
            if b not in BODIES:
                raise PackError(where, f"unknown body {b!r}")

        def majority(section: str) -> dict[str, MajorityRule]:
            out = {}
            for body, rs in _req(spec, section, where).items():
                if body != "default" and body not in BODIES:
                    raise PackError(f"{where}.{section}", f"unknown body {body!r}")
                if rs.get("rule") not in MAJORITY_RULES:
                    raise PackError(f"{where}.{section}.{body}", f"rule must be one of {MAJORITY_RULES}")
                out[body] = MajorityRule(rs["rule"], self.citation(_req(rs, "cite", where), f"{where}.{section}.{body}"))
            if "default" not in out:
                raise PackError(f"{where}.{section}", "needs a `default` entry")
            return out

        from soegov.policy.meetings import CHECKS

        checks = {}
        for code, cs in (spec.get("checks") or {}).items():
            if code not in CHECKS:
                raise PackError(f"{where}.checks", f"unknown check {code!r}; known: {sorted(CHECKS)}")
            params = tuple((k, v) for k, v in cs.items() if k not in ("cite", "voids"))
            checks[code] = MeetingCheck(code, self.citation(_req(cs, "cite", where), f"{where}.checks.{code}"),
                                        bool(cs.get("voids", False)), params)
        return MeetingRules(bodies, majority("quorum"), majority("passing"), checks)

    def build(self) -> Pack:
        """The validated pack with every version's rules loaded and indexed."""
        where = str(self.folder / "pack.yaml")
        self.load_articles()
        clocks = self.clocks()
        versions = []
        for n, v in enumerate(_req(self.meta, "versions", where)):
            vw = f"{where}: versions[{n}]"
            until = v.get("in_force_until")
            version = PackVersion(str(_req(v, "version", vw)), _date(_req(v, "in_force_from", vw), vw),
                                  _date(until, vw) if until is not None else None, str(_req(v, "rules", vw)),
                                  str(v.get("note", "")))
            self._load_rules(version, clocks)
            versions.append(version)
        versions.sort(key=lambda v: v.in_force_from)
        for a, b in itertools.pairwise(versions):
            if a.in_force_until is None or a.in_force_until >= b.in_force_from:
                raise PackError(where, f"versions {a.version} and {b.version} overlap in time")
        scope = self.meta.get("scope") or {}
        kind_notes = {
            kind: tuple(KindNote(str(n["code"]), self.citation(n["cite"], f"{where}: kind_notes.{kind}"),
                                 str(n["zh"]), str(n["en"]),
                                 frozenset(n["authorities"]) if n.get("authorities") else None) for n in notes)
            for kind, notes in (self.meta.get("kind_notes") or {}).items()
        }
        for kind, notes in kind_notes.items():
            if kind not in KINDS:
                raise PackError(f"{where}: kind_notes", f"unknown kind {kind!r}")
            for note in notes:
                for code in note.authorities or ():
                    if code not in AUTHORITIES:
                        raise PackError(f"{where}: kind_notes.{kind}", f"unknown authority {code!r}")
        return Pack(
            id=self.id,
            document=self.document,
            title=str(_req(self.meta, "title", where)),
            title_en=str(self.meta.get("title_en", "")),
            issuer=str(self.meta.get("issuer", "")),
            doc_number=self.meta.get("doc_number"),
            issued=_date(_req(self.meta, "issued", where), where + ": issued"),
            jurisdiction=dict(self.meta.get("jurisdiction") or {}),
            scope_ownership=tuple(scope.get("ownership") or OWNERSHIPS),
            scope_citation=self.citation(scope["cite"], where + ": scope") if "cite" in scope else None,
            versions=versions,
            articles=self.articles,
            external=self.external,
            clocks=clocks,
            kind_notes=kind_notes,
            catch_alls=tuple(self.citation(c, f"{where}: catch_alls[{n}]")
                             for n, c in enumerate(self.meta.get("catch_alls") or ())),
            interpretations=tuple(Interpretation(str(i["id"]), str(i["title"]), str(i["text"]), str(i.get("text_en", "")))
                                  for i in self.meta.get("interpretations") or ()),
            attribute_defaults=dict(self.meta.get("attribute_defaults") or {}),
            decision_routes={k: tuple(v) for k, v in (self.meta.get("decision_routes") or {}).items()},
            meeting=self.meeting(),
            path=str(self.folder),
        )

    def _load_rules(self, version: PackVersion, clocks: Mapping[str, Clock]) -> None:
        path = self.folder / version.rules_file
        doc = _read_yaml(path)
        rules_spec = _req(doc, "rules", str(path))
        seen: set[str] = set()
        for n, spec in enumerate(rules_spec):
            rule = self.rule(spec, f"{path}: rules[{n}] ({spec.get('id', '?') if isinstance(spec, Mapping) else '?'})", clocks)
            for r in (rule, *rule.also):
                if r.id in seen:
                    raise PackError(str(path), f"duplicate rule id {r.id!r}")
                seen.add(r.id)
            version.rules.append(rule)
        by_type: dict[str, list[Rule]] = {}
        wildcard = [r for r in version.rules if "*" in r.types and r.after_attachment is None]
        for rule in version.rules:
            if rule.after_attachment is not None:
                continue
            for t in rule.types:
                if t != "*":
                    by_type.setdefault(t, []).append(rule)
        version.by_type = {t: tuple(by_type.get(t, []) + wildcard) for t in MATTER_TYPES}
        version.after_rules = tuple(r for r in version.rules if r.after_attachment is not None)


class Registry:
    """Every pack found, loaded on first use."""

    def __init__(self, folders: list[Path]):
        self._folders: dict[str, Path] = {}
        for base in folders:
            if not base.is_dir():
                continue
            for child in sorted(base.iterdir()):
                if (child / "pack.yaml").is_file():
                    self._folders.setdefault(child.name, child)
        self._loaded: dict[str, Pack] = {}

    @property
    def ids(self) -> list[str]:
        """Pack ids, sorted."""
        return sorted(self._folders)

    @property
    def packs(self) -> list[Pack]:
        """All packs, loaded."""
        return [self.get(pack_id) for pack_id in self.ids]

    def get(self, pack_id: str) -> Pack:
        """The pack with that id, or InputError unknown_policy."""
        pack = self._loaded.get(pack_id)
        if pack is not None:
            return pack
        folder = self._folders.get(pack_id)
        if folder is None:
            known = ", ".join(self.ids)
            raise InputError("unknown_policy", f"未知的政策包“{pack_id}”，可用：{known}", "policy",
                             f"unknown policy pack {pack_id!r}; known: {known}")
        pack = load_pack_cached(folder)
        self._loaded[pack_id] = pack
        return pack


def load_pack(folder: str | os.PathLike[str]) -> Pack:
    """Load one pack folder (used by `policy lint` and tests)."""
    return PackBuilder(Path(folder)).build()


_ENGINE_DIR = Path(__file__).resolve().parent


def _fingerprint(folder: Path) -> tuple[Any, ...]:
    """What a cached pack depends on: its files and the engine code that builds it."""
    files = sorted(folder.glob("*.yaml")) + sorted(_ENGINE_DIR.glob("*.py"))
    stats = []
    for f in files:
        st = f.stat()
        stats.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(stats)


def _cache_file(pack_id: str) -> Path:
    base = os.environ.get("SOEGOV_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "soegov" / "packs" / f"{pack_id}.pickle"


def load_pack_cached(folder: Path) -> Pack:
    """A built pack from the cache when its files and the engine are unchanged, else built and cached."""
    fingerprint = _fingerprint(folder)
    cache = _cache_file(folder.name)
    try:
        with cache.open("rb") as fh:
            if pickle.load(fh) == fingerprint:
                pack: Pack = pickle.load(fh)
                return pack
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # absent, stale or unreadable: rebuild below
    pack = load_pack(folder)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(fingerprint, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(pack, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home only costs start-up time
    return pack


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry: shipped packs plus $SOEGOV_POLICY_PATH folders (':'-separated)."""
    global _REGISTRY
    if _REGISTRY is None:
        extra = [Path(p) for p in os.environ.get("SOEGOV_POLICY_PATH", "").split(os.pathsep) if p]
        _REGISTRY = Registry([*extra, PACKS_DIR])
    return _REGISTRY


def reset_registry() -> None:
    """Forget loaded packs (tests that change $SOEGOV_POLICY_PATH call this)."""
    global _REGISTRY
    _REGISTRY = None
