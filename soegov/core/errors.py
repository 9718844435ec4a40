"""The one application error family: SoegovError and its kinds, which every layer raises.

Each app's error codes, with their two messages, are enumerations of soegov.core.error_codes.ErrorCode; that
base lives there, not here, because the rules engine imports this module at every `soegov classify` start (which
is benchmarked) and raises no enumerated code, and building an Enum class costs some 0.1 ms.

No Django here: the rules engine imports this module.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs every command start-up time
if TYPE_CHECKING:
    from typing import Any


class SoegovError(Exception):
    """Base of every error a user can cause; maps to HTTP 400 and CLI exit status 2."""

    def __init__(self, code: str, message: str, path: str | None = None, message_en: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.message_en = message_en or message
        # Every error found in the same input (each bad field of a file), when there are several.
        self.details: list[SoegovError] = []

    def text(self, lang: str = "zh") -> str:
        """The message in the requested language (zh or en)."""
        return self.message_en if lang == "en" else self.message

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The contract's error JSON: {"error": {"code", "message", "path"}}, and "errors" when there are several."""
        out: dict[str, Any] = {"error": {"code": self.code, "message": self.text(lang), "path": self.path}}
        if self.details:
            out["errors"] = [{"code": e.code, "message": e.text(lang), "path": e.path} for e in self.details]
        return out


class InputError(SoegovError):
    """Invalid input to the rules engine, the calendar, an import or a form field."""


class TransitionRefused(SoegovError):
    """An action the lifecycle does not allow from a record's current state."""
