"""The `soegov` console script: one dispatcher, each area adds its own sub-commands.

Startup time matters (the rules-engine commands must start within 3x a bare Python), so
this module imports only argparse; each area's `add_commands` registers parsers and its
handlers import their heavy modules when they run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes add_commands(subparsers); handlers are set with set_defaults(handler=...)
# and return the exit status.
COMMAND_MODULES: tuple[str, ...] = (
    "soegov.policy.cli",
    "soegov.calendar.cli",
    "soegov.ledger.cli",
    "soegov.web.cli",
    "soegov.matters.cli",
    "soegov.followup.cli",
    "soegov.oversight.cli",
    "soegov.signatures.cli",
    "soegov.hrsync.cli",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every area's sub-commands."""
    parser = argparse.ArgumentParser(
        prog="soegov",
        description="soegov: 国有企业重大事项报告与“三重一大”决策合规系统",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # An optional area (e.g. the web app without its extras) stays out of the menu.
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        status: int = handler(args)
    except Exception as exc:
        # A database older than the code (or not created yet) is a step the user can take, not a traceback.
        django_db = sys.modules.get("django.db")
        if django_db is None or not isinstance(exc, django_db.DatabaseError):
            raise
        print(f"soegov {args.command}: database_not_ready: 数据库尚未建立、未升级到本版本或无法连接（{exc}）。"
              "请先运行 soegov migrate / the database is missing, not migrated or unreachable: run `soegov migrate` first",
              file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
