"""The supervisor office's ledger (台账) of matters as an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from soegov.core.spreadsheets import streamed_workbook, workbook_bytes, write_only_cells
from soegov.matters.models import Matter
from soegov.matters.selectors import is_overdue

COLUMNS = ["企业", "事项", "事项类型", "金额（元）", "报送方式", "批准/备案机关", "依据条款", "状态",
           "报送时间", "报送期限", "答复期限", "答复时间", "是否逾期"]
WIDTHS = [30, 30, 18, 16, 14, 14, 22, 12, 18, 18, 18, 18, 10]


def _dt(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def ledger_workbook(matters: Iterable[Matter], *, title: str = "重大事项报告台账") -> Workbook:
    """One row per matter with the columns a supervisor's office keeps, in a write-only workbook (rows go to disk
    as they are written, so 100,000 matters take no more memory than 100)."""
    from soegov.policy.catalogue import AUTHORITIES, MATTER_TYPES

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
    header = write_only_cells(ws, COLUMNS)
    for cell in header:
        cell.font, cell.fill = bold, grey
    ws.append(header)
    formats = {3: "#,##0.00", 8: "yyyy-mm-dd hh:mm", 9: "yyyy-mm-dd hh:mm", 10: "yyyy-mm-dd hh:mm",
               11: "yyyy-mm-dd hh:mm"}
    now = timezone.now()
    for m in matters:
        c = m.citation or {}
        article = f"{c.get('document')} 第{c.get('article')}条" + (f"第{c.get('item')}项" if c.get("item") else "") if c else ""
        ws.append(write_only_cells(ws, [
            m.enterprise.name, m.title, getattr(MATTER_TYPES.get(m.matter_type), "label", m.matter_type),
            m.amount, m.get_route_display(), getattr(AUTHORITIES.get(m.authority), "label", m.authority),
            article, m.get_status_display(), _dt(m.submitted_at), _dt(m.due_at), _dt(m.review_due_at),
            _dt(m.answered_at), "是" if is_overdue(m, now) else "否",
        ], formats))
    wb.properties.title = title
    return wb


def ledger_xlsx(matters: Iterable[Matter], *, title: str = "重大事项报告台账") -> bytes:
    """The ledger as .xlsx bytes (for callers that attach it elsewhere; downloads stream ledger_workbook)."""
    return workbook_bytes(ledger_workbook(matters, title=title))


def ledger_response(matters: QuerySet[Matter], filename: str) -> Any:
    """The ledger download, read from the database in chunks and streamed from a temporary file."""
    return streamed_workbook(ledger_workbook(matters.iterator(chunk_size=500)), filename)
