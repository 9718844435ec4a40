"""The one store of uploaded files: content-addressed by SHA-256 in Django's STORAGES["default"].

On one machine STORAGES["default"] is a folder under the data directory; with SOEGOV_S3_BUCKET it is an
S3-compatible bucket every app server and worker shares. A file is written once per content (`files/ab/abcd…`),
read back only after its hash is checked (a mismatch is refused and reported on `file_corrupt`), and deleted
only after the deleting transaction commits and when no record of any app refers to it any more: every model
field holding a file's hash is a `FileHashField`, and `file_referenced` asks each of them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models, transaction

from soegov.core.errors import InputError, SoegovError
from soegov.core.files.content import DOCUMENTS, content_type
from soegov.core.signals import file_corrupt
from soegov.paths import private_dir

CHUNK = 1024 * 1024


class FileHashField(models.CharField):
    """A record's reference to a stored file (its SHA-256): the store keeps the file while any such field names it.

    Migrations see a plain CharField (deconstruct), so declaring a field this way changes no schema.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        """Reported to migrations as the CharField it is in the database."""
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    if TYPE_CHECKING:  # Django ships no types: to mypy the attribute on a record is the hash string it holds
        def __get__(self, instance: Any, owner: Any) -> Any: ...

        def __set__(self, instance: Any, value: Any) -> None: ...


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its hash, size, content type and extension, and whether this upload wrote it."""

    sha256: str
    size: int
    content_type: str
    extension: str
    created: bool


class FileCorrupt(SoegovError):
    """The stored bytes no longer hash to the record's SHA-256 (changed or damaged in the store)."""


def file_storage() -> Storage:
    """The configured storage every upload goes to (STORAGES["default"])."""
    return storages["default"]


def file_key(sha256: str) -> str:
    """The storage name of a file: files/ab/abcdef… (content-addressed)."""
    return f"files/{sha256[:2]}/{sha256}"


def upload_max_bytes() -> int:
    """The size limit of one uploaded document (SOEGOV_UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "SOEGOV_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def file_check_size(size: int | None, *, field: str = "file", label: str = "文件", limit: int | None = None) -> None:
    """Refuse a file over the limit; views call it with the declared size so a huge upload is never read whole."""
    limit = upload_max_bytes() if limit is None else limit
    if size is not None and size > limit:
        raise InputError("too_large", f"{label}过大（{size / 1048576:.1f} MB），单个文件不能超过 {limit / 1048576:.0f} MB",
                         field, f"{field}: the file is too large (at most {limit / 1048576:.0f} MB)")


# The files written inside the innermost file_scope, so a failed step takes its uploads back with it.
_WRITTEN: ContextVar[list[str] | None] = ContextVar("soegov_files_written", default=None)


@contextmanager
def file_scope() -> Iterator[None]:
    """Files stored inside the block are removed again when it fails, unless a record refers to them."""
    written: list[str] = []
    outer = _WRITTEN.get()
    token = _WRITTEN.set(written)
    try:
        yield
    except BaseException:
        for sha in written:
            _delete_unreferenced(sha)
        raise
    finally:
        _WRITTEN.reset(token)
    if outer is not None:
        outer.extend(written)  # the enclosing step may still fail and take them back


def file_store(data: bytes, *, field: str = "file", label: str = "文件", accept: Mapping[str, str] | None = DOCUMENTS,
               check: Callable[[bytes], tuple[str, str]] | None = None, limit: int | None = None) -> StoredFile:
    """Check (empty, size, type by parsing) and store the bytes by their hash; call inside a `file_scope`.

    `accept` lists the document types taken (None: kept as received, e.g. an exchange package the package
    reader has already checked); `check` replaces the document check for other formats (a ledger's CSV).
    """
    if not data:
        raise InputError("empty_file", f"{label}：文件为空", field, f"{field}: the file is empty")
    file_check_size(len(data), field=field, label=label, limit=limit)
    if check is not None:
        mime, ext = check(data)
    elif accept is not None:
        mime, ext = content_type(data, accept=accept, field=field, label=label)
    else:
        mime, ext = "application/octet-stream", "bin"
    sha = hashlib.sha256(data).hexdigest()
    created = _write(sha, data)
    written = _WRITTEN.get()
    if created and written is not None:
        written.append(sha)
    return StoredFile(sha, len(data), mime, ext, created)


def _write(sha: str, data: bytes) -> bool:
    """Put the bytes at their key unless a complete copy is there; True when this call wrote them."""
    store, key = file_storage(), file_key(sha)
    if store.exists(key):
        if store.size(key) == len(data):
            return False
        store.delete(key)  # a write cut short earlier: replace it
    if isinstance(store, FileSystemStorage):
        name = _save_local(store, key, data)
    else:
        name = store.save(key, ContentFile(data))  # one PUT: an object store never shows half an object
    if name != key:  # another process stored the same bytes meanwhile; keep one copy
        store.delete(name)
    return True


class _Staged(File):
    """A file already written beside its target: FileSystemStorage renames it into place (atomic)."""

    def temporary_file_path(self) -> str:
        """The staged file, for Django's file_move_safe."""
        return str(self.name)


def _save_local(store: FileSystemStorage, key: str, data: bytes) -> str:
    """Write to a temporary file in the target's folder, flush it to disk, then rename it into place, so a reader
    never meets half a file; the temporary file is removed whatever happens."""
    folder = Path(store.path(key)).parent
    private_dir(folder)  # 0700 like FILE_UPLOAD_DIRECTORY_PERMISSIONS; mkstemp makes the file 0600
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with open(tmp, "rb") as fh:
            return store.save(key, _Staged(fh, name=tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)


def file_exists(sha256: str) -> bool:
    """Whether the store (or a deployment's former uploads folder) holds the file."""
    return bool(sha256) and (file_storage().exists(file_key(sha256)) or _legacy_path(sha256) is not None)


def _legacy_path(sha256: str) -> Path | None:
    """The file in the local folders used before the store (data/uploads, data/ledgers), if still there."""
    from soegov.paths import data_dir

    root = data_dir()
    found = [root / "uploads" / sha256[:2] / sha256, *(root / "ledgers" / sha256[:2]).glob(f"{sha256}.*")]
    return next((p for p in found if p.is_file()), None)


def _chunks(sha256: str) -> Iterator[bytes]:
    store, key = file_storage(), file_key(sha256)
    if not store.exists(key):
        legacy = _legacy_path(sha256)
        if legacy is None:
            raise FileNotFoundError(key)
        _write(sha256, legacy.read_bytes())  # moved into the store on first read
    with store.open(key, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _verified(sha256: str, chunks: Iterator[bytes], *, actor: Any, what: str) -> Iterator[bytes]:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        file_corrupt.send(sender=FileCorrupt, user=actor, sha256=sha256, found=digest.hexdigest(), what=what)
        raise FileCorrupt("file_corrupt", f"{what}已损坏：存储中的内容与登记的校验值（SHA-256）不符，已拒绝读取并记入审计日志，请联系系统管理员",
                          "sha256", f"{what} is damaged: the stored bytes do not match the recorded SHA-256; refused and audited")


def file_read(sha256: str, *, actor: Any = None, what: str = "文件") -> bytes:
    """The stored bytes, after their hash is checked (FileNotFoundError when absent, FileCorrupt on a mismatch)."""
    return b"".join(_verified(sha256, _chunks(sha256), actor=actor, what=what))


@contextmanager
def file_path(sha256: str, *, suffix: str = "", actor: Any = None, what: str = "文件") -> Iterator[Path]:
    """A verified local copy of the file for readers that need a path (the ledger scanner), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="soegov-file-") as tmp:
        path = Path(tmp) / f"{sha256}{suffix}"
        with path.open("wb") as fh:
            for chunk in _verified(sha256, _chunks(sha256), actor=actor, what=what):
                fh.write(chunk)
        yield path


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that refers to stored files, in every installed app."""
    from django.apps import apps

    return [(m, f.name) for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, FileHashField)]


def file_referenced(sha256: str) -> bool:
    """Whether any record of any app still refers to the file."""
    return any(model._default_manager.filter(**{name: sha256}).exists() for model, name in file_fields())


def _delete_unreferenced(sha256: str) -> None:
    if sha256 and not file_referenced(sha256):
        file_storage().delete(file_key(sha256))


def file_release(sha256: str) -> None:
    """Delete the file once the current transaction commits, if no record of any app refers to it by then."""
    transaction.on_commit(partial(_delete_unreferenced, sha256))
