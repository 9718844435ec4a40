"""Reads of notices: a person's own, and every notice for the administrator's delivery page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from soegov.core.paging import Filter
from soegov.notices.models import Channel, Event, Notice, NoticeStatus

FILTERS = (
    Filter("status", "状态", "status", "choice", NoticeStatus.choices),
    Filter("channel", "渠道", "channel", "choice", Channel.choices),
    Filter("event", "事件", "event", "choice", Event.choices),
)


def my_notices(user: Any) -> QuerySet[Notice]:
    """The notices sent to the person, newest first."""
    return Notice.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def all_notices() -> QuerySet[Notice]:
    """Every notice with its recipient, newest first (the system administrator's delivery page)."""
    return Notice.objects.select_related("user").order_by("-created_at", "-id")


def status_counts() -> dict[str, int]:
    """How many notices are pending, sent and failed (one query)."""
    found = {row["status"]: row["n"] for row in Notice.objects.values("status").annotate(n=Count("id"))}
    return {value: found.get(value, 0) for value, _ in NoticeStatus.choices}
