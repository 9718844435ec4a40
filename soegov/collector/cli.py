"""`soegov collector`: the supervisor issues and revokes enterprises' reporting keys; the enterprise sends now."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue a key; without --public-key, write the new private key to --out (0600) for the enterprise."""
    import os

    from soegov.web.cli import setup_django

    setup_django()
    from soegov.collector import signing
    from soegov.collector.credentials import key_issue
    from soegov.core.errors import SoegovError

    if not args.public_key and not args.out:
        print("soegov: 请用 --out 指定私钥文件的保存位置（或用 --public-key 登记企业自己生成的公钥）")
        return 2
    if args.out and os.path.exists(args.out):
        print(f"soegov: 文件 {args.out} 已存在，未覆盖")
        return 2
    try:
        key, private = key_issue(actor=None, uscc=args.uscc, public_key_hex=args.public_key or "", label=args.label)
    except SoegovError as exc:
        print(f"soegov: {exc.message}")
        return 2
    if private is not None:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(signing.key_file_text(key.key_id, private))
        print(f"私钥已写入 {args.out}（权限 0600）；本系统只保存公钥，请将该文件安全交给企业，不要通过邮件发送。")
    print(f"已签发报送密钥 {key.key_id}（{key.enterprise.name}）")
    print(f"企业端设置：SOEGOV_COLLECTOR_KEY_ID={key.key_id}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke a key."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.collector.credentials import key_revoke
    from soegov.core.errors import SoegovError

    try:
        key = key_revoke(actor=None, key_id=args.key_id)
    except SoegovError as exc:
        print(f"soegov: {exc.message}")
        return 2
    print(f"已吊销报送密钥 {key.key_id}（{key.enterprise.name}）：此后用它签名的报送一律拒绝")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the keys issued."""
    from soegov.web.cli import setup_django

    setup_django()
    from django.utils import timezone

    from soegov.collector.selectors import keys

    for key in keys()[:500]:
        state = f"已吊销 {timezone.localtime(key.revoked_at):%Y-%m-%d %H:%M}" if key.revoked_at else "有效"
        used = f"，最近使用 {timezone.localtime(key.last_used_at):%Y-%m-%d %H:%M}" if key.last_used_at else ""
        print(f"{key.key_id}\t{key.enterprise.name}\t{state}{used}\t{key.label}")
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    """Send the packages due now, here (not through the queue), and say what became of them."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.collector import outbox, sending
    from soegov.core.errors import SoegovError

    try:
        outbox.require_configured()
    except SoegovError as exc:
        print(f"soegov: {exc.message}")
        return 2
    print(sending.counts_said(sending.send_due()))
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov collector key issue|revoke|list` and `soegov collector send`."""
    p = sub.add_parser("collector", help="数据报送到国资委采集端：签发密钥（国资委端）、立即发送（企业端）")
    inner = p.add_subparsers(dest="collector_command", required=True)
    k = inner.add_parser("key", help="企业报送密钥（国资委端）")
    keys = k.add_subparsers(dest="key_command", required=True)
    i = keys.add_parser("issue", help="为企业签发报送密钥（只保存公钥）")
    i.add_argument("--uscc", required=True, help="企业的统一社会信用代码")
    i.add_argument("--out", default="", help="新私钥的保存文件（交给企业，设为 SOEGOV_COLLECTOR_KEY_FILE）")
    i.add_argument("--public-key", default="", help="企业自己生成的 SM2 公钥（十六进制），私钥不离开企业")
    i.add_argument("--label", default="", help="说明，如“2026 年报送”")
    i.set_defaults(handler=cmd_issue)
    r = keys.add_parser("revoke", help="吊销报送密钥")
    r.add_argument("key_id", help="密钥编号")
    r.set_defaults(handler=cmd_revoke)
    keys.add_parser("list", help="列出已签发的密钥").set_defaults(handler=cmd_list)
    inner.add_parser("send", help="立即发送待发送和到期重试的数据包（企业端）").set_defaults(handler=cmd_send)
