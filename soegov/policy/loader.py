"""Find and load policy packs: the shipped ones and any in $SOEGOV_POLICY_PATH, cached between runs.

A pack is a folder with pack.yaml (metadata, versions, clocks, notes, meeting rules),
articles.yaml (the article texts), parameters.yaml (named thresholds) and one rules file per
version; builder.py validates it. A built pack is cached under $SOEGOV_CACHE_DIR (pack_cache.py) and rebuilt
whenever one of its files or the engine's code changes.
"""

from __future__ import annotations

import os

from soegov.core.errors import InputError
from soegov.policy import pack_cache
from soegov.policy.model import Pack

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: every `soegov classify` would pay for importing typing
if TYPE_CHECKING:
    from typing import Any

# Paths are plain strings here (os.path, not pathlib): pathlib and what it imports cost a `soegov classify`
# start-up more than the rest of the loader.
PACKS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs")


class Registry:
    """Every pack found, loaded on first use."""

    def __init__(self, folders: list[str | os.PathLike[str]]):
        self._folders: dict[str, str] = {}
        for folder in folders:
            base = os.fspath(folder)
            if not os.path.isdir(base):
                continue
            for name in sorted(os.listdir(base)):
                child = os.path.join(base, name)
                if os.path.isfile(os.path.join(child, "pack.yaml")):
                    self._folders.setdefault(name, child)
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
    # Imported here, not at the top: building (YAML, compiling conditions) is needed only when a cached
    # pack is stale, and every `soegov classify` pays for what the loader imports.
    from pathlib import Path

    from soegov.policy.builder import PackBuilder

    return PackBuilder(Path(folder)).build()


_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_engine_stamp: tuple[Any, ...] | None = None


def _stamp(folder: str, suffix: str) -> tuple[Any, ...]:
    """(name, mtime, size) of a folder's files with that suffix, by os.scandir (one call, no Path objects)."""
    return tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(folder)
                        if e.name.endswith(suffix) and e.is_file()))


def _fingerprint(folder: str) -> tuple[Any, ...]:
    """What a cached pack depends on: its files and the engine code that builds it (stamped once a process)."""
    global _engine_stamp
    if _engine_stamp is None:
        _engine_stamp = _stamp(_ENGINE_DIR, ".py")
    return (folder, _stamp(folder, ".yaml"), _engine_stamp)


def _cache_file(pack_id: str) -> str:
    base = os.environ.get("SOEGOV_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "soegov", "packs", f"{pack_id}.marshal")


def _rebuilt(folder: str, cache: str) -> Pack:
    """The pack built from its files, its damaged cache file removed (the next start writes it again)."""
    import contextlib  # here: only a damaged cache needs it, and every classify pays for what the loader imports

    with contextlib.suppress(OSError):
        os.remove(cache)
    return load_pack(folder)


def load_pack_cached(folder: str | os.PathLike[str]) -> Pack:
    """A built pack from the cache when its files and the engine are unchanged, else built and cached."""
    folder = os.fspath(folder)
    fingerprint = _fingerprint(folder)
    cache = _cache_file(os.path.basename(folder))
    try:
        with open(cache, "rb") as fh:
            cached = pack_cache.loads(fh.read(), fingerprint, lambda: _rebuilt(folder, cache))
        if cached is not None:
            pack: Pack = cached
            return pack
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError):
        pass  # absent, stale or unreadable: rebuild below
    pack = load_pack(folder)
    try:
        data = pack_cache.dumps(fingerprint, pack)
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        tmp = f"{cache}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home only costs start-up time
    except (TypeError, ValueError):
        pass  # a kind of value the cache cannot hold (tests/policy/test_pack_cache.py keeps the shipped packs out of this)
    return pack


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry: shipped packs plus $SOEGOV_POLICY_PATH folders (':'-separated)."""
    global _REGISTRY
    if _REGISTRY is None:
        extra = [p for p in os.environ.get("SOEGOV_POLICY_PATH", "").split(os.pathsep) if p]
        _REGISTRY = Registry([*extra, PACKS_DIR])
    return _REGISTRY


def reset_registry() -> None:
    """Forget loaded packs (tests that change $SOEGOV_POLICY_PATH call this)."""
    global _REGISTRY
    _REGISTRY = None
