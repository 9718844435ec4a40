"""A sentence built in Python that the API and the CLI report in Chinese and a page shows in its reader's language.

A `Note` is the Chinese text itself (a `str`: JSON, the CLI and f-strings see only the Chinese), and keeps its
catalogue template and fields, so a page can render the same sentence through gettext: one sentence, one msgid,
no second copy per language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext


class Note(str):
    """Chinese text that remembers its msgid and fields; `translated()` gives it in the active language."""

    msgid: str
    fields: dict[str, Any]
    parts: tuple[Any, ...] | None

    def __new__(cls, msgid: str, /, **fields: Any) -> Note:
        # The fields are formatted in Chinese here (a Note field gives its own Chinese text).
        note = super().__new__(cls, msgid.format(**fields) if fields else msgid)
        note.msgid, note.fields, note.parts = msgid, fields, None
        return note

    @classmethod
    def joined(cls, separator: str, parts: Iterable[Any]) -> Note:
        """The parts joined by a separator that is itself translated (、 reads ", " in English)."""
        parts = tuple(parts)
        note = super().__new__(cls, separator.join(str(p) for p in parts))
        note.msgid, note.fields, note.parts = separator, {}, parts
        return note

    def translated(self) -> str:
        """The sentence in the active language (the Chinese when no translation is catalogued)."""
        if self.parts is not None:
            return gettext(self.msgid).join(in_language(p) for p in self.parts)
        if not self.fields:
            return gettext(self.msgid)
        return gettext(self.msgid).format(**{k: in_language(v) for k, v in self.fields.items()})

    def as_data(self) -> dict[str, Any]:
        """The note as JSON (msgid, fields or joined parts), for a record that keeps it: `from_data` reads it back."""
        if self.parts is not None:
            return {"msgid": self.msgid, "parts": [as_data(p) for p in self.parts]}
        return {"msgid": self.msgid, "fields": {k: as_data(v) for k, v in self.fields.items()}}

    @classmethod
    def from_data(cls, data: Any) -> Any:
        """A note kept by `as_data` (anything else as it is)."""
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return data
        if isinstance(data.get("parts"), list):
            return cls.joined(data["msgid"], [cls.from_data(p) for p in data["parts"]])
        kept = data.get("fields")
        fields: dict[Any, Any] = kept if isinstance(kept, dict) else {}
        try:
            return cls(data["msgid"], **{str(k): cls.from_data(v) for k, v in fields.items()})
        except (KeyError, IndexError, ValueError):  # a record kept before its msgid changed: its words as kept
            return data["msgid"]

    def __reduce__(self) -> tuple[Any, ...]:
        # A cached row keeps its note translatable (str's own pickling would rebuild it from the Chinese alone).
        return (_rebuild, (str(self), self.msgid, self.fields, self.parts))


def _rebuild(text: str, msgid: str, fields: dict[str, Any], parts: tuple[Any, ...] | None) -> Note:
    note = str.__new__(Note, text)
    note.msgid, note.fields, note.parts = msgid, fields, parts
    return note


def as_data(value: Any) -> Any:
    """A Note as JSON, a date as ISO text, anything else as it is."""
    if isinstance(value, Note):
        return value.as_data()
    return value.isoformat() if hasattr(value, "isoformat") else value


def in_language(value: Any) -> Any:
    """A Note in the active language; any other value (a name, a number, a date) as it is."""
    return value.translated() if isinstance(value, Note) else value
