"""The pay ledger as .xlsx: figures in clear only for rows the exporting user is entitled to, masked otherwise."""

from __future__ import annotations

from typing import Any

from soegov.audit.services import audit_record
from soegov.core.spreadsheets import append_row, workbook_bytes
from soegov.leaders import privacy, selectors

HEADERS = ["年度", "企业", "姓名", "职务", "基本年薪（元）", "绩效年薪（元）", "问责扣减绩效年薪（元）", "任期激励收入（元）",
           "问责扣减任期激励（元）", "应发合计（元）", "薪酬决定文号", "问责案件"]


def pay_ledger_xlsx(*, user: Any, year: int | None = None) -> bytes:
    """The ledger workbook; each export is audited with how many rows were shown in clear and how many masked."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "企业负责人薪酬台账"
    append_row(ws, HEADERS)
    clear = masked = 0
    for record in selectors.pay_ledger(user=user, year=year):
        leader = record.leader
        row = selectors.pay_row(record)
        head = [record.year, leader.enterprise.name, leader.name, leader.get_post_display()]
        if privacy.can_view(user, leader):
            clear += 1
            append_row(ws, [*head, row["base_pay"], row["performance_pay"], row["performance_deduction"],
                       row["tenure_incentive"], row["tenure_deduction"], row["total_net"],
                       record.decision_number, "；".join(d.case_label for d in row["deductions"])])
        else:
            masked += 1
            append_row(ws, [*head, *([privacy.MASK] * 6), record.decision_number, privacy.MASK if row["deductions"] else ""])
    for col, width in zip("ABCDEFGHIJKL", (6, 28, 10, 16, 14, 14, 18, 16, 18, 14, 22, 30), strict=True):
        ws.column_dimensions[col].width = width
    if masked:
        append_row(ws, [])
        append_row(ws, ["说明：薪酬数据属于个人信息，您无权查看的金额已屏蔽（***）。"])
    audit_record(actor=user, action="leaders.pay_ledger_export", object_type="leaders.payrecord",
                 object_id=str(year or ""), after={"clear_rows": clear, "masked_rows": masked})
    return workbook_bytes(wb)
