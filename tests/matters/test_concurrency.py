"""Two reviewers acting on one matter at once: one wins, the other is told, nothing is lost (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from soegov.accounts.roles import Role
from soegov.core.errors import SoegovError
from soegov.matters import lifecycle
from soegov.matters.models import Event, Matter, Status
from tests.factories import UserFactory
from tests.matters.conftest import submitted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once(filer: Any, reviewer: Any, enterprise: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; scripts/test runs this with DATABASE_URL")
    m = submitted(filer, enterprise)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    second = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=enterprise.jurisdiction)
    seen = m.version
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def act(user: Any, outcome: str) -> None:
        try:
            barrier.wait()
            if outcome == "return":
                lifecycle.matter_return(actor=user, matter=m, version=seen, missing=["资金来源说明"])
            else:
                lifecycle.matter_decide(actor=user, matter=m, version=seen, outcome="approve", comment="同意")
            outcomes.append("ok")
        except SoegovError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # re-raised in the main thread below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(reviewer, "approve")), threading.Thread(target=act, args=(second, "return"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)) == ["ok", "stale_version"]
    m = Matter.objects.get(pk=m.pk)
    assert m.version == seen + 1
    assert m.status in {Status.APPROVED, Status.RETURNED}
    assert Event.objects.filter(matter=m, from_status=Status.UNDER_REVIEW).exclude(action="record_committee").count() == 1
