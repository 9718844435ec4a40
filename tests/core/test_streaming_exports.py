"""Exports stream: the peak memory of a download hardly moves when its rows grow tenfold."""

from __future__ import annotations

import io
import tracemalloc
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.audit.services import audit_record
from tests.bulk import make_matters
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _peak(client: Client, url: str) -> tuple[int, bytes]:
    """Peak Python memory while the response is produced and read (in chunks, as a browser reads it)."""
    # After a first request, as in a running server: otherwise whichever test exports first in its process
    # also measures the imports and first-use caches, and the ratio depends on the order tests run in.
    for _ in client.get(url).streaming_content:
        pass
    tracemalloc.start()
    try:
        r = client.get(url)
        assert r.status_code == 200 and r.streaming, url
        head = b""
        for chunk in r.streaming_content:
            # Only the head is kept: holding the whole body would measure the test, not the export.
            head = head or bytes(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, head


def _client(role: str, **kw: Any) -> Client:
    c = Client()
    c.force_login(UserFactory(role=role, **kw))
    return c


def test_matters_ledger_streams_in_bounded_memory(settings: Any) -> None:
    j = JurisdictionFactory(code="yn", policy_packs=["yining-2024"])
    ent = EnterpriseFactory(jurisdiction=j, ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    c = _client(Role.SUPERVISOR_REVIEWER, jurisdiction=j)
    # Both sizes above the export's fetch chunk (500 rows): below it the small run holds fewer rows than a
    # chunk, and the ratio measured the chunk filling up rather than the export growing.
    make_matters([ent], 600, actor=filer)
    small, _ = _peak(c, "/matters/ledger.xlsx")
    make_matters([ent], 5400, seed=5, actor=filer)
    large, _ = _peak(c, "/matters/ledger.xlsx")
    # Ten times the rows: a whole-workbook export grows ~10x; a streamed one stays within its chunk of rows.
    assert large < 2.5 * small, (small, large)
    r = c.get("/api/v1/matters/ledger.xlsx?overdue=true")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))  # type: ignore[union-attr]
    assert rows and all(row[12] == "是" for row in rows)
    assert int(c.get("/api/v1/matters?overdue=true&limit=1")["X-Total-Count"]) == len(rows)


@pytest.mark.django_db(transaction=True)
def test_audit_csv_streams_in_bounded_memory() -> None:
    # Committed for real: inside one test transaction every entry's anchor callback would wait in memory.
    c = _client(Role.AUDIT_ADMIN)
    # Both sizes above the export's fetch chunk (500 entries), as for the ledger.
    for i in range(600):
        audit_record(actor=None, action="test.bulk", object_repr=f"对象{i}", after={"i": i})
    small, _ = _peak(c, "/audit/export.csv?action=test.bulk")
    for i in range(5400):
        audit_record(actor=None, action="test.bulk", object_repr=f"对象{i}", after={"i": i})
    large, head = _peak(c, "/audit/export.csv?action=test.bulk")
    assert AuditEntry.objects.filter(action="test.bulk").count() == 6000
    assert large < 2.5 * small, (small, large)
    assert head.decode("utf-8-sig").startswith("序号,时间,操作人")
