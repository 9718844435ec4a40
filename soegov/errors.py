"""The one application error: a stable code, a message for people, and the field it is about."""

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

    def text(self, lang: str = "zh") -> str:
        """The message in the requested language (zh or en)."""
        return self.message_en if lang == "en" else self.message

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The contract's error JSON: {"error": {"code", "message", "path"}}."""
        return {"error": {"code": self.code, "message": self.text(lang), "path": self.path}}


class InputError(SoegovError):
    """Invalid input to the rules engine, the calendar or an import."""


def check_version(kind: str, current: int, seen: Any) -> None:
    """Refuse a write made from an older version of a record (`kind` in Chinese, e.g. "会议"); no version seen passes."""
    if seen is not None and str(seen) != "" and int(seen) != current:
        raise SoegovError("stale_version", f"该{kind}已被他人更新（当前为第 {current} 版，您看到的是第 {seen} 版），请刷新页面后重试",
                          "version", f"the {kind} was changed by someone else; reload and try again")
