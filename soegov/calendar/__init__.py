"""Mainland China working-day calendar: statutory holidays, make-up working days, deadlines.

The public API is re-exported here. The submodules load on first use (PEP 562), because the
CLI imports this package just to register its sub-commands and its start-up time is benchmarked.
"""

from __future__ import annotations

import importlib

# Not `from typing import TYPE_CHECKING`: typing costs the CLI start-up ~4 ms, and mypy and
# ruff treat a module-level TYPE_CHECKING = False the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from soegov.calendar.counting import (
        DeadlineResult,
        add_hours,
        add_working_days,
        deadline,
        deadline_from_doc,
    )
    from soegov.calendar.store import (
        YearSchedule,
        import_year,
        is_workday,
        known_years,
        show_year,
        year_known,
    )

_HOMES = {
    "DeadlineResult": "soegov.calendar.counting",
    "add_hours": "soegov.calendar.counting",
    "add_working_days": "soegov.calendar.counting",
    "deadline": "soegov.calendar.counting",
    "deadline_from_doc": "soegov.calendar.counting",
    "YearSchedule": "soegov.calendar.store",
    "import_year": "soegov.calendar.store",
    "is_workday": "soegov.calendar.store",
    "known_years": "soegov.calendar.store",
    "show_year": "soegov.calendar.store",
    "year_known": "soegov.calendar.store",
}

__all__ = [
    "DeadlineResult",
    "YearSchedule",
    "add_hours",
    "add_working_days",
    "deadline",
    "deadline_from_doc",
    "import_year",
    "is_workday",
    "known_years",
    "show_year",
    "year_known",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first access."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for dir() and completion."""
    return sorted(set(globals()) | set(_HOMES))
