"""Paging, declared filters and keyword search for every list page and API list.

Pages use Django's Paginator with a capped count: office staff page by number and narrow a long list with
filters, so the count stops at COUNT_CAP (a bounded `COUNT(*) FROM (… LIMIT cap+1)`) instead of counting
100,000 rows on every request, and the page says "more than 10,000". The API pages by limit/offset; its body
stays the list it always was and the page facts travel in headers (X-Total-Count, Link), so no client breaks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from ninja import Field, Schema

from soegov.core.errors import InputError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
COUNT_CAP = 10_000
# A keyword matching more related rows than this (say, enterprises) is too vague to OR into the list query.
RELATED_MATCH_CAP = 1_000
# Words of one keyword search beyond this are ignored (each is one more condition, and one more related lookup).
MAX_WORDS = 5


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap`, so a page costs the same at 1,000 rows and at 1,000,000."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        return bounded_count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        """Rows in the list, at most the cap."""
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than the count says."""
        return self._bounded_count > self.cap


def bounded_count(qs: QuerySet[Any], cap: int) -> int:
    """COUNT(*) of at most cap+1 rows, selecting only keys (annotations and ordering are not computed)."""
    return int(qs.order_by().values("pk")[: cap + 1].count())


@dataclass(frozen=True)
class Filter:
    """One filter a list accepts: its query parameter, its Chinese label, how its value is read and applied.

    `lookup` is an ORM lookup the cleaned value is passed to, or a function (queryset, value) -> queryset for
    derived facts such as "overdue".
    """

    param: str
    label: str
    lookup: str | Callable[[QuerySet[Any], Any], QuerySet[Any]]
    kind: str = "text"  # text | int | year | choice | bool | date
    choices: Sequence[tuple[str, str]] = ()


@dataclass
class Listing:
    """One page of a filtered list, with what was asked for, for the template or the API headers."""

    page: Page
    filters: dict[str, Any]
    q: str
    error: InputError | None = None
    params: str = ""
    sizes: tuple[int, ...] = (20, 50, 100, 200)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        """Whether the total shown is a lower bound."""
        return bool(getattr(self.page.paginator, "capped", False))

    @property
    def total(self) -> int:
        """Rows in the filtered list (at most the count cap)."""
        return int(self.page.paginator.count)

    def page_links(self) -> list[int | None]:
        """Page numbers to show around the current one (None stands for a gap)."""
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))


def _clean(f: Filter, raw: str) -> Any:
    raw = raw.strip()
    if f.kind == "text":
        return raw[:200]
    if f.kind in ("int", "year"):
        low, high = (2000, 2100) if f.kind == "year" else (1, 2**31 - 1)
        if not raw.isdigit() or not low <= int(raw) <= high:
            hint = f"{low}–{high} 之间的年份" if f.kind == "year" else "正整数"
            raise InputError("invalid_filter", f"筛选条件“{f.label}”（{f.param}）应为{hint}：{raw[:40]}", f.param,
                             f"filter {f.param} must be {'a year' if f.kind == 'year' else 'a positive integer'}")
        return int(raw)
    if f.kind == "choice":
        if raw not in {v for v, _ in f.choices}:
            raise InputError("invalid_filter", f"筛选条件“{f.label}”（{f.param}）不是可选的取值：{raw[:40]}", f.param,
                             f"filter {f.param} is not one of the choices")
        return raw
    if f.kind == "bool":
        if raw.lower() not in ("1", "0", "true", "false", "on", "off", "yes", "no"):
            raise InputError("invalid_filter", f"筛选条件“{f.label}”（{f.param}）应为 true 或 false", f.param,
                             f"filter {f.param} must be true or false")
        return raw.lower() in ("1", "true", "on", "yes")
    if f.kind == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError("invalid_filter", f"筛选条件“{f.label}”（{f.param}）应为 YYYY-MM-DD 格式的日期", f.param,
                             f"filter {f.param} must be a date YYYY-MM-DD") from None
    raise ValueError(f"unknown filter kind {f.kind}")


def read_filters(params: Mapping[str, Any], filters: Sequence[Filter]) -> dict[str, Any]:
    """The declared filters present in the request, cleaned; InputError names the first bad one."""
    values: dict[str, Any] = {}
    for f in filters:
        raw = params.get(f.param)
        if raw is None or str(raw).strip() == "":
            continue
        values[f.param] = _clean(f, str(raw))
    return values


def apply_filters(qs: QuerySet[Any], values: Mapping[str, Any], filters: Sequence[Filter]) -> QuerySet[Any]:
    """The queryset narrowed by each cleaned filter value."""
    for f in filters:
        if f.param not in values:
            continue
        value = values[f.param]
        qs = f.lookup(qs, value) if callable(f.lookup) else qs.filter(**{f.lookup: value})
    return qs


def search_words(q: str) -> list[str]:
    """The words of a keyword search (split on any space, the full-width one too), at most MAX_WORDS of them."""
    return q.strip()[:100].split()[:MAX_WORDS]


def search(qs: QuerySet[Any], q: str, fields: Sequence[str], *,
           related: dict[tuple[Any, str, str], list[Any]] | None = None) -> QuerySet[Any]:
    """Rows where every word of the keyword is in some field (case-insensitive): several words narrow the list.

    On PostgreSQL `icontains` is `UPPER(col) LIKE UPPER('%q%')`, which the pg_trgm GIN indexes on UPPER(col)
    serve (soegov.core.trigram); SQLite scans, which is fine at its size. A field across a relation
    ("enterprise__name") is matched on the related table first and joined by key, so each table uses its own
    index instead of one OR across a join that no index serves. `related` keeps those keys across the calls of
    one request (a global search asks every kind for the same enterprise names).
    """
    words = search_words(q)
    if not words or not fields:
        return qs
    for word in words:
        qs = qs.filter(_any_field(qs, word, fields, {} if related is None else related))
    return qs


def _any_field(qs: QuerySet[Any], word: str, fields: Sequence[str], related: dict[tuple[Any, str, str], list[Any]]) -> Q:
    cond = Q(pk__in=[])
    for name in fields:
        if "__" not in name:
            cond |= Q(**{f"{name}__icontains": word})
            continue
        relation, _, rest = name.partition("__")
        link = qs.model._meta.get_field(relation)
        model = link.related_model
        key = (model, rest, word)
        if key not in related:
            related[key] = list(model._default_manager.filter(**{f"{rest}__icontains": word})
                                .order_by().values_list("pk", flat=True)[:RELATED_MATCH_CAP])
        if related[key]:
            # A foreign key holds the related key itself; a reverse one-to-one (a meeting's minutes) is joined.
            cond |= Q(**{f"{relation}_id__in" if link.concrete else f"{relation}__in": related[key]})
    return cond


def _size(params: Mapping[str, Any], default: int) -> int:
    raw = str(params.get("size") or "").strip()
    if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE:
        return int(raw)
    return default


def list_page(qs: QuerySet[Any], params: Mapping[str, Any], *, filters: Sequence[Filter] = (),
              search_fields: Sequence[str] = (), size: int = PAGE_SIZE) -> Listing:
    """One page of the list for a web page: filtered, searched, paged; a bad filter is reported, not applied."""
    error: InputError | None = None
    try:
        values = read_filters(params, filters)
    except InputError as exc:
        error, values = exc, {}
    q = str(params.get("q") or "").strip()[:100]
    qs = search(apply_filters(qs, values, filters), q, search_fields)
    paginator = CappedPaginator(qs, _size(params, size))
    page = paginator.get_page(params.get("page"))
    rest = {k: v for k, v in params.items() if k != "page" and v not in ("", None)}
    from urllib.parse import urlencode

    return Listing(page=page, filters=values, q=q, error=error, params=urlencode(rest))


def page_of_rows(rows: Sequence[Any], params: Mapping[str, Any], *, size: int = PAGE_SIZE) -> Listing:
    """One page of rows already built in Python (a list whose rows come from several tables)."""
    from urllib.parse import urlencode

    page = Paginator(rows, _size(params, size)).get_page(params.get("page"))
    rest = {k: v for k, v in params.items() if k != "page" and v not in ("", None)}
    return Listing(page=page, filters={}, q="", params=urlencode(rest))


class PageParams(Schema):
    """limit/offset of an API list (page size 50 by default, at most 200)."""

    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（1–{MAX_PAGE_SIZE}，默认 {PAGE_SIZE}）")
    offset: int = Field(0, ge=0, le=10_000_000, description="跳过的条数（从 0 开始）")


PAGE_HEADERS_DOC = {
    "responses": {200: {"description": "本页记录（JSON 数组）；分页信息在响应头中", "headers": {
        "X-Total-Count": {"description": f"筛选后的总条数（最多数到 {COUNT_CAP}）", "schema": {"type": "integer"}},
        "X-Total-Capped": {"description": "为 true 时总条数超过 X-Total-Count", "schema": {"type": "boolean"}},
        "X-Limit": {"description": "本页条数上限", "schema": {"type": "integer"}},
        "X-Offset": {"description": "本页起点", "schema": {"type": "integer"}},
        "Link": {"description": "RFC 8288：rel=\"next\" / rel=\"prev\" 的地址", "schema": {"type": "string"}},
    }}},
}


def api_page(request: Any, response: Any, qs: QuerySet[Any], paging: PageParams, *,
             filters: Sequence[Filter] = (), values: Mapping[str, Any] | None = None,
             search_fields: Sequence[str] = (), q: str = "") -> list[Any]:
    """The rows of one API page; the total, limit, offset and next/prev links go into the response headers.

    `values` are filter values already parsed (by ninja); else the declared filters are read from the query
    string and a bad one raises InputError (400 with the field named).
    """
    if values is None:
        values = read_filters(request.GET, filters)
    qs = search(apply_filters(qs, values, filters), q, search_fields)
    rows = list(qs[paging.offset: paging.offset + paging.limit])
    total = bounded_count(qs, COUNT_CAP)
    capped = total > COUNT_CAP
    response["X-Total-Count"] = str(min(total, COUNT_CAP))
    response["X-Total-Capped"] = "true" if capped else "false"
    response["X-Limit"] = str(paging.limit)
    response["X-Offset"] = str(paging.offset)
    links = []
    if len(rows) == paging.limit and (capped or paging.offset + paging.limit < total):
        links.append(f'<{_with(request, paging.offset + paging.limit, paging.limit)}>; rel="next"')
    if paging.offset > 0:
        links.append(f'<{_with(request, max(paging.offset - paging.limit, 0), paging.limit)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return rows


def _with(request: Any, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return f"{request.path}?{params.urlencode()}"
