"""The argument parser every `soegov` command is built with: argparse speaking Chinese (English with --lang en).

argparse looks its messages up through the module-level `_` and `ngettext` it imported from gettext, at
the moment it needs them; `Speaking` puts Chinese ones there for the time of one command and restores
gettext's afterwards. (gettext's own catalogue lookup cannot be pointed at a language without changing the
process's locale environment, which a command must not do to its caller.) Imported by soegov/cli.py on
every start, so it imports nothing but argparse, which the dispatcher needs anyway.
"""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NoReturn

# argparse's messages (Python 3.11), the ones a user of soegov can meet.
ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "应为%(type)s，收到 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "subcommands": "子命令",
}
ZH_PLURAL = {"expected %s argument": "需要 %s 个值"}
# What argparse calls the type of a value it could not convert (`invalid int value`), in Chinese.
TYPE_NAMES = {"应为int，": "应为整数，", "应为float，": "应为数字，"}

_state = {"lang": "zh", "json": False}
_measured: dict[str, int] = {}


def _zh(message: str) -> str:
    return ZH.get(message, message)


def _zh_plural(singular: str, plural: str, n: int) -> str:
    return ZH_PLURAL.get(singular, singular if n == 1 else plural)


class Speaking:
    """For the time of one command, argparse speaks `lang` (zh or en); under --json its errors are JSON too."""

    def __init__(self, lang: str, json: bool = False) -> None:
        self.lang = lang
        self.json = json
        self._saved: tuple[Callable[[str], str], Callable[[str, str, int], str], dict[str, Any]] | None = None

    def __enter__(self) -> Speaking:
        # The module attributes argparse calls; restored on the way out so nothing else in the process is changed.
        self._saved = (argparse._, argparse.ngettext, dict(_state))  # type: ignore[attr-defined]
        if self.lang == "zh":
            argparse._ = _zh  # type: ignore[attr-defined]
            argparse.ngettext = _zh_plural  # type: ignore[attr-defined]
        _state.update(lang=self.lang, json=self.json)
        _measured.clear()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._saved is not None
        argparse._, argparse.ngettext, saved = self._saved  # type: ignore[attr-defined]
        _state.clear()
        _state.update(saved)


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, wrapping Chinese by its width on screen (two columns a character), with Chinese
    headings under zh, and measuring the terminal without importing shutil (start-up time)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)
        self._headings: list[str] = []

    def start_section(self, heading: str | None) -> None:
        """A section of the help; its heading is remembered to be punctuated in Chinese."""
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        """The help text; under zh the headings end with a full-width colon, as Chinese text does."""
        text = super().format_help()
        if _state["lang"] == "zh":
            for heading in self._headings:
                text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(" ".join(text.split()), width - len(indent)))


_NO_LINE_START = "、，。；：！？）》」』”’…,.;:!?)"


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` screen columns: Latin words stay whole, Chinese may break between characters."""
    import re
    import unicodedata

    def cells(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    lines: list[str] = []
    line = ""
    for token in re.findall(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+|\s+", text):
        if token.isspace():
            token = " "
        # A line may not start with closing punctuation (、，。）…): it stays on the line before.
        if line and cells(line) + cells(token) > width and not token.isspace() and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        if not (token.isspace() and not line):
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _columns() -> int:
    # Measured once a command (Speaking forgets it): argparse makes a formatter for every argument it registers.
    if "columns" not in _measured:
        _measured["columns"] = _terminal_columns()
    return _measured["columns"]


def _terminal_columns() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stderr__.fileno()).columns if sys.__stderr__ else 80
    except (OSError, ValueError):
        return 80


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose sub-parsers share its layout and whose errors follow the command's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Usage and the message on standard error (and, under --json, the contract's error JSON); exit 2."""
        if _state["lang"] == "zh":
            for english, chinese in TYPE_NAMES.items():
                message = message.replace(english, chinese)
        if _state["json"]:
            from soegov.cli_error_codes import CliError
            from soegov.cli_support import emit_json

            emit_json(CliError.INVALID_ARGUMENTS.error(message=message).as_dict())
        self.print_usage(sys.stderr)
        self.exit(2, argparse._("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})  # type: ignore[attr-defined]


def language(argv: list[str]) -> str:
    """The language a command line asks for (--lang en / --lang=en), before it is parsed; Chinese otherwise."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return "en" if argv[n + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "zh"
    return "zh"

