"""How many SQL queries a request runs, for the tests that hold every list's count flat as the data grows."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.test.utils import CaptureQueriesContext


def queries(client: Any, url: str, status: int = 200) -> int:
    """SQL queries of one GET (after a first GET, so per-process caches are warm as in a running server)."""
    first = client.get(url)
    assert first.status_code == status, (url, first.status_code, first.content[:300])
    with CaptureQueriesContext(connections["default"]) as ctx:
        r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return len(ctx.captured_queries)


def query_texts(client: Any, url: str) -> list[str]:
    """The SQL of one GET, to show in a failing assertion."""
    with CaptureQueriesContext(connections["default"]) as ctx:
        client.get(url)
    return [q["sql"] for q in ctx.captured_queries]
