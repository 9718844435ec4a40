"""`soegov audit verify | checkpoint | db-roles`: check the chain, export a keyed checkpoint, set up PostgreSQL roles."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit chain; exit 1 when any entry was edited, forged or deleted."""
    from pathlib import Path

    from soegov.web.cli import setup_django

    setup_django()
    from soegov.audit.services import audit_verify

    result = audit_verify(checkpoints=[Path(p) for p in args.checkpoint or []])
    if args.json:
        import json

        print(json.dumps({"ok": result.ok, "checked": result.checked, "anchors": result.anchors,
                          "problems": result.problems, "notes": result.notes}, ensure_ascii=False, indent=2))
        return 0 if result.ok else 1
    for note in result.notes:
        print(f"提示：{note}", file=sys.stderr)
    if result.ok:
        print(f"审计链完整：共 {result.checked} 条记录，哈希 (SM3)、链接与密钥校验码 (HMAC-SM3) 均一致，"
              f"与 {result.anchors} 个库外锚点相符。")
        return 0
    print(f"审计链被破坏：检查 {result.checked} 条记录，发现 {len(result.problems)} 处问题：", file=sys.stderr)
    for p in result.problems:
        print(f"  - {p}", file=sys.stderr)
    return 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    """Write a keyed checkpoint of the chain head, to be kept outside the system."""
    from pathlib import Path

    from soegov.web.cli import setup_django

    setup_django()
    from soegov.audit.services import ChainBroken, audit_checkpoint

    try:
        text = audit_checkpoint()
    except ChainBroken as exc:
        print(f"soegov audit checkpoint: {exc}", file=sys.stderr)
        return 1
    if args.out in (None, "-"):
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"soegov audit checkpoint: 无法写入 {out}（{exc.strerror or exc}）", file=sys.stderr)
        return 2
    print(f"已写入检查点 {out}：请把它保存在本系统之外，校验时用 soegov audit verify --checkpoint {out}")
    return 0


def cmd_audit_db_roles(args: argparse.Namespace) -> int:
    """Print (or apply) the PostgreSQL grants that keep the application role from rewriting the audit tables."""
    from soegov.audit.dbroles import RoleError, apply_roles, role_statements

    try:
        statements = role_statements(owner=args.owner, app=args.app)
    except RoleError as exc:
        print(f"soegov audit db-roles: {exc}", file=sys.stderr)
        return 2
    if not args.apply:
        print("-- 以所有者角色或超级用户在 soegov 数据库中执行（soegov migrate 之后）：")
        for sql in statements:
            print(f"{sql};")
        return 0
    from soegov.web.cli import setup_django

    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("soegov audit db-roles --apply: 只适用于 PostgreSQL（DATABASE_URL）", file=sys.stderr)
        return 2
    try:
        apply_roles(connection, owner=args.owner, app=args.app)
    except RoleError as exc:
        print(f"soegov audit db-roles: {exc}", file=sys.stderr)
        return 1
    print(f"已设置：{args.app} 对审计记录只能查询和追加，不能修改、删除、清空或停用触发器。")
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov audit`."""
    p = sub.add_parser("audit", help="审计日志工具")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = audit_sub.add_parser("verify", help="校验审计链是否被修改、伪造或删除（含库外锚点与检查点）")
    v.add_argument("--checkpoint", action="append", metavar="FILE", help="同时对照此前导出的检查点（可多次指定）")
    v.add_argument("--json", action="store_true", help="以 JSON 输出（供监控定时调用）")
    v.set_defaults(handler=cmd_audit_verify)
    c = audit_sub.add_parser("checkpoint", help="导出带密钥校验码的链头检查点，保存在系统之外")
    c.add_argument("--out", metavar="FILE", help="写入的文件（默认输出到屏幕）")
    c.set_defaults(handler=cmd_audit_checkpoint)
    r = audit_sub.add_parser("db-roles", help="PostgreSQL：应用角色对审计表只能查询和追加")
    r.add_argument("--owner", default="soegov_owner", help="所有者角色（运行 soegov migrate）")
    r.add_argument("--app", default="soegov_app", help="应用角色（运行 soegov serve / worker）")
    r.add_argument("--apply", action="store_true", help="直接在 DATABASE_URL 的数据库上执行（须以所有者或超级用户连接）")
    r.set_defaults(handler=cmd_audit_db_roles)
