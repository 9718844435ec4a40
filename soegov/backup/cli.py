"""`soegov backup` and `soegov restore`."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a backup archive of the database, data folder, keys and audit anchors."""
    from pathlib import Path

    from soegov.web.cli import setup_django

    setup_django()
    from soegov.backup.services import BackupError, backup_create

    try:
        out, manifest = backup_create(out=Path(args.out) if args.out else None, keys=not args.no_keys)
    except BackupError as exc:
        print(f"soegov backup: {exc}", file=sys.stderr)
        return 2
    audit = manifest["audit"]
    print(f"已备份到 {out}（{len(manifest['files'])} 个文件，数据库 {manifest['database']}，审计链至第 {audit['seq']} 号记录）。")
    if args.no_keys:
        print("备份中不含密钥文件夹：恢复时须先放回同一密钥文件夹（请另行、分人保管）。")
    else:
        print("备份中含密钥文件夹（密钥加密密钥）：请像保管密钥一样保管备份文件，存放在本机之外。")
    if not audit["verified"]:
        print("警告：备份时审计链未通过校验：" + "；".join(audit["problems"][:5]), file=sys.stderr)
    if manifest.get("s3_bucket"):
        print(f"提示：上传文件在对象存储桶 {manifest['s3_bucket']} 中，不在此备份内，请用对象存储的版本与复制功能备份。")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup archive, then read every file back and verify the audit chain."""
    from pathlib import Path

    from soegov.web.cli import setup_django

    setup_django()
    from soegov.backup.services import BackupError, backup_restore

    try:
        report = backup_restore(Path(args.archive), force=args.force)
    except BackupError as exc:
        print(f"soegov restore: {exc}", file=sys.stderr)
        return 2
    for note in report.notes:
        print(f"提示：{note}")
    checked = report.audit.checked if report.audit else 0
    if report.ok:
        print(f"已从 {args.archive}（备份于 {report.created_at}）恢复：{report.files} 个文件逐一读回，SHA-256 相符；"
              f"审计链 {checked} 条记录校验通过。")
        return 0
    print(f"已恢复，但校验发现 {len(report.problems)} 处问题：", file=sys.stderr)
    for p in report.problems:
        print(f"  - {p}", file=sys.stderr)
    return 1


def add_commands(sub: Any) -> None:
    """Register `soegov backup` and `soegov restore`."""
    p = sub.add_parser("backup", help="备份数据库、上传文件、密钥与审计锚点到一个归档文件")
    p.add_argument("--out", metavar="FILE", help="归档文件（默认 <数据目录>/backups/soegov-backup-时间.tar.gz）")
    p.add_argument("--no-keys", action="store_true", help="不含密钥文件夹（密钥另行、分人保管）")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="从备份恢复到当前配置的数据库与目录，并校验文件哈希与审计链")
    p.add_argument("archive", help="soegov backup 生成的归档文件")
    p.add_argument("--force", action="store_true", help="目标数据库或密钥文件夹非空时也恢复（原内容改名保留）")
    p.set_defaults(handler=cmd_restore)
