"""The backup archive: a gzip'd tar holding manifest.json and the sections it lists, each file with its SHA-256.

    manifest.json          what is inside, the database vendor, the audit head at backup time, every hash
    database/soegov.sqlite3 | database/soegov.pgdump   (pg_dump custom format)
    data/...               the data folder's files (the local file store media/files, calendars, secret_key, ...)
    keys/...               the key folder (KEK, trust anchor)
    anchors/...            the audit anchor folder
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = "soegov-backup"
VERSION = 1
MANIFEST = "manifest.json"
SECTIONS = ("database", "data", "keys", "anchors")


class ArchiveError(Exception):
    """The archive is not a soegov backup, or a file in it does not match the manifest."""


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def walk_files(root: Path, skip: set[str] | None = None) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every regular file under root, top-level names in `skip` left out."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root and skip:
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def write_archive(out: Path, manifest: dict[str, Any], members: list[tuple[str, Path]]) -> None:
    """Write the archive (0600): each member hashed as it is added, then the manifest with the hashes."""
    files: dict[str, str] = {}
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, path in members:
            files[name] = sha256_file(path)
            info = tar.gettarinfo(str(path), arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o600
            with path.open("rb") as f:
                tar.addfile(info, f)
        manifest = {**manifest, "files": files}
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        tar.addfile(info, io.BytesIO(data))


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of an archive; ArchiveError when it is not a soegov backup."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise ArchiveError(f"{archive} 中没有 {MANIFEST}：不是 soegov 备份")
            manifest: dict[str, Any] = json.loads(member.read())
    except KeyError:
        raise ArchiveError(f"{archive} 中没有 {MANIFEST}：不是 soegov 备份") from None
    except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
        raise ArchiveError(f"{archive} 无法读取（{exc}）：不是 soegov 备份或已损坏") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError(f"{archive} 不是本版本 soegov 的备份（format={manifest.get('format')!r}）")
    return manifest


def extract_checked(archive: Path, manifest: dict[str, Any], into: Path) -> None:
    """Extract every member into a staging folder and check each against the manifest's hash."""
    expected: dict[str, str] = manifest.get("files") or {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            names = [m.name for m in tar.getmembers() if m.isfile()]
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise ArchiveError(f"{archive} 解包失败（{exc}）") from None
    extra = sorted(set(names) - set(expected) - {MANIFEST})
    missing = sorted(set(expected) - set(names))
    if extra or missing:
        raise ArchiveError(f"备份内容与清单不符：多出 {extra[:5]}，缺少 {missing[:5]}")
    for name, digest in expected.items():
        if name.split("/", 1)[0] not in SECTIONS:
            raise ArchiveError(f"备份清单中有未知的部分：{name}")
        if sha256_file(into / name) != digest:
            raise ArchiveError(f"备份中的 {name} 与清单中的 SHA-256 不符：备份已损坏或被改动")
