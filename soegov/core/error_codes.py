"""Enumerations of error codes with their two messages: ErrorCode, the base of every app's, and the core's own.

An app declares its codes once, each with a Chinese and an English message template, and raises from
the enumeration, so a code never drifts from its messages and every message exists in both languages:

    class MatterError(ErrorCode):
        NOT_EDITABLE = "not_editable", "事项当前状态为“{state}”，不能修改", "the matter cannot be changed while {state}", TransitionRefused

    raise MatterError.NOT_EDITABLE.error(path="status", state=matter.get_status_display())

No Django here (the errors themselves are soegov.core.errors').
"""

from __future__ import annotations

from enum import StrEnum

from soegov.core.errors import InputError, SoegovError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs every command start-up time
if TYPE_CHECKING:
    from typing import Any


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


class CoreError(ErrorCode):
    """Refusals raised by soegov.core: a version that is not a number or not the current one."""

    INVALID_VERSION = ("invalid_version", "版本号应为数字，收到“{seen}”；请刷新页面后重试",
                       "the version must be a number, got “{seen}”; reload the page and try again", InputError)
    STALE_VERSION = ("stale_version", "该{what}已被他人更新（当前为第 {current} 版，您看到的是第 {seen} 版{shown}），请刷新页面后重试",
                     "the {what_en} was changed by someone else (now version {current}, you saw version {seen}{shown_en}); "
                     "reload and try again")
