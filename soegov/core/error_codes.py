"""The error codes of the core layer itself (locking; the file store adds its own), each with both messages."""

from __future__ import annotations

from soegov.core.errors import ErrorCode, InputError


class CoreError(ErrorCode):
    """Refusals raised by soegov.core: a version that is not a number or not the current one."""

    INVALID_VERSION = ("invalid_version", "版本号应为数字，收到“{seen}”；请刷新页面后重试",
                       "the version must be a number, got “{seen}”; reload the page and try again", InputError)
    STALE_VERSION = ("stale_version", "该{what}已被他人更新（当前为第 {current} 版，您看到的是第 {seen} 版{shown}），请刷新页面后重试",
                     "the {what_en} was changed by someone else (now version {current}, you saw version {seen}{shown_en}); "
                     "reload and try again")
