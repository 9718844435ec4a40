"""Reads of the collector, scoped to what the user may see (enterprise_scope_q)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from soegov.collector.env import AUTO_KIND
from soegov.collector.models import CollectorKey, OutboxPackage
from soegov.enterprises.selectors import enterprise_scope_q, in_scope


def outbox(*, user: Any) -> QuerySet[OutboxPackage]:
    """The outbox of the enterprises in the user's scope, newest first."""
    return (OutboxPackage.objects.filter(enterprise_scope_q(user, "enterprise__"))
            .select_related("enterprise").order_by("-created_at", "-id"))


def keys() -> QuerySet[CollectorKey]:
    """Every key this collector issued, newest first (for its administrators and the command line)."""
    return CollectorKey.objects.select_related("enterprise").order_by("-created_at", "-id")


@dataclass(frozen=True)
class AutoStatus:
    """The automatic reporting as 数据报送 shows it: on or off, how often, its last run and its next one."""

    on: bool
    every_minutes: float
    last_at: dt.datetime | None = None
    last_message: str = ""
    next_at: dt.datetime | None = None
    # The next run's time has passed by more than a run's worth: no scheduler is running.
    late: bool = False


def auto_status(*, user: Any) -> AutoStatus:
    """The automatic reporting's state; its last result only for those who see the reporting enterprise."""
    from soegov.collector import auto
    from soegov.jobs.models import Job

    every = float(settings.SOEGOV_SCHEDULE_MINUTES.get(AUTO_KIND, 0))
    if not auto.enabled() or every <= 0:
        return AutoStatus(on=False, every_minutes=every)
    last = Job.objects.filter(kind=AUTO_KIND).order_by("-created_at", "-id").first()
    if last is None:
        return AutoStatus(on=True, every_minutes=every)
    enterprise = auto.reporting_enterprise()
    shown = enterprise is not None and in_scope(user, enterprise.pk)
    next_at = last.created_at + dt.timedelta(minutes=every)
    return AutoStatus(on=True, every_minutes=every, last_at=last.created_at,
                      last_message=str((last.result or {}).get("message") or last.error or "") if shown else "",
                      next_at=next_at, late=timezone.now() > next_at + dt.timedelta(minutes=min(every, 10)))
