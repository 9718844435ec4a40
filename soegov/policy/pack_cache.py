"""A built pack as a cache file: marshal of plain data, so loading it imports nothing.

Why not pickle: importing pickle (its C part, _compat_pickle, struct) costs some 4 ms, a tenth of a
`soegov classify` start, whose budget is three bare Python starts. marshal is built in and already
loaded by the import system. A pack is engine records (soegov.policy.record.Record, plain slots), text,
numbers, dates, Decimals and containers; each kind that marshal lacks is written as a tagged tuple, and
every record once: a second reference to it is written as its number, so shared records stay shared.
"""

from __future__ import annotations

import marshal
from decimal import Decimal

from soegov.policy.dates import date
from soegov.policy.record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

# Bumped when the layout below changes, so an old cache is rebuilt rather than misread.
FORMAT = 1
_TUPLE, _FROZENSET, _DECIMAL, _DATE, _RECORD, _SEEN = range(6)
# Written as themselves; checked before a call, since most of a pack is text.
_PLAIN = frozenset({str, int, bool, float, bytes, type(None)})


def _slots(cls: type) -> tuple[str, ...]:
    """Every slot of a record class, its bases' first."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(n for n in klass.__dict__.get("__slots__", ()) if n not in names)
    return tuple(names)


class _Writer:
    def __init__(self) -> None:
        self.classes: dict[type, int] = {}
        self.seen: dict[int, int] = {}
        self.keep: list[object] = []  # keeps each record alive, so its id() is not reused while writing

    def value(self, obj: object) -> object:
        kind = type(obj)
        if obj is None or kind in (str, int, bool, float, bytes):
            return obj
        if kind is list:
            return [self.value(v) for v in obj]  # type: ignore[attr-defined]
        if kind is dict:
            return {self.value(k): self.value(v) for k, v in obj.items()}  # type: ignore[attr-defined]
        if kind is tuple:
            return (_TUPLE, *(self.value(v) for v in obj))  # type: ignore[attr-defined]
        if kind is frozenset:
            return (_FROZENSET, *(self.value(v) for v in obj))  # type: ignore[attr-defined]
        if kind is Decimal:
            return (_DECIMAL, str(obj))
        if kind is date:
            return (_DATE, obj.toordinal())  # type: ignore[attr-defined]
        if isinstance(obj, Record):
            return self.record(obj)
        raise TypeError(f"a pack holds no {kind.__name__}")

    def record(self, obj: Record) -> object:
        number = self.seen.get(id(obj))
        if number is not None:
            return (_SEEN, number)
        self.seen[id(obj)] = len(self.seen)
        self.keep.append(obj)
        cls = type(obj)
        index = self.classes.setdefault(cls, len(self.classes))
        return (_RECORD, index, *(self.value(getattr(obj, n)) for n in _slots(cls)))


def dumps(stamp: object, pack: object) -> bytes:
    """The cache file's bytes: the format, the stamp the pack was built for, its record classes, the pack."""
    writer = _Writer()
    body = writer.value(pack)
    classes = [(c.__module__, c.__qualname__) for c in writer.classes]
    return marshal.dumps((FORMAT, stamp, classes, body))  # type: ignore[arg-type]  # plain data by construction


class _Reader:
    def __init__(self, classes: list[tuple[str, str]]) -> None:
        self.classes: list[tuple[type, tuple[str, ...]]] = []
        for module, name in classes:
            cls = getattr(__import__(module, fromlist=[name]), name)
            self.classes.append((cls, _slots(cls)))
        self.records: list[object] = []

    def value(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is tuple:
            tag = obj[0]
            if tag == _RECORD:
                return self.record(obj)
            if tag == _TUPLE:
                return tuple([v if type(v) in _PLAIN else self.value(v) for v in obj[1:]])
            if tag == _SEEN:
                return self.records[obj[1]]
            if tag == _FROZENSET:
                return frozenset([v if type(v) in _PLAIN else self.value(v) for v in obj[1:]])
            if tag == _DECIMAL:
                return Decimal(obj[1])
            if tag == _DATE:
                return date.fromordinal(obj[1])
            raise ValueError(f"unknown tag {tag!r} in a pack cache")
        if kind is list:
            return [v if type(v) in _PLAIN else self.value(v) for v in obj]
        if kind is dict:
            return {self.value(k): v if type(v) in _PLAIN else self.value(v) for k, v in obj.items()}
        return obj

    def record(self, obj: tuple[Any, ...]) -> object:
        cls, names = self.classes[obj[1]]
        new = cls.__new__(cls)
        self.records.append(new)  # numbered before its fields, as the writer numbered it
        for name, raw in zip(names, obj[2:], strict=True):
            setattr(new, name, raw if type(raw) in _PLAIN else self.value(raw))
        return new


def loads(data: bytes, stamp: object) -> Any:
    """The pack in a cache file's bytes, or None when it was built for another stamp or format."""
    fmt, built_for, classes, body = marshal.loads(data)
    if fmt != FORMAT or built_for != stamp:
        return None
    return _Reader(classes).value(body)
