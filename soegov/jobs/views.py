"""Pages of the job record: my jobs, one job, and the progress partial htmx polls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soegov.core.paging import CappedPaginator
from soegov.jobs import selectors

PAGE_SIZE = 50


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's jobs (and, for the system administrator, the scheduler's), newest first, paged."""
    page = CappedPaginator(selectors.job_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: what it is, who started it, its progress and then its result or error."""
    return render(request, "jobs/detail.html", {"job": selectors.job_get(user=request.user, pk=pk)})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; with ?refresh=1 the page reloads once the job has finished."""
    job = selectors.job_get(user=request.user, pk=pk)
    refresh = request.GET.get("refresh") == "1"
    response = render(request, "jobs/_progress.html", {"job": job, "refresh": refresh})
    if refresh and job.finished:
        response["HX-Refresh"] = "true"
    return response
