"""Start-up checks of what keeps the audit trail honest: the anchor folder can be written, the key folder is
private, and on PostgreSQL the application's role cannot rewrite the audit tables (soegov serve warns)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core import checks
from django.db import DatabaseError, connection

from soegov.audit.sealing import anchor_dir
from soegov.signatures.keystore import KeyStoreError, kek, key_dir


def _writable_folder(folder: Path) -> str | None:
    """None when the folder exists (or can be made) and can be written, else why not."""
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} 不是文件夹"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{probe} 不可写"
    return None


def check_anchor_folder(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The audit anchor folder must be writable, or deleted tail entries go unseen."""
    problem = _writable_folder(anchor_dir())
    if problem:
        return [checks.Error(f"审计锚点文件夹 {anchor_dir()} 无法写入：{problem}",
                             hint="设置 SOEGOV_AUDIT_ANCHOR_DIR 为运行 soegov 的用户可写的文件夹（最好在另一块盘或只追加的挂载上）",
                             id="soegov.E151")]
    return []


def check_key_folder(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The KEK keys the audit chain: when present it must be private to the service's user."""
    if not (key_dir() / "kek.bin").exists():
        return []
    try:
        kek()
    except KeyStoreError as exc:
        return [checks.Error(f"审计与签名密钥不可用：{exc}", id="soegov.E152")]
    return []


def check_audit_role(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """On PostgreSQL, warn when the application's role could rewrite, empty or unprotect the audit tables."""
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('audit_auditentry') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return []
            cursor.execute(
                "SELECT current_user, r.rolsuper, pg_has_role(current_user, c.relowner, 'MEMBER'), "
                "has_table_privilege('audit_auditentry', 'UPDATE'), has_table_privilege('audit_auditentry', 'DELETE'), "
                "has_table_privilege('audit_auditentry', 'TRUNCATE') "
                "FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_auditentry'::regclass"
            )
            row = cursor.fetchone()
    except (DatabaseError, RuntimeError):
        # No database to ask (unreachable, or a test without database access): other checks report that.
        return []
    if row is None:
        return []
    user, superuser, owner, *rights = row
    powers = [label for label, has in zip(("超级用户", "审计表所有者"), (superuser, owner), strict=True) if has]
    powers += [op for op, has in zip(("UPDATE", "DELETE", "TRUNCATE"), rights, strict=True) if has]
    if not powers:
        return []
    return [checks.Warning(
        f"数据库角色 {user} 可以改写或清空审计表（{'、'.join(powers)}）：篡改虽能被 soegov audit verify 发现，但不应由应用角色做到",
        hint="以所有者角色运行 soegov migrate，再执行 soegov audit db-roles --apply，应用改用只能查询和追加审计表的角色（docs/security.md）",
        id="soegov.W153",
    )]


def register(tag: str) -> None:
    """Register the checks under the deployment-services tag, run before serve, worker and scheduler start."""
    for check in (check_anchor_folder, check_key_folder, check_audit_role):
        checks.register(check, tag, deploy=True)
