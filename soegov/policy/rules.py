"""A pack's rules as data: conditions with their obligation or note, clocks, kind notes, readings."""

from __future__ import annotations

from soegov.policy.conditions import Condition
from soegov.policy.record import Record
from soegov.policy.texts import Citation

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any

ROLE_PREFIX = "role:"  # an overlay's authority that each local pack maps (pack.yaml `roles`)


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

    __slots__ = ("kind", "authority", "via", "attachments", "clock", "review_clock", "extra", "role")

    kind: str
    authority: str
    via: str | None
    attachments: tuple[str, ...]
    clock: str | None
    review_clock: str | None
    extra: tuple[tuple[str, Any], ...]  # category, voting_method, bodies …
    role: str | None  # an overlay's role (investor) each local pack maps to its authority, else None

    def __init__(self, kind: str, authority: str, via: str | None = None, attachments: tuple[str, ...] = (), clock: str | None = None, review_clock: str | None = None, extra: tuple[tuple[str, Any], ...] = ()) -> None:
        self.kind = kind
        self.authority = authority
        self.via = via
        self.attachments = attachments
        self.clock = clock
        self.review_clock = review_clock
        self.extra = extra
        self.role = authority[len(ROLE_PREFIX):] if authority.startswith(ROLE_PREFIX) else None


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
                 "duty", "yields_to", "except_types")

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
    yields_to: tuple[tuple[str, str | None], ...]  # an overlay duty met by a local one of this (kind, authority)
    except_types: tuple[str, ...]  # the types a wildcard rule leaves out

    def __init__(self, id: str, types: tuple[str, ...], condition: Condition | None, citation: Citation, obligation: ObligationSpec | None = None, note: NoteSpec | None = None, why: dict[str, str] | None = None, also: tuple[Rule, ...] = (), after_attachment: str | None = None, finding: bool = False,
                 yields_to: tuple[tuple[str, str | None], ...] = ()) -> None:
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
        self.yields_to = yields_to
        self.except_types = ()
        self.duty = None
        if obligation is not None:
            self.duty = (obligation.kind, obligation.authority, citation.document, citation.article, citation.item,
                         citation.subitem)


class KindNote(Record):
    """A note added once when any obligation of a kind is in the verdict."""

    __slots__ = ("code", "citation", "zh", "en", "authorities", "attachment")

    code: str
    citation: Citation
    zh: str
    en: str
    authorities: frozenset[str] | None  # only when an obligation of the kind goes to one of these
    attachment: str | None  # the document the note asks for: every such obligation lists it (lint checks)

    def __init__(self, code: str, citation: Citation, zh: str, en: str,
                 authorities: frozenset[str] | None = None, attachment: str | None = None) -> None:
        self.code = code
        self.citation = citation
        self.zh = zh
        self.en = en
        self.authorities = authorities
        self.attachment = attachment


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
