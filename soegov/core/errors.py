"""The one application error family, and per-app enumerations of error codes with their two messages.

An app declares its codes once, each with a Chinese and an English message template, and raises from
the enumeration, so a code never drifts from its messages and every message exists in both languages:

    class MatterError(ErrorCode):
        NOT_EDITABLE = "not_editable", "事项当前状态为“{state}”，不能修改", "the matter cannot be changed while {state}", TransitionRefused

    raise MatterError.NOT_EDITABLE.error(path="status", state=matter.get_status_display())

No Django here: the rules engine imports this module.
"""

from __future__ import annotations

from enum import StrEnum

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


class ErrorCode(StrEnum):
    """Base of every app's error-code enumeration: each member is a stable code with zh and en message templates.

    A member is written `NAME = code, zh_template, en_template[, exception_class]`; the templates take
    `str.format` fields, the same in both languages, except that a value which itself needs translating
    is passed twice, `what` for the Chinese template and `what_en` for the English one. The member compares equal to its code, so
    `exc.code == MatterError.NOT_EDITABLE` holds. One code has one pair of messages: where two places
    refuse for the same reason in different words, the difference becomes a field of the template.
    tests/core/test_error_codes.py checks every enumeration (both messages present, matching fields, no
    code declared twice, which Enum would otherwise turn silently into an alias).
    """

    zh: str
    en: str
    raises: type[SoegovError]

    def __new__(cls, code: str, zh: str, en: str, raises: type[SoegovError] = SoegovError) -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = zh
        member.en = en
        member.raises = raises
        return member

    def error(self, *, path: str | None = None, **params: Any) -> SoegovError:
        """The exception to raise: this code, both messages filled in from `params`, and the field it is about."""
        return self.raises(self.value, self.zh.format(**params), path, self.en.format(**params))
