"""Reads of the exchange, scoped to what the user may see (enterprise_scope_q)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from soegov.core.scoping import scoped_get
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.exchange.models import (
    ReceivedMeeting,
    ReceivedPackage,
    ReceivedSubject,
    Regulation,
    SubjectAnomaly,
)


def received_meetings(*, user: Any, enterprise_id: int | None = None, anomalous: bool = False) -> QuerySet[ReceivedMeeting]:
    """Received meetings of the user's jurisdiction, newest first, with their anomaly counts."""
    qs = (ReceivedMeeting.objects.filter(enterprise_scope_q(user, "enterprise__"), active=True)
          .select_related("enterprise", "package")
          .annotate(anomaly_count=Count("subjects__anomalies", filter=Q(subjects__active=True)),
                    subject_count=Count("subjects", filter=Q(subjects__active=True), distinct=True)))
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if anomalous:
        qs = qs.filter(anomaly_count__gt=0)
    return qs.order_by("-meeting_time", "-id")


def flagged_subjects(*, user: Any, enterprise_ids: list[int] | None = None,
                     scope_q: Q | None = None) -> QuerySet[ReceivedSubject]:
    """The subjects the import flagged (stored SubjectAnomaly rows of the one §4.2 computation, `anomalies.recheck`)
    in the received meetings 三重一大数据 lists, with their anomalies; `scope_q` (a filter through
    meeting__enterprise__) replaces the user's scope where no one user reads them (a leader's compliance line)."""
    scope = scope_q if scope_q is not None else enterprise_scope_q(user, "meeting__enterprise__")
    qs = (ReceivedSubject.objects.filter(scope, active=True,
                                         meeting__active=True, pk__in=SubjectAnomaly.objects.values("subject_id"))
          .select_related("meeting__enterprise").prefetch_related("anomalies").order_by("-meeting__meeting_time", "id"))
    if enterprise_ids is not None:
        qs = qs.filter(meeting__enterprise_id__in=enterprise_ids)
    return qs


def received_meeting_get(*, user: Any, pk: int) -> ReceivedMeeting:
    """One received meeting in scope, else 404 (audited when it exists out of scope)."""
    qs = ReceivedMeeting.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "package")
    meeting: ReceivedMeeting = scoped_get(qs, user=user, pk=pk)
    return meeting


def received_packages(*, user: Any) -> QuerySet[ReceivedPackage]:
    """Every package received in the user's scope, newest first."""
    return (ReceivedPackage.objects.filter(enterprise_scope_q(user, "enterprise__"))
            .select_related("enterprise", "received_by").order_by("-received_at", "-id"))


def regulations(*, user: Any, enterprise_id: int | None = None) -> QuerySet[Regulation]:
    """Regulations of the enterprises the user may see."""
    qs = Regulation.objects.filter(enterprise_scope_q(user, "enterprise__"), active=True).select_related("enterprise")
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def regulation_get(*, user: Any, pk: int) -> Regulation:
    """One regulation in scope, else 404."""
    reg: Regulation = scoped_get(regulations(user=user), user=user, pk=pk)
    return reg
