"""The kinds of long work: each app registers its own in its `jobs.py`, the runner looks them up by name.

A kind is a function `func(ctx, **params) -> dict` that may run more than once for one job (a worker can
die in the middle), so it must be idempotent: the second run leaves the same record as one run would.
Its result dict is shown to the user: `message` (Chinese) and, optionally, `url` to the result page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from soegov.core.errors import SoegovError


@dataclass(frozen=True)
class Kind:
    """One registered kind of job."""

    name: str
    label: str
    func: Callable[..., dict[str, Any]]
    # Exceptions worth another try later (a remote side down), with exponential backoff.
    retry_on: tuple[type[BaseException], ...] = ()
    max_attempts: int | None = None
    # Periodic kinds: the scheduler starts one every `every_minutes`, or daily at `daily_at` ("02:30",
    # Beijing time); neither: only when started by hand or by a page.
    every_minutes: float | None = None
    daily_at: str | None = None


_KINDS: dict[str, Kind] = {}


def register(name: str, *, label: str, retry_on: tuple[type[BaseException], ...] = (),
             max_attempts: int | None = None, every_minutes: float | None = None,
             daily_at: str | None = None) -> Callable[[Any], Any]:
    """Decorator registering `func(ctx, **params)` as the job kind `name` ("app.what")."""
    if daily_at is not None:
        hour, _, minute = daily_at.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError(f"job kind {name!r}: daily_at must be HH:MM, not {daily_at!r}")

    def decorate(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        existing = _KINDS.get(name)
        if existing is not None and existing.func is not func and existing.func.__qualname__ != func.__qualname__:
            raise RuntimeError(f"job kind {name!r} registered twice")
        _KINDS[name] = Kind(name=name, label=label, func=func, retry_on=retry_on, max_attempts=max_attempts,
                            every_minutes=every_minutes, daily_at=daily_at)
        return func

    return decorate


def get(name: str) -> Kind:
    """The kind registered under `name`; an unknown name is a SoegovError, not a KeyError."""
    try:
        return _KINDS[name]
    except KeyError:
        raise SoegovError("unknown_job_kind", f"未知的后台任务类型：{name}", "kind", f"unknown job kind {name}") from None


def periodic() -> list[Kind]:
    """The kinds the scheduler starts on its own, in name order."""
    return sorted((k for k in _KINDS.values() if k.every_minutes or k.daily_at), key=lambda k: k.name)


def autodiscover() -> None:
    """Import every installed app's `jobs` module, which registers its kinds."""
    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.jobs"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
