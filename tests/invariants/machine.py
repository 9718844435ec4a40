"""What every service state machine shares: a walk inside one rolled-back transaction, refusals counted as
outcomes, and the bounds CI runs with (SOEGOV_STATEFUL_EXAMPLES / _STEPS raise them: `scripts/stateful`)."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from soegov.core.errors import SoegovError

EXAMPLES = int(os.environ.get("SOEGOV_STATEFUL_EXAMPLES", "20"))
STEPS = int(os.environ.get("SOEGOV_STATEFUL_STEPS", "20"))
# A fixed sequence in CI, so a red run can be replayed; SOEGOV_STATEFUL_RANDOM explores.
DERANDOMIZE = not os.environ.get("SOEGOV_STATEFUL_RANDOM")


class ServiceMachine(RuleBasedStateMachine):
    """Drives services by random roles; each walk's writes are rolled back, each call's outcome counted."""

    world: ClassVar[dict[str, Any]]
    outcomes: ClassVar[Counter[str]]

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _do(self, what: str, call: Any) -> Any:
        """Run a service call; a refusal (bad input, wrong state, stale version, wrong role) is an outcome."""
        try:
            out = call()
        except (SoegovError, PermissionDenied) as exc:
            self.outcomes[f"{what} refused"] += 1
            if os.environ.get("SOEGOV_STATEFUL_VERBOSE"):
                print(what, getattr(exc, "code", "denied"), exc)
            return None
        self.outcomes[what] += 1
        return out


def run_machine(machine: type[ServiceMachine], *, reached: tuple[str, ...]) -> None:
    """Run the machine with the CI bounds; a fixed run must reach each named outcome (deep states, not only refusals)."""
    machine.outcomes = Counter()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=DERANDOMIZE, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]))
    print(dict(machine.outcomes))
    if DERANDOMIZE:
        for outcome in reached:
            assert machine.outcomes[outcome] > 0, (outcome, dict(machine.outcomes))
