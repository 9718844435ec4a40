"""`soegov backup` and `soegov restore`: the database (SQLite's online backup, or pg_dump), the data folder,
the key folder and the audit anchors in one archive; a restore checks every file against the archive's
hashes before touching anything, and afterwards reads every file back and verifies the audit chain."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from soegov.audit.audit_actions import AuditLogAction
from soegov.audit.models import AuditEntry
from soegov.audit.sealing import ANCHOR_FILE, anchor_dir, forget_keys
from soegov.audit.services import VerifyResult, audit_record, audit_verify
from soegov.backup.archive import (
    FORMAT,
    VERSION,
    ArchiveError,
    extract_checked,
    read_manifest,
    sha256_file,
    walk_files,
    write_archive,
)
from soegov.paths import data_dir, private_dir
from soegov.signatures.keystore import KEK_FILE, key_dir

# Rebuilt or transient: collected static files, queued job messages, earlier backups, logs, restores in progress.
SKIP_DATA = {"static", "queue", "backups", "worker.log"}


class BackupError(Exception):
    """A backup or restore that cannot be done as asked: a tool missing or failing, a target not empty."""


@dataclass
class RestoreReport:
    """What a restore did and what its checks found."""

    created_at: str
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    audit: VerifyResult | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M%S")


def _db() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _sqlite_path() -> Path:
    return Path(str(_db()["NAME"]))


def _pg_env() -> dict[str, str]:
    db = _db()
    env = dict(os.environ)
    for var, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", db.get("NAME")),
                       ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode"))):
        if value:
            env[var] = str(value)
    return env


def _run(tool: str, args: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"找不到 {tool}：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install postgresql-client）")
    done = subprocess.run([tool, *args], env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-800:]}")


def _dump_database(into: Path) -> str:
    """Write a consistent copy of the database into the folder; its member name."""
    if connection.vendor == "sqlite":
        target = into / "soegov.sqlite3"
        connection.ensure_connection()
        # SQLite's online backup API: a consistent copy even while the server writes.
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return "database/soegov.sqlite3"
    if connection.vendor == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-password", "--file", str(into / "soegov.pgdump")])
        return "database/soegov.pgdump"
    raise BackupError(f"不支持备份 {connection.vendor} 数据库")


def _outside(folder: Path, base: Path) -> bool:
    """Whether folder is not a top-level folder of base (so it needs its own section)."""
    return folder.resolve().parent != base.resolve()


def _members(staging: Path, db_member: str, *, keys: bool = True) -> list[tuple[str, Path]]:
    base = data_dir()
    skip = set(SKIP_DATA)
    for folder in (key_dir(), anchor_dir()):
        if not _outside(folder, base):
            skip.add(folder.name)
    if connection.vendor == "sqlite" and _sqlite_path().resolve().parent == base.resolve():
        name = _sqlite_path().name
        skip |= {name, f"{name}-wal", f"{name}-shm", f"{name}-journal"}
    members = [(db_member, staging / Path(db_member).name)]
    members += [(f"data/{rel}", path) for rel, path in walk_files(base, skip)
                if not rel.startswith(".restore-") and ".before-restore-" not in rel]
    if keys:
        members += [(f"keys/{rel}", path) for rel, path in walk_files(key_dir())]
    members += [(f"anchors/{rel}", path) for rel, path in walk_files(anchor_dir())
                if rel == ANCHOR_FILE]
    return members


def _kek_fingerprint() -> str | None:
    """SHA-256 of the KEK (32 random bytes, so the digest tells nothing of it), to match a key folder kept apart."""
    path = key_dir() / KEK_FILE
    return sha256_file(path) if path.exists() else None


def backup_create(*, out: Path | None = None, actor: Any = None, keys: bool = True) -> tuple[Path, dict[str, Any]]:
    """Write a backup archive (0600) and return its path and manifest; without `keys` the key folder is left out."""
    if out is None:
        folder = data_dir() / "backups"
        private_dir(folder)
        out = folder / f"soegov-backup-{_stamp()}.tar.gz"
    if out.exists():
        raise BackupError(f"{out} 已存在，不会覆盖")
    if not out.parent.is_dir():
        raise BackupError(f"目录 {out.parent} 不存在")
    result = audit_verify()
    # Recorded before the copy, so the backup holds the record of its own making.
    audit_record(actor=actor, action=AuditLogAction.BACKUP, object_type="backup", object_repr=out.name,
                 after={"file": str(out), "audit_ok": result.ok})
    head = AuditEntry.objects.order_by("-seq").first()
    manifest: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "audit": {"seq": head.seq if head else 0, "hash": head.hash if head else "", "verified": result.ok,
                  "problems": result.problems[:20]},
        "s3_bucket": getattr(settings, "SOEGOV_S3_BUCKET", "") or None,
        "keys": {"included": keys, "kek_sha256": _kek_fingerprint()},
    }
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp:
        staging = Path(tmp)
        db_member = _dump_database(staging)
        write_archive(out, manifest, _members(staging, db_member, keys=keys))
    return out, read_manifest(out)


def _database_is_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if t != "django_migrations"]


def _restore_database(staged: Path, member: str) -> None:
    empty = _database_is_empty()
    connections.close_all()
    if member == "database/soegov.sqlite3":
        target = _sqlite_path()
        private_dir(target.parent)
        if target.exists() and empty:
            target.unlink()
        elif target.exists():
            os.replace(target, target.with_name(f"{target.name}.before-restore-{_stamp()}"))
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        shutil.copyfile(staged / member, target)
        os.chmod(target, 0o600)
    else:
        # No owner, no grants: objects belong to whoever restores (the owner role); re-run audit db-roles.
        _run("pg_restore", ["--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
                            "--exit-on-error", "--no-password", "--dbname", str(_db()["NAME"]), str(staged / member)])


def _place(staged: Path, root: Path, dest: Path) -> None:
    """Copy one file into place, its folders 0700 and itself 0600 (they hold uploads and keys)."""
    private_dir(dest.parent)
    shutil.copyfile(staged, dest)
    os.chmod(dest, 0o600)


def _check_files(report: RestoreReport, expected: dict[str, str], placed: dict[str, Path]) -> None:
    """Read every restored file back; content-addressed uploads must hash to their names; every file rows name exists."""
    from soegov.core.files import file_exists, file_fields, file_storage

    for name, path in placed.items():
        report.files += 1
        if not path.exists() or sha256_file(path) != expected[name]:
            report.problems.append(f"恢复后的文件 {path} 与备份中的 SHA-256 不符")
    location = getattr(file_storage(), "location", None)  # the local file store (an S3 bucket is backed up by its own means)
    for rel, path in walk_files(Path(location) / "files") if location else ():
        if "/" in rel and sha256_file(path) != path.name:
            report.problems.append(f"上传文件 {path} 的内容与其 SHA-256 文件名不符（备份前已损坏）")
    missing = []
    for model, column in file_fields():
        for sha in model._default_manager.exclude(**{column: ""}).values_list(column, flat=True).iterator():
            if not file_exists(sha):
                missing.append(f"{model._meta.label}.{column}={sha[:12]}…")
    if missing:
        report.problems.append(f"数据库中有 {len(missing)} 个文件在恢复后找不到：{'、'.join(missing[:5])}")


def _unapplied_migrations() -> int:
    """How many of this version's migrations the restored database has not had."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _check_target(manifest: dict[str, Any], force: bool) -> None:
    """Refuse a restore into another database kind, over data or another key without --force, or without the
    backup's key; with --force the current key folder is renamed and kept."""
    if manifest.get("database") != connection.vendor:
        raise BackupError(f"备份来自 {manifest.get('database')} 数据库，当前配置的是 {connection.vendor}：请设置 DATABASE_URL")
    if not force and not _database_is_empty():
        raise BackupError("目标数据库不是空的：恢复会替换其中的全部数据。确认请加 --force（原 SQLite 文件会改名保留）")
    expected: dict[str, str] = manifest["files"]
    kek_member = f"keys/{KEK_FILE}"
    current_kek = key_dir() / KEK_FILE
    if current_kek.exists() and kek_member in expected and sha256_file(current_kek) != expected[kek_member]:
        if not force:
            raise BackupError(f"密钥文件夹 {key_dir()} 已有另一把密钥加密密钥：恢复会替换它（签名私钥与审计链随之改用备份中的密钥）。"
                              "确认请加 --force（原密钥文件夹会改名保留）")
        os.replace(key_dir(), key_dir().with_name(f"{key_dir().name}.before-restore-{_stamp()}"))
    wanted = (manifest.get("keys") or {}).get("kek_sha256")
    if kek_member not in expected and wanted and (not current_kek.exists() or sha256_file(current_kek) != wanted):
        raise BackupError(f"此备份不含密钥文件夹：请先把备份时的密钥文件夹（其 {KEK_FILE} 的 SHA-256 为 {wanted[:16]}…）"
                          f"放到 {key_dir()}，再恢复")


def backup_restore(archive: Path, *, force: bool = False, actor: Any = None) -> RestoreReport:
    """Restore an archive into the configured database and folders, then check files and the audit chain."""
    try:
        manifest = read_manifest(archive)
    except ArchiveError as exc:
        raise BackupError(str(exc)) from None
    _check_target(manifest, force)
    expected: dict[str, str] = manifest["files"]
    report = RestoreReport(created_at=str(manifest.get("created_at")))
    private_dir(data_dir())
    with tempfile.TemporaryDirectory(dir=data_dir(), prefix=".restore-") as tmp:
        staged = Path(tmp)
        try:
            extract_checked(archive, manifest, staged)
        except ArchiveError as exc:
            raise BackupError(str(exc)) from None
        db_member = next(n for n in expected if n.startswith("database/"))
        _restore_database(staged, db_member)
        anchors = anchor_dir() / ANCHOR_FILE
        if anchors.exists():
            # Anchors written after the backup name entries the restored database no longer has: kept aside.
            os.replace(anchors, anchors.with_name(f"{ANCHOR_FILE}.before-restore-{_stamp()}"))
            report.notes.append(f"原锚点文件已改名保留：{anchors.name}.before-restore-*")
        roots = {"data": data_dir(), "keys": key_dir(), "anchors": anchor_dir()}
        placed: dict[str, Path] = {}
        for name in expected:
            section, _, rel = name.partition("/")
            if section in roots:
                dest = roots[section] / rel
                _place(staged / name, roots[section], dest)
                placed[name] = dest
    forget_keys()
    behind = _unapplied_migrations()
    if behind:
        # A backup of an earlier version: brought up to this version's schema, as `soegov migrate` would.
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        report.notes.append(f"备份来自较早的 soegov 版本：已把数据库结构升级到当前版本（{behind} 个迁移）")
    _check_files(report, expected, placed)
    report.audit = audit_verify()
    report.problems += [f"审计链：{p}" for p in report.audit.problems]
    if manifest.get("s3_bucket"):
        report.notes.append(f"上传文件保存在对象存储桶 {manifest['s3_bucket']} 中，不在备份内：请用对象存储自身的版本与复制功能备份")
    audit_record(actor=actor, action=AuditLogAction.RESTORE, object_type="backup", object_repr=archive.name,
                 after={"file": str(archive), "created_at": report.created_at, "files": report.files,
                        "problems": len(report.problems)})
    return report
