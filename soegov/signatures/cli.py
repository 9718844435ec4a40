"""`soegov verify FILE`: check a downloaded document's signatures and whether any byte changed."""

from __future__ import annotations

import argparse
import json
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_verify(args: argparse.Namespace) -> int:
    """Print the verification sheet; exit 0 when intact and every signature is valid, 1 otherwise, 2 on bad input."""
    from pathlib import Path

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"soegov verify: 无法读取文件 {path}（{exc.strerror or exc}）", file=sys.stderr)
        return 2
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.signatures.verify import as_text, verify_bytes

    report = verify_bytes(data, path.name)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(as_text(report))
    return 0 if report.ok else 1


def add_commands(sub: Any) -> None:
    """Register `soegov verify`."""
    p = sub.add_parser("verify", help="核验下载的文书（PDF/.docx/.ofd）的 SM2 电子签名及文件是否被改动")
    p.add_argument("file", help="要核验的文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")
    p.set_defaults(handler=cmd_verify)
