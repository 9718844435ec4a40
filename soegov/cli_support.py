"""What every `soegov` command shares: JSON output, reading a document, reporting invalid input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from soegov.errors import InputError, SoegovError

# Imported by command handlers only, never at parser registration: start-up time is benchmarked.


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def emit_json(data: Any) -> None:
    """Print one JSON document (UTF-8, Chinese unescaped, Decimal as a string)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def fail(exc: SoegovError, args: argparse.Namespace) -> int:
    """Invalid input: the error JSON on stdout under --json, always one line on stderr; exit status 2."""
    lang = getattr(args, "lang", "zh")
    if getattr(args, "json", False):
        emit_json(exc.as_dict(lang))
    where = f" [{exc.path}]" if exc.path else ""
    message = " ".join(exc.text(lang).split())  # one line, whatever the message holds
    command = getattr(args, "command", None)
    prefix = f"soegov {command}" if command else "soegov"
    sys.stderr.write(f"{prefix}: {exc.code}{where}: {message}\n")
    return 2


def guarded(args: argparse.Namespace, body: Callable[[], int]) -> int:
    """Run a command body: invalid input exits 2 with its message; a closed pipe ends quietly."""
    try:
        return body()
    except SoegovError as exc:
        return fail(exc, args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def respond(args: argparse.Namespace, compute: Callable[[], Any], render: Callable[[Any, str], str]) -> int:
    """Compute a result and print it as JSON (--json) or as a readable report; invalid input exits 2."""

    def body() -> int:
        result = compute()
        if getattr(args, "json", False):
            emit_json(result)
        else:
            print(render(result, getattr(args, "lang", "zh")))
        return 0

    return guarded(args, body)


def read_document(source: str) -> Any:
    """The JSON input from a file path or '-' (standard input), numbers kept exact."""
    from soegov.policy.inputs import parse_json

    try:
        if source == "-":
            text = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as fh:
                text = fh.read()
    except OSError as exc:
        raise InputError("unreadable_file", f"无法读取输入文件 {source}：{exc.strerror}", "FILE",
                         f"cannot read input file {source}: {exc.strerror}") from None
    return parse_json(text)
