"""The global search page: every kind grouped with its count, or one kind paged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soegov.core.paging import list_page, search_words
from soegov.search import selectors


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Results for ?q=: grouped by kind (first rows and counts), or with ?kind= that kind's rows paged."""
    q = str(request.GET.get("q") or "").strip()[:100]
    allowed = {k.key: k for k in selectors.kinds_for(request.user)}
    kind = allowed.get(str(request.GET.get("kind") or ""))
    ctx: dict[str, object] = {"q": q, "words": search_words(q), "kinds": list(allowed.values()), "kind": kind}
    if kind is not None and ctx["words"]:
        listing = list_page(kind.rows(request.user), request.GET, search_fields=kind.fields)
        ctx |= {"listing": listing, "hits": [kind.hit(x) for x in listing.page]}
    elif ctx["words"]:
        groups = selectors.grouped(request.user, q)
        ctx |= {"groups": groups, "total": sum(g.count for g in groups), "capped": any(g.capped for g in groups)}
    return render(request, "web/search.html", ctx)
