"""What every `soegov` command shares: JSON output, reading a document, reporting invalid input."""

from __future__ import annotations

import errno
import json
import os
import sys
from decimal import Decimal

from soegov.core.errors import SoegovError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

# Imported by command handlers only, never at parser registration: start-up time is benchmarked.


# Why a file could not be read, in words (the OS's own text is English).
OS_REASONS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EISDIR: "这是一个目录，不是文件",
              errno.ENOTDIR: "路径中有一段不是目录"}


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def emit_json(data: Any) -> None:
    """Print one JSON document (UTF-8, Chinese unescaped, Decimal as a string)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def fail(exc: SoegovError, args: argparse.Namespace) -> int:
    """Invalid input: the error JSON on stdout under --json; on stderr one line for the error and one for each
    further error found with it (every bad field of a file); exit status 2."""
    lang = getattr(args, "lang", "zh")
    from soegov.field_labels import readable, readable_dict

    if getattr(args, "json", False):
        emit_json(readable_dict(exc, lang))
    # Said as argparse says its own errors (soegov classify：错误：…): words for a person; the codes and paths are
    # in the --json output for programs.
    command = getattr(args, "command", None)
    prefix = f"soegov {command}" if command else "soegov"
    lines = [f"{prefix}：错误：{readable(exc, lang)}" if lang == "zh" else f"{prefix}: error: {readable(exc, lang)}"]
    lines += [f"  {readable(d, lang)}" for d in exc.details
              if (d.code, d.path) != (exc.code, exc.path)]  # the first line already says the leading one
    # A cited article names its regulation by title, in either language; codes the reader must type
    # (可选：government …) stay.
    from soegov.core.names import cited

    lines = [cited(line, lang) for line in lines]
    sys.stderr.write("\n".join(lines) + "\n")
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


def in_words(render: Callable[[Any, str], str]) -> Callable[[Any, str], str]:
    """A report renderer whose reports name regulations by title, as the pages do (《伊宁市市属国有企业监督管理办法》
    第12条第6项, not yining-2024 第12条第6项), and whose Chinese report also puts codes into words
    (soegov.core.names.plain)."""

    def readable(result: Any, lang: str) -> str:
        text = render(result, lang)
        if lang != "zh":
            from soegov.core.names import cited

            return cited(text, lang)
        from soegov.core.names import plain

        return plain(text)

    return readable


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
        from soegov.cli_error_codes import CliError

        raise CliError.UNREADABLE_FILE.error(path="FILE", name=source, reason=OS_REASONS.get(exc.errno or 0, exc.strerror),
                                             reason_en=exc.strerror) from None
    return parse_json(text)
