"""Reads of the job record: who may see which job."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from soegov.accounts.roles import Role
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.jobs.models import Job


def visible_q(user: Any) -> Q:
    """The jobs a user may see: their own; their role's jobs on enterprises in their scope; the
    scheduler's for the system administrator."""
    q = Q(created_by_id=user.pk)
    if user.role:
        q |= Q(role=user.role, enterprise__isnull=False) & enterprise_scope_q(user, "enterprise__")
    if user.role == Role.SYSTEM_ADMIN:
        q |= Q(created_by__isnull=True)
    return q


def job_list(*, user: Any) -> QuerySet[Job]:
    """The jobs the user may see, newest first."""
    return Job.objects.filter(visible_q(user)).select_related("enterprise").order_by("-created_at", "-id")


def job_get(*, user: Any, pk: int) -> Job:
    """One job the user may see; 404 otherwise (no hint that it exists)."""
    job = Job.objects.filter(visible_q(user), pk=pk).select_related("enterprise", "created_by").first()
    if job is None:
        raise Http404("没有这个后台任务")
    return job


def job_for(*, user: Any, target: str) -> Job | None:
    """The latest job about one object (e.g. "oversight.ledgerimport:12") the user may see."""
    return Job.objects.filter(visible_q(user), target=target).order_by("-created_at", "-id").first()
