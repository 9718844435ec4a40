"""Demo matters in different states, so the queue and the ledger are not empty (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from soegov.accounts.models import User
from soegov.core.rendering import stand_in_pdf
from soegov.enterprises.models import Enterprise
from soegov.matters import attachments, editing, lifecycle, selectors
from soegov.matters.models import Matter


def _attach_all(filer: User, m: Matter) -> Matter:
    for code in lifecycle.missing_attachments(m):
        attachments.attachment_upload(actor=filer, matter=m, kind=code, name=selectors.attachment_label(code),
                                      data=stand_in_pdf(selectors.attachment_label(code)))
    m.refresh_from_db()
    return m


def load_demo_matters() -> None:
    """Five matters of 伊宁市城市建设投资集团: a draft, a post filing and an approval in the queue, one returned, one approved."""
    filer = User.objects.filter(username="yn_filer").first()
    reviewer = User.objects.filter(username="yn_reviewer").first()
    enterprise = Enterprise.objects.filter(name="伊宁市城市建设投资集团有限公司").first()
    if filer is None or reviewer is None or enterprise is None or Matter.objects.filter(enterprise=enterprise).exists():
        return
    earlier = timezone.now() - dt.timedelta(hours=3)
    # The matter's 决策或发生日期 is the day of its decision: three hours ago is yesterday just after midnight.
    today = timezone.localtime(earlier).date()

    def new(matter_type: str, title: str, amount: Any, description: str, attributes: dict[str, Any] | None = None) -> Matter:
        return editing.matter_create(actor=filer, enterprise=enterprise, matter_type=matter_type, title=title,
                                     amount=amount, occurred_on=today, description=description, attributes=attributes or {})

    def decided(m: Matter, body: str, summary: str) -> Matter:
        return editing.matter_record_decision(actor=filer, matter=m, version=m.version, body=body, decided_at=earlier,
                                              summary=summary)

    new("asset_transfer", "转让闲置办公楼", "5000000", "拟公开挂牌转让位于解放路的闲置办公楼一栋，评估价 500 万元。")

    m = decided(new("mid_level_appointment", "任命工程管理部副经理", None, "经考察，拟任命张志强为工程管理部副经理。"),
                "党委会", "同意任命张志强为工程管理部副经理")
    m = _attach_all(filer, m)
    lifecycle.matter_submit(actor=filer, matter=m, version=m.version)

    m = decided(new("donation", "向伊宁市慈善总会捐赠", "100000", "为支持乡村振兴，拟向伊宁市慈善总会捐赠 10 万元。"),
                "董事会", "同意捐赠 10 万元")
    m = _attach_all(filer, m)
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version, comment="同意，待出具批复")

    m = decided(new("wage_budget", "2027 年度工资总额预算方案", "36800000", "2027 年度工资总额预算 3,680 万元。"),
                "董事会", "审议通过 2027 年度工资总额预算方案")
    m = _attach_all(filer, m)
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    lifecycle.matter_return(actor=reviewer, matter=m, version=m.version, comment="请补充测算依据",
                            missing=["工资总额预算测算表（分单位）", "上年度工资总额清算情况说明"])

    m = decided(new("investment_project", "城北污水处理厂提标改造项目", "8600000", "年度投资计划内项目，总投资 860 万元。",
                    {"within_annual_plan": True}), "董事会", "同意实施城北污水处理厂提标改造项目")
    m = _attach_all(filer, m)
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve", comment="同意，请按规定组织实施")
