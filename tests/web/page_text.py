"""What a person reads on a page (text, not markup) and the internal codes that must never be in it, and a crawler
that visits every page reachable by links from a start page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# Codes of the system that mean nothing to a user: pack ids, rule and article ids, snake_case type, status and
# finding codes, demo login names, SHA-256 digests.
INTERNAL_CODE = re.compile(
    r"\b(?:yining|xundian)-20\d\d\b"
    r"|\b[a-z]{1,3}\d+(?:-\d+)+[a-z]?\b"
    r"|\bart-\d+(?:-\d+)*\b"
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"
    r"|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,}"
)
# What the Content-Security-Policy refuses to apply (style-src 'self', style-src-attr 'none').
INLINE_STYLE = re.compile(r"""<[a-zA-Z][^<>]*\sstyle\s*=|<style[\s>]""")
SKIP_TAGS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Never followed: they change state, leave the site or return files.
SKIP_PATH = re.compile(r"/accounts/logout|/api/|\.(?:pdf|docx|xlsx|zip|json|xml|csv|ofd)$|/download|/materials/\d+|"
                       r"/attachments/\d+/$|/export|/evidence/")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        # translate="no" marks a code the user must type as it is (the ledger file's column values).
        if tag in SKIP_TAGS or (self._skip and tag not in VOID) or a.get("translate") == "no":
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        # What a field shows before anyone types is read like text.
        if tag in ("input", "textarea") and a.get("type") not in ("hidden", "password") and a.get("value"):
            self.text.append(a["value"] or "")
        if a.get("placeholder"):
            self.text.append(a["placeholder"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag not in VOID:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (no markup, scripts or styles)."""
    r = _Reader()
    r.feed(html)
    return " ".join(r.text)


def links(html: str) -> list[str]:
    """The page's link targets."""
    r = _Reader()
    r.feed(html)
    return r.hrefs


def internal_codes(text: str) -> list[str]:
    """Every internal code found in the text."""
    return INTERNAL_CODE.findall(text)


def crawl_order(get: Callable[[str], tuple[str | None, str]], start: str, *, per_pattern: int = 2,
                limit: int = 400) -> Iterator[tuple[str, str]]:
    """(path, html) of each page reachable from `start` by links on this site; at most `per_pattern` pages of a
    shape (paths alike but for their numbers), so a list of a thousand matters costs two visits."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        html, _why = get(path)
        if html is None:
            continue
        yield path, html
        for href in links(html):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP_PATH.search(parts.path):
                continue
            shape = re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else "")
            if href in seen or shapes.get(shape, 0) >= per_pattern:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(href)
