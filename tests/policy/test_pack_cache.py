"""The pack cache file (soegov/policy/pack_cache.py): a cached pack is the built pack, shared records stay
shared, and a cache written for other files, another format or damaged is never used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.policy import pack_cache
from soegov.policy.loader import PACKS_DIR, load_pack, load_pack_cached
from soegov.policy.model import Pack
from soegov.policy.record import Record


@pytest.mark.parametrize("pack_id", sorted(os.listdir(PACKS_DIR)))
def test_a_cached_pack_equals_the_built_one(pack_id: str) -> None:
    built = load_pack(os.path.join(PACKS_DIR, pack_id))
    again = pack_cache.loads(pack_cache.dumps("stamp", built), "stamp")
    assert again == built
    _same_types(again, built)


def _same_types(a: Any, b: Any) -> None:
    """Equal is not enough: Decimal("1") == 1 and a list equals nothing else, but a date must come back a date."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, Pack):
        for field in Pack.FIELDS:  # not `_texts`: a built pack's is None, a cached one's decodes its texts
            _same_types(getattr(a, field), getattr(b, field))
    elif isinstance(a, Record):
        for klass in type(a).__mro__:
            for slot in klass.__dict__.get("__slots__", ()):
                _same_types(getattr(a, slot), getattr(b, slot))
    elif isinstance(a, list | tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same_types(x, y)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same_types(a[key], b[key])
    else:
        assert a == b


def test_a_record_referred_to_twice_is_one_object_after_loading() -> None:
    built = load_pack(os.path.join(PACKS_DIR, "yining-2024"))
    version = built.versions[0]
    rule = version.rules[0]
    again = pack_cache.loads(pack_cache.dumps("s", (rule, rule, version)), "s")
    assert again[0] is again[1]
    assert again[2].rules[0] is again[0]


def test_records_referred_to_once_share_a_few_names() -> None:
    # Each name in the code is read and interned at every load, and set as a global: one per record cost
    # yining-2024's load some 0.5 ms of a `soegov classify` start.
    import marshal

    built = load_pack(os.path.join(PACKS_DIR, "yining-2024"))
    data = pack_cache.dumps("s", built)
    size = int.from_bytes(data[:4], "big")
    code = marshal.loads(data[4 + size:])
    records = _records(built, set())
    assert len(code.co_names) < records / 2


def _records(value: Any, seen: set[int]) -> int:
    """How many distinct records `value` holds."""
    if isinstance(value, Record):
        if id(value) in seen:
            return 0
        seen.add(id(value))
        return 1 + sum(_records(getattr(value, slot), seen) for klass in type(value).__mro__
                       for slot in klass.__dict__.get("__slots__", ()))
    if isinstance(value, dict):
        return sum(_records(v, seen) for v in value.values())
    if isinstance(value, list | tuple | frozenset):
        return sum(_records(v, seen) for v in value)
    return 0


def test_a_cache_built_for_other_files_or_another_format_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = ("folder", (("rules.yaml", 1, 2),))
    data = pack_cache.dumps(stamp, ["x"])
    assert pack_cache.loads(data, stamp) == ["x"]
    assert pack_cache.loads(data, ("folder", (("rules.yaml", 1, 3),))) is None
    monkeypatch.setattr(pack_cache, "FORMAT", (pack_cache.FORMAT[0] + 1, *pack_cache.FORMAT[1:]))
    assert pack_cache.loads(data, stamp) is None


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOEGOV_CACHE_DIR", str(tmp_path / "cache"))
    folder = os.path.join(PACKS_DIR, "national")
    first = load_pack_cached(folder)
    cache = tmp_path / "cache" / "soegov" / "packs" / "national.marshal"
    cache.write_bytes(cache.read_bytes()[:-40])
    assert load_pack_cached(folder) == first
    assert pack_cache.loads(cache.read_bytes(), None) is None  # rewritten whole (for its own stamp, not None)


def test_damaged_texts_are_rebuilt_from_the_pack_s_files_when_first_read(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Damage inside the file, its length unchanged: seen only when the deferred texts are first read.
    monkeypatch.setenv("SOEGOV_CACHE_DIR", str(tmp_path / "cache"))
    folder = os.path.join(PACKS_DIR, "yining-2024")
    built = load_pack(folder)
    load_pack_cached(folder)
    cache = tmp_path / "cache" / "soegov" / "packs" / "yining-2024.marshal"
    data = bytearray(cache.read_bytes())
    data[-2000:] = b"\xff" * 2000  # inside the texts' code, the last part of the file
    cache.write_bytes(bytes(data))
    damaged = load_pack_cached(folder)
    assert damaged.articles == built.articles and damaged.interpretations == built.interpretations
    assert damaged == built
    assert not cache.exists()  # removed: the next load writes it whole
    assert load_pack_cached(folder) == built and cache.exists()


def test_the_engine_s_date_types_are_datetime_s() -> None:
    import datetime

    from soegov.policy import dates

    assert dates.date is datetime.date and dates.datetime is datetime.datetime


@pytest.mark.parametrize("pack_id", ["yining-2024", "national"])
def test_a_cached_pack_s_texts_are_decoded_on_their_first_read(pack_id: str) -> None:
    # `soegov classify` reads none of them: decoding them with the rest cost it some 1.8 million instructions.
    built = load_pack(os.path.join(PACKS_DIR, pack_id))
    again = pack_cache.loads(pack_cache.dumps("s", built), "s")
    for name in Pack.TEXTS:
        with pytest.raises(AttributeError):
            object.__getattribute__(again, name)  # the slot itself, not Pack.__getattr__
    assert again.rules == built.rules and again.meeting == built.meeting
    assert again.sources == built.sources
    for name in Pack.TEXTS:
        assert object.__getattribute__(again, name) == getattr(built, name)  # all three set by one read
    with pytest.raises(AttributeError):
        again.no_such_field  # noqa: B018  # any other missing name is still an AttributeError


def test_a_record_the_texts_share_with_the_rules_stays_one_object() -> None:
    built = load_pack(os.path.join(PACKS_DIR, "yining-2024"))
    built.interpretations = (*built.interpretations, built.rules[0].citation)  # type: ignore[arg-type]
    again = pack_cache.loads(pack_cache.dumps("s", built), "s")
    assert again.interpretations[-1] is again.rules[0].citation


def test_a_pack_inside_another_value_is_not_cached_without_its_texts() -> None:
    built = load_pack(os.path.join(PACKS_DIR, "national"))
    with pytest.raises(TypeError):
        pack_cache.dumps("s", [built])


def test_threads_reading_a_cached_pack_s_texts_at_once_see_the_same_records() -> None:
    built = load_pack(os.path.join(PACKS_DIR, "yining-2024"))
    data = pack_cache.dumps("s", built)
    for _ in range(5):
        seen = _read_at_once(pack_cache.loads(data, "s"), 8)
        assert len(seen) == 8 and all(articles is seen[0] for articles in seen)
        assert seen[0] == built.articles


def _read_at_once(pack: Any, count: int) -> list[object]:
    """`pack.articles` as read by `count` threads let go at the same moment."""
    import threading

    start = threading.Barrier(count)
    seen: list[object] = []

    def read() -> None:
        start.wait()
        seen.append(pack.articles)

    threads = [threading.Thread(target=read) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen
