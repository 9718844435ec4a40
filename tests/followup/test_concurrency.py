"""A change report and an adjustment of the same action at once: one wins, the other is told (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from soegov.core.errors import SoegovError
from soegov.followup import services
from soegov.followup.models import ActionItem, ActionStatus
from tests.followup.factories import decided_item


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_freeze_and_adjust_at_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; scripts/test runs this with DATABASE_URL")
    a = services.action_create(actor=None, agenda_item=decided_item(), title="签合同", owner_name="王",
                               due_date="2099-01-01")
    seen = a.version
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def act(what: str) -> None:
        try:
            barrier.wait()
            if what == "change":
                services.report_change(actor=None, action=a, cause="basis", description="政策变化", version=seen)
            else:
                services.action_adjust(actor=None, action=a, version=seen, due_date="2100-01-01")
            outcomes.append("ok")
        except SoegovError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # re-raised in the main thread below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=("change",)), threading.Thread(target=act, args=("adjust",))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)) == ["ok", "stale_version"]
    a = ActionItem.objects.get(pk=a.pk)
    assert a.version == seen + 1
    # Either it froze (the due date untouched) or it was adjusted (and not frozen): never both.
    assert (a.status == ActionStatus.FROZEN) != (str(a.due_date) == "2100-01-01")
