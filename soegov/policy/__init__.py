"""The rules engine: policy packs as data, classify, meeting_check. Plain Python, no Django.

The public API is re-exported here and loaded on first use (PEP 562): `soegov classify` imports only
what classifying needs, and its start-up time is benchmarked.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from soegov.policy.engine import classify
    from soegov.policy.meetings import meeting_check

_HOMES = {"classify": "soegov.policy.engine", "meeting_check": "soegov.policy.meetings"}

__all__ = ["classify", "meeting_check"]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first access."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__, not importlib.import_module: importing importlib (and the warnings it brings) costs start-up time.
    value = getattr(__import__(home, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for dir() and completion."""
    return sorted(set(globals()) | set(_HOMES))
