"""Demo oversight data (idempotent): the xd_inspector account, a Xundian ledger with a planted split
payment (化整为零) for the inspector to find from the dashboard, an overdue Yining event report and a
Xundian self-inspection checklist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.demo.accounts import demo_account
from soegov.enterprises.models import Enterprise, Jurisdiction
from soegov.oversight.models import EventReport, Inspection, LedgerImport

XD_ENTERPRISE = "寻甸县城乡建设投资开发有限公司"
YN_ENTERPRISE = "伊宁市城市建设投资集团有限公司"
SPLIT_PAYEE = "寻甸县鑫盛装饰工程有限公司"


def demo_ledger(today: dt.date) -> bytes:
    """A payment ledger CSV: ordinary payments within the leader's authority, plus three payments of
    under 3万 each to one payee within 20 days (84,500 元 together: a collective decision was needed,
    xundian art. 21 item 2)."""
    rows = ["日期,收款方,金额,用途,支出类别,合同编号"]
    start = today - dt.timedelta(days=75)
    ordinary = [
        (0, "寻甸县供电局", "12800.00", "其他", "非生产性", ""),
        (3, "昆明市办公用品有限公司", "4650.00", "其他", "非生产性", ""),
        (5, "职工工资", "286000.00", "工资", "非生产性", ""),
        (9, "寻甸县税务局", "53400.00", "税金", "非生产性", ""),
        (14, "云南砂石建材有限公司", "86000.00", "货款", "生产性", "HT-2026-031"),
        (40, "寻甸县供电局", "13100.00", "其他", "非生产性", ""),
        (44, "昆明市办公用品有限公司", "3980.00", "其他", "非生产性", ""),
    ]
    split = [(20, SPLIT_PAYEE, "28000.00"), (27, SPLIT_PAYEE, "27500.00"), (39, SPLIT_PAYEE, "29000.00")]
    lines = [((start + dt.timedelta(days=d)), p, a, u, c, h) for d, p, a, u, c, h in ordinary]
    lines += [((start + dt.timedelta(days=d)), p, a, "其他", "非生产性", "") for d, p, a in split]
    for day, payee, amount, use, cls, contract in sorted(lines):
        rows.append(f"{day.isoformat()},{payee},{amount},{use},{cls},{contract}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def load_demo_oversight() -> list[tuple[str, str, str]]:
    """Load the oversight demo data; returns the demo accounts it adds (xd_inspector)."""
    xundian = Jurisdiction.objects.filter(code="xundian").first()
    if xundian is None:
        return []
    accounts = [demo_account("xd_inspector", Role.SUPERVISOR_INSPECTOR, "钱立新", jurisdiction=xundian)]
    from soegov.oversight import events, inspections, ledgers

    xd = Enterprise.objects.filter(name=XD_ENTERPRISE).first()
    today = timezone.localdate()
    if xd is not None and not LedgerImport.objects.filter(enterprise=xd).exists():
        ledgers.ledger_upload(actor=None, enterprise=xd, name="2026年支付台账.csv", data=demo_ledger(today), inline=True)
    if xd is not None and not Inspection.objects.filter(enterprise=xd, year=today.year).exists():
        inspections.inspection_generate(actor=None, enterprise=xd, year=today.year)
    yn = Enterprise.objects.filter(name=YN_ENTERPRISE).first()
    if yn is not None and not EventReport.objects.filter(enterprise=yn).exists():
        events.event_report(actor=None, enterprise=yn, category="incident", title="城北工地脚手架坍塌（无人员伤亡）",
                            occurred_at=timezone.now() - dt.timedelta(hours=20), report_now=False,
                            description="施工现场脚手架局部坍塌，无人员伤亡，直接经济损失约 8 万元。")
    return accounts
