"""REST endpoints of the global search: the same kinds, scope and gates as the search page; a token limited to
some parts of the API finds only the kinds of those parts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from soegov.api.auth import TOKEN_AREAS_ATTR
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES
from soegov.search import selectors

router = Router(tags=["全局搜索"])


class HitOut(Schema):
    title: str
    url: str
    enterprise: str
    number: str
    note: str


class GroupOut(Schema):
    kind: str
    label: str
    count: int
    capped: bool
    hits: list[HitOut]


def _areas(request: HttpRequest) -> Any:
    """The API parts the caller's token is limited to (None: a session or an unlimited token)."""
    return getattr(request, TOKEN_AREAS_ATTR, None)


def _hit(h: selectors.Hit) -> dict[str, str]:
    return {"title": h.title, "url": h.url, "enterprise": h.enterprise, "number": h.number, "note": str(h.note)}


@router.get("/search", response={200: list[GroupOut], **ERROR_RESPONSES}, summary="全局搜索（按类别分组，每类前几条与总数）")
def search_grouped(request: HttpRequest, q: str = "") -> Any:
    """Every kind the caller may open that has a hit for all words of q: count (capped) and first rows."""
    return [{"kind": g.kind.key, "label": str(g.kind.label), "count": g.count, "capped": g.capped,
             "hits": [_hit(h) for h in g.hits]} for g in selectors.grouped(request.auth, q, areas=_areas(request))]


@router.get("/search/{kind}", response={200: list[HitOut], **ERROR_RESPONSES}, summary="全局搜索：一类记录（分页）",
            openapi_extra=PAGE_HEADERS_DOC)
def search_kind(request: HttpRequest, response: HttpResponse, kind: str, paging: Query[PageParams], q: str = "") -> Any:
    """One kind's hits for all words of q, one page (limit/offset; total in X-Total-Count); 404 for a kind the
    caller may not open."""
    found = {k.key: k for k in selectors.kinds_for(request.auth, _areas(request))}.get(kind)
    if found is None:
        raise Http404("无此类别或您无权查看")
    rows = api_page(request, response, selectors.found(found, request.auth, q), paging)
    return [_hit(found.hit(x)) for x in rows]
