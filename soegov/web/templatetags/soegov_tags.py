"""Small template filters."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def tojson(value: Any) -> str:
    """Compact JSON with Chinese left readable (for before/after snapshots)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# Half-width , ; : ( ) as typed in the source texts; a comma or colon between two digits (1,000 or 09:30) stays.
_HALF_WIDTH = re.compile(r"(?<!\d),|,(?!\d)|(?<!\d);|;(?!\d)|(?<!\d):|:(?!\d)|\(|\)")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}


@register.filter
def zh_punct(value: Any) -> str:
    """Chinese text with full-width punctuation, as the regulations are printed (not 5,000 or 09:30)."""
    if value is None:
        return ""
    return _HALF_WIDTH.sub(lambda m: _FULL_WIDTH[m.group(0)], str(value))


@register.filter
def pack_title(value: Any) -> str:
    """A pack id as the regulation's title."""
    from soegov.core.names import pack_title as title

    return title(str(value)) if value else ""


@register.filter
def plain(value: Any) -> str:
    """A stored text with its codes in Chinese words (soegov.core.names.plain)."""
    from soegov.core.names import plain as words

    return words(value)


@register.filter
def note(value: Any) -> str:
    """A note built in Python (soegov.core.notes.Note) in the page's language; any other text as `plain` shows it."""
    from soegov.core.notes import Note

    return value.translated() if isinstance(value, Note) else plain(value)


@register.filter
def note_text(value: Any) -> Any:
    """A Note in the page's language; any other value (what people entered) exactly as it is."""
    from soegov.core.notes import in_language

    return in_language(value)


@register.filter
def kept_notes(value: Any) -> str:
    """Notes a record kept as JSON (Note.as_data), joined by "、", in the page's language."""
    from soegov.core.notes import Note, in_language

    return gettext("、").join(str(in_language(Note.from_data(n))) for n in value or [])


@functools.cache
def _vocabulary_english() -> dict[str, str]:
    """The rules engine's vocabulary (matter types, their facts, kinds, authorities, attachments…), Chinese to
    English, as the engine's own catalogue names them for `--lang en`."""
    from soegov.policy import catalogue

    out: dict[str, str] = {}
    for table in vars(catalogue).values():
        if isinstance(table, dict):
            for entry in table.values():
                label, label_en = getattr(entry, "label", None), getattr(entry, "label_en", None)
                if isinstance(label, str) and isinstance(label_en, str) and label_en:
                    out.setdefault(label, label_en)
                for attribute in getattr(entry, "attributes", {}).values():
                    out.setdefault(attribute.label, attribute.label_en)
    return out


@register.filter
def marked(value: Any, words: Any) -> str:
    """The text escaped, with each search word in it wrapped in <mark> (case-insensitive): the search results."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = str(value or "")
    found = sorted({str(w) for w in (words or []) if str(w).strip()}, key=len, reverse=True)
    if not found:
        return escape(text)
    # Split the raw text (never the escaped one, whose entities a word like "amp" would cut) and escape each part.
    parts = re.split("(" + "|".join(re.escape(w) for w in found) + ")", text, flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if n % 2 else escape(p) for n, p in enumerate(parts)))


@register.filter
def tr(value: Any) -> str:
    """A label kept Chinese in Python (a choice, a status, a step, the engine's vocabulary) in the page's language;
    usable inside a blocktranslate's `with`, where the translate tag is not."""
    if value in (None, ""):
        return ""
    text = str(value)
    translated = gettext(text)
    if translated == text and get_language() == "en":
        return _vocabulary_english().get(text, text)
    return translated


@register.filter
def tr_parts(value: Any) -> str:
    """Labels joined by "；" (a figure's articles in several regulations), each in the page's language."""
    if value in (None, ""):
        return ""
    parts = [tr(p) for p in str(value).split("；")]
    return ("; " if get_language() == "en" else "；").join(parts)
