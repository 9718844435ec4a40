"""The `soegov` console script: one dispatcher, each area adds its own sub-commands.

Start-up time matters (`soegov classify` must start within 3x a bare Python), so building the parser
imports only the module of the command being run: COMMANDS says which module registers which command.
`soegov --help`, a mistyped command and a command missing from the table load them all. Each module's
`add_commands(subparsers)` registers parsers only; its handlers import their heavy modules when they run.
A module may also offer `add_command(subparsers, name)`, which registers that one command: the dispatcher
then builds no parser for the module's other commands (argparse builds a parser in about 0.1 ms).
"""

from __future__ import annotations

import gc
import sys

from soegov.cli_parser import Parser, Speaking, language
from soegov.paths import keep_private

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
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
    "soegov.audit.cli",
    "soegov.backup.cli",
    "soegov.notices.cli",
    "soegov.collector.cli",
)
COMMANDS = {
    "classify": "soegov.policy.cli", "meeting-check": "soegov.policy.cli", "policy": "soegov.policy.cli",
    "deadline": "soegov.calendar.cli", "calendar": "soegov.calendar.cli",
    "ledger": "soegov.ledger.cli",
    "demo": "soegov.web.cli", "serve": "soegov.web.cli", "check": "soegov.web.cli", "migrate": "soegov.web.cli",
    "createadmin": "soegov.web.cli", "audit": "soegov.audit.cli", "manage": "soegov.web.cli",
    "worker": "soegov.web.cli", "scheduler": "soegov.web.cli",
    "remind": "soegov.matters.cli", "followup": "soegov.followup.cli", "remind-events": "soegov.oversight.cli",
    "verify": "soegov.signatures.cli", "hrsync": "soegov.hrsync.cli",
    "backup": "soegov.backup.cli", "restore": "soegov.backup.cli",
    "notices": "soegov.notices.cli",
    "collector": "soegov.collector.cli",
}


def _modules(command: str) -> tuple[str, ...]:
    """The modules to load for a command: its own, or all of them (help, a mistyped or unlisted command)."""
    own = COMMANDS.get(command)
    return (own,) if own else COMMAND_MODULES


def _command(argv: Sequence[str] | None) -> str:
    """The command a command line names (its first word that is not an option), or ''."""
    return next((a for a in argv or () if not a.startswith("-")), "")


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The argument parser: for a command line, only its command's area; without one, every area's."""
    en = language(list(argv or ())) == "en"
    parser = Parser(prog="soegov", description="soegov: 国有企业重大事项报告与“三重一大”决策合规系统")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND" if en else "命令")
    command = _command(argv)
    for name in _modules(command):
        try:
            # __import__, not importlib.import_module: importing importlib costs every start-up time.
            module = __import__(name, fromlist=["add_commands"])
        except ModuleNotFoundError as exc:
            # An optional area (e.g. the web app without its extras) stays out of the menu.
            if exc.name and name.startswith(exc.name):
                continue
            raise
        if COMMANDS.get(command) == name and hasattr(module, "add_command"):
            module.add_command(sub, command)
        else:
            module.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    keep_private()  # files 0600, folders 0700, also for the commands that never load Django's settings
    with Speaking(language(words), json="--json" in words):
        parser = build_parser(words)
        try:
            args = parser.parse_args(words)
        except SystemExit as exc:  # --help, or argparse refused the command line (its message is printed)
            return exc.code if isinstance(exc.code, int) else 2
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
            print(f"soegov {args.command}：错误：数据库尚未建立、未升级到本版本或无法连接（{exc}）。"
                  "请先运行 soegov migrate / the database is missing, not migrated or unreachable: run `soegov migrate` first",
                  file=sys.stderr)
            return 2
    return status


# Commands that compute one answer from their input and end (the contract's classify and meeting-check).
ONE_SHOT = frozenset({"classify", "meeting-check"})


def run() -> int:
    """The console script and `python -m soegov`: main() on this process's command line."""
    if _command(sys.argv[1:]) in ONE_SHOT:
        # All such a command makes (its modules, the parser, the packs' records, one answer) lives until the process
        # ends: the cyclic collector, walking the young objects at every 700 new ones, finds no garbage there (five
        # passes, some 0.5 ms of a `soegov classify`, which is benchmarked against three bare Python starts). Here,
        # not in main(): a process that calls main() and goes on (the tests) keeps collecting.
        gc.disable()
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
