"""The error codes of the command line itself: what it refuses before any area's own checks.

Not in soegov/cli_support.py, which every command handler imports: this enumeration is needed only when a file
cannot be read or argparse refuses a command line, and building an Enum class costs a start some 0.1 ms (the
`soegov classify` start-up is benchmarked).
"""

from __future__ import annotations

from soegov.core.error_codes import ErrorCode
from soegov.core.errors import InputError


class CliError(ErrorCode):
    """What the command line itself refuses, before any area's own checks."""

    UNREADABLE_FILE = "unreadable_file", "无法读取输入文件 {name}：{reason}", "cannot read input file {name}: {reason_en}", InputError
    INVALID_ARGUMENTS = "invalid_arguments", "{message}", "{message}", InputError
