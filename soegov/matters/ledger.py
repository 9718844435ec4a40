"""The supervisor office's ledger (台账) of matters as an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from soegov.core.spreadsheets import append_row, workbook_bytes
from soegov.matters.models import Matter
from soegov.matters.selectors import is_overdue

COLUMNS = ["企业", "事项", "事项类型", "金额（元）", "报送方式", "批准/备案机关", "依据条款", "状态",
           "报送时间", "报送期限", "答复期限", "答复时间", "是否逾期"]
WIDTHS = [30, 30, 18, 16, 14, 14, 22, 12, 18, 18, 18, 18, 10]


def _dt(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def ledger_xlsx(matters: Iterable[Matter], *, title: str = "重大事项报告台账") -> bytes:
    """One row per matter with the columns a supervisor's office keeps."""
    from soegov.policy.catalogue import AUTHORITIES, MATTER_TYPES

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    append_row(ws, COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF0F3")
    now = timezone.now()
    for m in matters:
        c = m.citation or {}
        article = f"{c.get('document')} 第{c.get('article')}条" + (f"第{c.get('item')}项" if c.get("item") else "") if c else ""
        append_row(ws, [
            m.enterprise.name, m.title, getattr(MATTER_TYPES.get(m.matter_type), "label", m.matter_type),
            m.amount, m.get_route_display(), getattr(AUTHORITIES.get(m.authority), "label", m.authority),
            article, m.get_status_display(), _dt(m.submitted_at), _dt(m.due_at), _dt(m.review_due_at),
            _dt(m.answered_at), "是" if is_overdue(m, now) else "否",
        ])
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = "#,##0.00"
        for cell in row[8:12]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    ws.freeze_panes = "A2"
    wb.properties.title = title
    return workbook_bytes(wb)
