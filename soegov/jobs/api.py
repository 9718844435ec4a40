"""The job record in the API: a client that started long work polls its job until it has finished."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from soegov.jobs import selectors

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    stage: str
    done: int
    total: int | None
    percent: int | None
    result: dict[str, Any]
    error: str
    attempts: int
    created_by_name: str
    created_at: Any
    started_at: Any | None
    finished_at: Any | None


@router.get("/jobs/{job_id}", response=JobOut, summary="后台任务的进度与结果（轮询至 status 为 succeeded 或 failed）")
def job_detail(request: HttpRequest, job_id: int) -> Any:
    """One job the caller may see (404 otherwise)."""
    return selectors.job_get(user=request.auth, pk=job_id)
