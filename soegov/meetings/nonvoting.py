"""The meeting's non-voting attendees (列席), written as one line "姓名（职务）、…"."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[、,，;；\n]+")
_PAREN = re.compile(r"^(.*?)[（(](.*)[）)]$")
# What a name or position may not hold: it would split or bracket the line differently when read back.
RESERVED = "、,，;；\n（）()"


def parse_nonvoting(text: str) -> list[tuple[str, str]]:
    """(name, position) of each attendee in "姓名（职务）、…" (a name without a position gets "")."""
    out = []
    for part in _SPLIT.split(text or ""):
        part = part.strip()
        if not part:
            continue
        m = _PAREN.match(part)
        out.append((m.group(1).strip(), m.group(2).strip()) if m else (part, ""))
    return out


def join_nonvoting(people: list[tuple[str, str]]) -> str:
    """The one line "姓名（职务）、…" that parse_nonvoting reads back."""
    return "、".join(f"{name}（{position}）" if position else name for name, position in people)
