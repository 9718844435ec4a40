"""`soegov ledger check`: scan a payment ledger (CSV or .xlsx) for breaches of the rules."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any


def _check(args: argparse.Namespace) -> int:
    from soegov.cli_support import respond
    from soegov.ledger.scan import read_decisions_csv, scan_ledger

    return respond(args, lambda: scan_ledger(
        args.file, policy=args.policy, level=args.level, ownership=args.ownership,
        decisions=read_decisions_csv(args.decisions) if args.decisions else [], related=args.related or [],
        window_days=args.window_days, as_of=args.as_of, skip_invalid=args.skip_invalid,
        progress=sys.stderr.isatty() and not args.json), report)


def report(result: dict[str, Any], lang: str) -> str:
    """The findings as a readable list."""
    zh = lang == "zh"
    s = result["stats"]
    lines = [f"台账 {s['rows']} 行（跳过无效 {s['invalid_rows']} 行），决策记录 {s['decisions']} 条，发现 {s['findings']} 项：" if zh
             else f"{s['rows']} rows ({s['invalid_rows']} invalid skipped), {s['decisions']} decisions on record, "
                  f"{s['findings']} finding(s):"]
    for n, f in enumerate(result["findings"], 1):
        rows = ", ".join(str(r) for r in f["rows"])
        lines.append(f"{n}. [{f['code']}] {f['message'] if zh else f['message_en']}")
        lines.append(f"   {'台账行' if zh else 'rows'}: {rows}")
    return "\n".join(lines)


def add_commands(sub: Any) -> None:
    """Register `ledger check`."""
    led = sub.add_parser("ledger", help="支付台账检查 / payment ledger analytics")
    lsub = led.add_subparsers(dest="ledger_command", metavar="ACTION")
    led.set_defaults(handler=lambda a: (led.print_help(sys.stderr), 2)[1])
    p = lsub.add_parser("check", help="scan a ledger (CSV or .xlsx: date, payee, amount, purpose, expense_class, contract_id)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--policy", required=True)
    p.add_argument("--level", type=int, default=1, help="the paying enterprise's level (default 1)")
    p.add_argument("--ownership", default="sole", help="the paying enterprise's ownership code (default sole)")
    p.add_argument("--decisions", help="CSV of decisions and filings on record: ref, payee, contract_id, amount, date")
    p.add_argument("--related", action="append", metavar="NAME", help="a company with an equity relation (repeatable)")
    p.add_argument("--window-days", type=int, default=30, help="split-payment window in days (default 30)")
    p.add_argument("--as-of", help="YYYY-MM-DD: the policy version to apply (default today)")
    p.add_argument("--skip-invalid", action="store_true", help="check the valid rows even if some are invalid")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(handler=_check, command="ledger check")
