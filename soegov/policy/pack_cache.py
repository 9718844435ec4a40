"""A built pack as a cache file: Python code that rebuilds it, compiled once and stored with marshal.

Why not pickle: importing pickle (its C part, _compat_pickle, struct) costs some 4 ms, a tenth of a
`soegov classify` start, whose budget is three bare Python starts. marshal is built in and already loaded by
the import system, and running straight-line code that makes each record and sets its slots rebuilds a pack
four times faster than walking a tree of plain data in Python (0.55 against 2.4 ms for yining-2024). Every record is
built once: a second reference to it names the same object, so shared records stay shared.

Like a pickle, the file is code that runs when it is loaded: it is written by soegov itself into the user's
own cache folder (0700), never read from anywhere else. A header names the cache format and the Python that
compiled it, so a cache from another Python is rebuilt, not run.

A pack's texts (its articles, the sources an overlay quotes, its interpretations) are a second code object,
run on their first read (Pack.defer_texts) in the names the first one left: `soegov classify` reads none of
them, and decoding and running them cost it some 1.3 million instructions (callgrind). A record the texts share with the
rest of the pack is made by the first code and named by the second, so it stays one object.
"""

from __future__ import annotations

import marshal
import sys
from decimal import Decimal

from soegov.policy.dates import date
from soegov.policy.model import Pack
from soegov.policy.record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Bumped when the layout below changes; with the Python's own tag, since compiled code is that Python's.
FORMAT = (4, sys.implementation.cache_tag, sys.hexversion)
_HEADER_SIZE = 4  # bytes giving the length of the header that follows them


def _slots(cls: type) -> tuple[str, ...]:
    """Every slot of a record class, its bases' first (a pack's: what it is, its texts last)."""
    if cls is Pack:
        return Pack.FIELDS
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(n for n in klass.__dict__.get("__slots__", ()) if n not in names)
    return tuple(names)


def _written(cls: type) -> tuple[str, ...]:
    """The slots the first code sets: a pack's texts are left to the second."""
    return tuple(n for n in Pack.FIELDS if n not in Pack.TEXTS) if cls is Pack else _slots(cls)


def _count(value: object, counts: dict[int, int]) -> None:
    """Count, by id, the references to each record inside `value` (a record's own slots are walked once)."""
    kind = type(value)
    if kind in (tuple, list, frozenset):
        for item in value:  # type: ignore[attr-defined]
            _count(item, counts)
    elif kind is dict:
        for item in value.values():  # type: ignore[attr-defined]  # keys are plain: a record is unhashable
            _count(item, counts)
    elif isinstance(value, Record):
        seen = counts.get(id(value), 0)
        counts[id(value)] = seen + 1
        if not seen:
            for slot in _slots(kind):
                _count(getattr(value, slot), counts)


class _Writer:
    """Writes a pack as statements that make each record and set its slots through a setter made once per class:
    `t2 = S1(N(C1), <slot values>)`. A record referred to twice is named first (`r3 = N(C1)`, then `S1(r3, …)`),
    so a record may refer back to it; one referred to once is made under a name (`t2`) that is reused once the
    statement placing it is written."""

    def __init__(self, counts: dict[int, int]) -> None:
        self.lines: list[str] = []
        self.setters: list[str] = []  # the setters' definitions, written before the statements
        self.classes: dict[type, str] = {}
        self.names: dict[int, str] = {}
        self.keep: list[object] = []  # keeps each record alive, so its id() is not reused while writing
        self.counts = counts  # how many times each record is referred to (by id)
        self.placed: list[str] = []  # names of records referred to once, until the statement using them is written
        self.free: list[str] = []  # such names once used: the next such record takes one
        self.made = 0  # such names made so far
        self.top: object = None  # the value written: a pack's texts are written after it, so it is the only pack

    def expression(self, value: object) -> str:
        kind = type(value)
        if value is None or kind in (str, int, bool, float, bytes):
            return repr(value)
        if kind is tuple:
            return "(" + "".join(self.expression(v) + "," for v in value) + ")"  # type: ignore[attr-defined]
        if kind is list:
            return "[" + ",".join(self.expression(v) for v in value) + "]"  # type: ignore[attr-defined]
        if kind is dict:
            return "{" + ",".join(f"{self.expression(k)}:{self.expression(v)}" for k, v in value.items()) + "}"  # type: ignore[attr-defined]
        if kind is frozenset:
            return "frozenset((" + "".join(self.expression(v) + "," for v in value) + "))"  # type: ignore[attr-defined]
        if kind is Decimal:
            return f"D({str(value)!r})"
        if kind is date:
            return f"F({value.toordinal()})"  # type: ignore[attr-defined]
        if isinstance(value, Record):
            return self.record(value)
        raise TypeError(f"a pack holds no {kind.__name__}")

    def cls(self, cls: type) -> str:
        """The alias of a record class (C1), its setter (S1) defined the first time."""
        alias = self.classes.get(cls)
        if alias is None:
            alias = self.classes[cls] = f"C{len(self.classes)}"
            # One function sets every slot: run for each record of the class, its attribute stores are
            # specialised by the interpreter after the first calls, where a store written out per record ran
            # once, unspecialised; and the code is smaller (yining-2024's cache 141 KB, not 172 KB).
            slots = _written(cls)
            self.setters.append(f"def S{alias[1:]}(o{''.join(f', a{n}' for n in range(len(slots)))}):")
            self.setters.extend(f" o.{slot} = a{n}" for n, slot in enumerate(slots))
            self.setters.append(" return o")
        return alias

    def record(self, obj: Record) -> str:
        name = self.names.get(id(obj))
        if name is not None:
            return name
        if type(obj) is Pack and obj is not self.top:
            raise TypeError("a pack is cached whole, not inside another value")
        alias = self.cls(type(obj))
        once = self.counts[id(obj)] == 1
        if not once:
            name = f"r{len(self.names)}"
            self.names[id(obj)] = name  # named before its slots are written, so a record may refer back to it
            self.keep.append(obj)
            self.lines.append(f"{name} = N({alias})")
        mark = len(self.placed)
        values = "".join(", " + self.expression(getattr(obj, slot)) for slot in _written(type(obj)))
        if once:
            # Most records are referred to once: a name used only until the statement that places the record
            # is free again, so the code holds a few dozen names, not one per record (each is a global set at
            # load time, and every name in the code is read and interned when the cache is loaded).
            if not self.free:
                self.free.append(f"t{self.made}")
                self.made += 1
            name = self.free.pop()
            self.lines.append(f"{name} = S{alias[1:]}(N({alias}){values})")
        else:
            self.lines.append(f"S{alias[1:]}({name}{values})")
        self.free.extend(self.placed[mark:])  # the records this statement placed are named no more
        del self.placed[mark:]
        assert name is not None
        if once:
            self.placed.append(name)
        return name


def dumps(stamp: object, pack: object) -> bytes:
    """The cache file's bytes: a header (format, the stamp the pack was built for, its record classes, the
    codes' lengths), the code making the pack, then (for a Pack) the code making its texts."""
    counts: dict[int, int] = {}
    _count(pack, counts)  # the texts too: a record they share with the rest is named, not made twice
    writer = _Writer(counts)
    writer.top = pack
    writer.lines.append(f"pack = {writer.expression(pack)}")
    first = writer.lines
    writer.lines = []
    if type(pack) is Pack:
        writer.lines.append(f"texts = {writer.expression(tuple(getattr(pack, n) for n in Pack.TEXTS))}")
    code = marshal.dumps(compile("\n".join(writer.setters + first), "<soegov pack cache>", "exec"))
    texts = marshal.dumps(compile("\n".join(writer.lines), "<soegov pack texts>", "exec")) if writer.lines else b""
    classes = [(alias, cls.__module__, cls.__qualname__) for cls, alias in writer.classes.items()]
    header = marshal.dumps((FORMAT, stamp, classes, len(code), len(texts)))  # type: ignore[arg-type]  # plain data
    return len(header).to_bytes(_HEADER_SIZE, "big") + header + code + texts


def _run(code: memoryview, names: dict[str, Any], rebuild: Callable[[], Any] | None) -> Any:
    """The texts the second code makes, in the names the first left; from `rebuild()`'s pack when that code is
    damaged (the file's lengths were right, so this shows only now)."""
    try:
        exec(marshal.loads(code), names)  # soegov's own cache: see the module's docstring
        return names["texts"]
    except Exception:
        if rebuild is None:
            raise
        pack = rebuild()
        return tuple(getattr(pack, n) for n in Pack.TEXTS)


def loads(data: bytes, stamp: object, rebuild: Callable[[], Any] | None = None) -> Any:
    """The pack in a cache file's bytes, or None when it was built for another stamp, format or Python; `rebuild`
    builds the pack from its files, should its texts turn out damaged when first read."""
    size = int.from_bytes(data[:_HEADER_SIZE], "big")
    fmt, built_for, classes, *lengths = marshal.loads(data[_HEADER_SIZE:_HEADER_SIZE + size])
    start = _HEADER_SIZE + size
    # A file cut short is refused now, and rebuilt whole, rather than found out when its texts are first read.
    if tuple(fmt) != FORMAT or built_for != stamp or start + sum(lengths) != len(data):
        return None
    names: dict[str, Any] = {"N": object.__new__, "D": Decimal, "F": date.fromordinal, "frozenset": frozenset}
    for alias, module, qualname in classes:
        names[alias] = getattr(__import__(module, fromlist=[qualname]), qualname)
    # A view, not a slice: a slice would copy the whole code (170 KB for yining-2024) before reading it.
    view = memoryview(data)
    exec(marshal.loads(view[start:]), names)  # soegov's own cache: see the docstring
    pack = names["pack"]
    if lengths[1]:
        texts = view[start + lengths[0]:]
        pack.defer_texts(lambda: _run(texts, names, rebuild))
    return pack
