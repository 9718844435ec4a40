"""`soegov backup` / `soegov restore`: a round trip into a fresh data folder and database, on SQLite and PostgreSQL,
verified by the audit chain and by reading every file back; a damaged archive or a full target is refused."""

from __future__ import annotations

import gzip
import io
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from soegov.audit.services import audit_record
from soegov.backup.services import BackupError, backup_create, backup_restore
from soegov.matters import attachments
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import PDF, make_matter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))
    # The file store where settings.py puts it for that data folder ($SOEGOV_DATA_DIR/media).
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "data" / "media")}}}


@pytest.fixture
def source(tmp_path: Path) -> dict[str, Any]:
    """An installation with a matter, an uploaded file, a ledger-style file and audit entries."""
    from soegov.accounts.roles import Role

    enterprise = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]))
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise)
    matter = make_matter(filer, enterprise)
    # Unique by its tail; hex, not random bytes, which once in some thousands make pypdf refuse the file (a flake).
    data = PDF + secrets.token_hex(16).encode()
    att = attachments.attachment_upload(actor=filer, matter=matter, kind="request_letter", name="请示.pdf", data=data)
    audit_record(actor=None, action="test.event", object_repr="备份前")
    return {"matter": matter, "attachment": att, "data": data}


def _soegov(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "soegov", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def _fresh_env(root: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SOEGOV_DATA_DIR=str(root / "data"), SOEGOV_KEY_DIR=str(root / "keys"),
               SOEGOV_AUDIT_ANCHOR_DIR=str(root / "anchors"))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture
def fresh_database() -> Iterator[str | None]:
    """A new empty database to restore into: None (SQLite in the fresh data folder) or a PostgreSQL URL."""
    if connection.vendor != "postgresql":
        yield None
        return
    name = f"soegov_restore_{secrets.token_hex(4)}"
    s = connection.settings_dict
    admin = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"] or "postgres",
                            dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _count(database_url: str | None, root: Path, sql: str) -> Any:
    if database_url is None:
        with sqlite3.connect(root / "data" / "soegov.sqlite3") as db:
            return db.execute(sql).fetchone()[0]
    with psycopg.connect(database_url) as db:
        row = db.execute(sql).fetchone()
        return row[0] if row else None


def test_round_trip_into_a_fresh_installation(source: dict[str, Any], tmp_path: Path,
                                              fresh_database: str | None) -> None:
    archive, manifest = backup_create(out=tmp_path / "b.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    names = set(manifest["files"])
    sha = source["attachment"].sha256
    assert f"data/media/files/{sha[:2]}/{sha}" in names
    assert "keys/kek.bin" in names and "anchors/anchors.jsonl" in names
    assert any(n.startswith("database/") for n in names)
    assert manifest["audit"]["verified"] is True

    target = tmp_path / "fresh"
    env = _fresh_env(target, fresh_database)
    done = _soegov(["restore", str(archive)], env)
    assert done.returncode == 0, done.stderr
    assert "逐一读回，SHA-256 相符" in done.stdout and "审计链" in done.stdout
    # The restored file reads back byte for byte, and the database names it.
    assert (target / "data" / "media" / "files" / sha[:2] / sha).read_bytes() == source["data"]
    assert _count(fresh_database, target, "SELECT count(*) FROM matters_attachment") == 1
    assert _count(fresh_database, target, "SELECT count(*) FROM audit_auditentry WHERE action = 'backup.restore'") == 1
    assert (target / "keys" / "kek.bin").read_bytes() == (Path(os.environ["SOEGOV_KEY_DIR"]) / "kek.bin").read_bytes()
    verify = _soegov(["audit", "verify"], env)
    assert verify.returncode == 0, verify.stderr
    # A second restore onto the now full installation is refused without --force.
    again = _soegov(["restore", str(archive)], env)
    assert again.returncode == 2 and "目标数据库不是空的" in again.stderr


def test_a_damaged_archive_is_refused_before_anything_is_touched(source: dict[str, Any], tmp_path: Path,
                                                                 fresh_database: str | None) -> None:
    archive, _ = backup_create(out=tmp_path / "b.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("data/media/files/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    target = tmp_path / "fresh"
    done = _soegov(["restore", str(damaged)], _fresh_env(target, fresh_database))
    assert done.returncode == 2
    assert "与清单中的 SHA-256 不符：备份已损坏或被改动" in done.stderr
    assert not (target / "data" / "media").exists()
    assert not (target / "keys").exists()
    tables = "SELECT count(*) FROM " + ("sqlite_master WHERE type = 'table'" if fresh_database is None
                                        else "information_schema.tables WHERE table_schema = 'public'")
    assert _count(fresh_database, target, tables) == 0


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(gzip.compress(b"hello"))
    with pytest.raises(BackupError, match="不是 soegov 备份"):
        backup_restore(junk)
    done = _soegov(["restore", str(tmp_path / "missing.tar.gz")], _fresh_env(tmp_path / "f", None))
    assert done.returncode == 2 and "无法读取" in done.stderr


def test_backup_refuses_to_overwrite(source: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    out.write_bytes(b"")
    with pytest.raises(BackupError, match="已存在，不会覆盖"):
        backup_create(out=out)


def test_a_backup_without_keys_needs_the_same_key_folder(source: dict[str, Any], tmp_path: Path,
                                                         fresh_database: str | None) -> None:
    import shutil

    archive, manifest = backup_create(out=tmp_path / "b.tar.gz", keys=False)
    assert not any(n.startswith("keys/") for n in manifest["files"])
    target = tmp_path / "fresh"
    env = _fresh_env(target, fresh_database)
    refused = _soegov(["restore", str(archive)], env)
    assert refused.returncode == 2 and "此备份不含密钥文件夹" in refused.stderr
    shutil.copytree(os.environ["SOEGOV_KEY_DIR"], target / "keys")
    done = _soegov(["restore", str(archive)], env)
    assert done.returncode == 0, done.stderr
    assert _soegov(["audit", "verify"], env).returncode == 0
