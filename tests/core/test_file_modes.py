"""Issue 14.6: what soegov writes is the deployment's alone — files 0600, folders 0700 — whatever the umask of the
shell that started it (the usual 022 made the database, uploads and folders world-readable)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from soegov.core.files import file_scope, file_storage, file_store
from soegov.paths import PRIVATE_UMASK, private_dir, private_file
from tests.factories import PDF


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask of a usual login shell, restored afterwards."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _loose(root: Path) -> list[str]:
    """Every file not 0600 and every folder not 0700 under root (root included)."""
    found = [] if _mode(root) == 0o700 else [f"{root} {_mode(root):o}"]
    for path in sorted(root.rglob("*")):
        want = 0o700 if path.is_dir() else 0o600
        if _mode(path) != want:
            found.append(f"{path.relative_to(root)} {_mode(path):o}")
    return found


def test_private_folders_and_files_ignore_a_loose_umask(tmp_path: Path, loose_umask: None) -> None:
    db = private_file(tmp_path / "a" / "b" / "soegov.sqlite3")
    assert _loose(tmp_path / "a") == [] and db.read_bytes() == b""
    db.write_bytes(b"kept")
    assert private_file(db).read_bytes() == b"kept"  # an existing file is never truncated
    assert private_dir(tmp_path / "a" / "c" / "d") == tmp_path / "a" / "c" / "d" and _loose(tmp_path / "a") == []


@pytest.mark.django_db
def test_uploads_are_0600_in_0700_folders(loose_umask: None) -> None:
    with file_scope():
        stored = file_store(PDF, label="附件")
    root = Path(file_storage().location)  # type: ignore[attr-defined]
    assert any(p.name == stored.sha256 for p in root.rglob("*"))
    assert _loose(root) == []


def test_the_soegov_command_sets_a_private_umask(loose_umask: None) -> None:
    from soegov.cli import main

    assert main(["deadline", "--help"]) == 0
    now = os.umask(0o022)
    assert now == PRIVATE_UMASK


@pytest.mark.own_database
def test_a_new_installation_and_its_backup_are_private(tmp_path: Path) -> None:
    """`soegov migrate` then `soegov backup` in a new data folder, started from a shell with umask 022: the data
    folder, the SQLite database (and its -wal/-shm), secret_key, static files, the key folder, the audit anchors
    and the backups are 0600/0700."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SOEGOV_KEY_DIR", "SOEGOV_AUDIT_ANCHOR_DIR", "SOEGOV_STATIC_ROOT")}
    env.update(SOEGOV_DATA_DIR=str(data), SOEGOV_CACHE_DIR=str(tmp_path / "cache"))

    def soegov(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "soegov", *args], env=env, capture_output=True, text=True,
                              timeout=600, preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stdout + done.stderr

    soegov("migrate")
    soegov("backup")
    names = {p.relative_to(data).parts[0] for p in data.rglob("*")}
    assert {"soegov.sqlite3", "secret_key", "static", "keys", "audit-anchors", "backups"} <= names
    assert any(p.name.endswith(".tar.gz") for p in (data / "backups").iterdir())
    assert _loose(data) == []


def test_a_data_folder_others_may_enter_is_warned_about_at_start(settings: Any, tmp_path: Path) -> None:
    from django.core import checks

    settings.DATA_DIR = tmp_path
    os.chmod(tmp_path, 0o700)
    assert [m for m in checks.run_checks(tags=["soegov_security"]) if m.id == "soegov.W162"] == []
    os.chmod(tmp_path, 0o755)  # as an earlier version left it
    found = [m for m in checks.run_checks(tags=["soegov_security"]) if m.id == "soegov.W162"]
    assert len(found) == 1 and "权限为 755" in found[0].msg and f"chmod -R go-rwx {tmp_path}" in (found[0].hint or "")
