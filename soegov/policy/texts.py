"""The texts a pack quotes: articles, their items and sub-items, and citations of them."""

from __future__ import annotations

from collections.abc import Mapping

from soegov.policy.errors import PackError
from soegov.policy.record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any


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

    __slots__ = ("number", "chapter", "text", "lead", "items", "source", "verified")

    number: int
    chapter: str
    text: str
    lead: str
    items: tuple[Item, ...]
    source: str  # where a text not shipped as a seed was read (an address), else ""
    verified: bool | None  # False: the text or its numbering could not be checked (see the pack's notes)

    def __init__(self, number: int, chapter: str, text: str, lead: str, items: tuple[Item, ...] = (),
                 source: str = "", verified: bool | None = None) -> None:
        self.number = number
        self.chapter = chapter
        self.text = text
        self.lead = lead
        self.items = items
        self.source = source
        self.verified = verified

    def item(self, number: int) -> Item | None:
        """The item with this number, if the article has it."""
        if 1 <= number <= len(self.items):
            return self.items[number - 1]
        return None


class Citation(Record):
    """Where a rule comes from: document, article, item and sub-item, with the quoted text."""

    __slots__ = ("document", "article", "item", "subitem", "text", "source", "verified")

    document: str
    article: int
    item: int | None
    subitem: int | None
    text: str
    source: str
    verified: bool | None

    def __init__(self, document: str, article: int, item: int | None = None, subitem: int | None = None, text: str = "",
                 source: str = "", verified: bool | None = None) -> None:
        self.document = document
        self.article = article
        self.item = item
        self.subitem = subitem
        self.text = text
        self.source = source
        self.verified = verified

    def as_dict(self) -> dict[str, Any]:
        """The contract's citation object (a fresh copy: callers may change it)."""
        out: dict[str, Any] = {"document": self.document, "article": self.article, "item": self.item}
        if self.subitem is not None:
            out["subitem"] = self.subitem
        out["text"] = self.text
        if self.source:
            # A national text quoted from where it was read: the address, and whether it could be checked.
            out["source"] = self.source
            out["verified"] = bool(self.verified)
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


def cite_article(document: str, articles: Mapping[int, Article], spec: Mapping[str, Any], where: str) -> Citation:
    """A citation of `document`'s article/item/sub-item named by `spec`, with the quoted text; PackError if absent."""
    number = spec["article"]
    if isinstance(number, bool) or not isinstance(number, int):
        raise PackError(where, f"an article is a number, got {number!r}")
    article = articles.get(number)
    if article is None:
        raise PackError(where, f"article {number} is not in {document}'s articles")
    where_read = (article.source, article.verified)
    item_no = spec.get("item")
    if item_no is None:
        return Citation(document, number, None, None, article.text, *where_read)
    item = article.item(int(item_no))
    if item is None:
        raise PackError(where, f"{document} article {number} has no item {item_no}")
    sub_no = spec.get("subitem")
    if sub_no is None:
        return Citation(document, number, int(item_no), None, item.text, *where_read)
    if not 1 <= int(sub_no) <= len(item.subitems):
        raise PackError(where, f"{document} article {number} item {item_no} has no sub-item {sub_no}")
    return Citation(document, number, int(item_no), int(sub_no), item.subitems[int(sub_no) - 1], *where_read)


class Source(Record):
    """A document an overlay pack quotes: its title, edition and dates, with the articles read from it."""

    __slots__ = ("document", "title", "issuer", "edition", "in_force_from", "articles", "note")

    document: str
    title: str
    issuer: str
    edition: str
    in_force_from: str  # as the source states it (a date, or words where it could not be checked)
    articles: dict[int, Article]
    note: str

    def __init__(self, document: str, title: str, issuer: str, edition: str, in_force_from: str,
                 articles: dict[int, Article], note: str = "") -> None:
        self.document = document
        self.title = title
        self.issuer = issuer
        self.edition = edition
        self.in_force_from = in_force_from
        self.articles = articles
        self.note = note
