"""Writes on pay: a year's pay record and the accountability sanctions deducted from it.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside.

Pay figures are personal information: they never go into audit entries in clear (the entry says which fields
changed and carries a digest), and only entitled supervisor staff may write or read them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record
from soegov.core.errors import InputError, SoegovError
from soegov.leaders import bridges, privacy
from soegov.leaders.checks import SUPERVISOR_GATE
from soegov.leaders.models import Document, Leader, PayDeduction, PayRecord
from soegov.user_input import clean_money, clean_text, clean_year

PAY_FIELDS = ["year", "base_pay", "performance_pay", "tenure_incentive", "decision_number", "decision", "version"]


def pay_check(*, year: Any, base_pay: Any, performance_pay: Any, tenure_incentive: Any,
              decision_number: str) -> tuple[int, dict[str, Any], str]:
    """The typed year, figures and decision number of a pay decision, parsed (errors name the field)."""
    y = clean_year(year)
    values = {"base_pay": clean_money(base_pay, "base_pay", "基本年薪"),
              "performance_pay": clean_money(performance_pay, "performance_pay", "绩效年薪"),
              "tenure_incentive": clean_money(tenure_incentive or 0, "tenure_incentive", "任期激励收入")}
    return y, values, clean_text(decision_number, "decision_number", "薪酬决定文号", 60)


@SUPERVISOR_GATE.on("leader.enterprise")
def pay_set(*, actor: Any, leader: Leader, year: Any, base_pay: Any, performance_pay: Any, tenure_incentive: Any,
            decision_number: str, decision: Document, version: int | None = None) -> PayRecord:
    """Set a leader's pay for a year as the supervisor's decision fixed it (a later decision replaces it)."""
    privacy.require_entitled(actor, leader, "pay_set")
    y, values, number = pay_check(year=year, base_pay=base_pay, performance_pay=performance_pay,
                                  tenure_incentive=tenure_incentive, decision_number=decision_number)
    if decision.enterprise_id != leader.enterprise_id:
        raise InputError("invalid_document", "薪酬决定文件不属于该企业", "decision", "the decision belongs to another enterprise")
    stopped = bridges.pay_stopped(leader.enterprise, leader.name, y)
    if stopped is not None:
        sanction, tier = stopped
        raise InputError("pay_stopped", f"{leader.name}已于{sanction.year}年受“{tier.zh}”处理（{sanction.case_party.case}）："
                         f"{tier.consequences_text()}，不能再登记{y}年度原职务薪酬", "year",
                         "removed or dismissed for a breach: no further pay in the post (yining art. 30)")
    with transaction.atomic():
        record = PayRecord.objects.select_for_update().filter(leader=leader, year=y).first()
        if record is not None:
            if version is not None and int(version) != record.version:
                raise SoegovError("stale_version", "该薪酬记录已被他人更新，请刷新页面后重试", "version", "stale version")
            if record.deductions.exists():
                raise SoegovError("has_deductions", "该年度薪酬已登记问责扣减，不能再修改薪酬基数", "year",
                                  "pay with deductions cannot be changed")
            if bridges.sanctions_on(record):
                raise SoegovError("has_sanctions", "问责案件已按该年度薪酬记录计算扣减，不能再修改薪酬基数（案件与薪酬须一致）",
                                  "year", "a case computed its deduction from this pay record")
            before = privacy.masked_snapshot(record, PAY_FIELDS)
            record.version += 1
        else:
            record = PayRecord(leader=leader, year=y, created_by=acting_user(actor))
            before = {}
        for k, v in values.items():
            setattr(record, k, v)
        record.decision_number, record.decision, record.updated_at = number, decision, timezone.now()
        record.save()
        audit_record(actor=actor, action="leaders.pay_set", obj=record, before=before,
                     after=privacy.masked_snapshot(record, PAY_FIELDS))
    return record


def sanction_tier(policy: str, code: str) -> Any:
    """The tier of a sanction in the case's own pack (a Yining measure never borrows Xundian's deductions)."""
    from soegov.policy.sanctions import sanctions_for

    for tier in sanctions_for(policy).tiers:
        if tier.code == code:
            return tier
    raise InputError("unknown_tier", f"{policy} 没有处理档次“{code}”", "sanction", f"{policy} has no sanction tier {code!r}")


@SUPERVISOR_GATE.on("pay_record.leader.enterprise")
def sanction_apply(*, actor: Any, pay_record: PayRecord, sanction_id: Any) -> PayDeduction:
    """Deduct an accountability sanction from the pay of its year, recomputed from this pay record; once only."""
    from soegov.policy.sanctions import deduction

    leader = pay_record.leader
    privacy.require_entitled(actor, leader, "sanction_apply")
    try:
        sid = int(str(sanction_id))
    except ValueError:
        raise InputError("invalid_sanction", "请选择问责处理", "sanction", "choose a sanction") from None
    sanction = bridges.sanction_get(sid)
    party = sanction.case_party
    case = party.case
    if party.enterprise_id != leader.enterprise_id or party.name != leader.name:
        raise InputError("other_person", f"该问责处理针对的是“{party.name}”，不是{leader.name}", "sanction",
                         "the sanction concerns another person")
    if party.exempt:
        raise InputError("exempt", f"{party.name}已被免除责任（寻甸办法第三十条），不能扣减", "sanction", "the party is exempt")
    if int(sanction.year) != pay_record.year:
        raise InputError("other_year", f"该问责处理应扣减 {sanction.year} 年度的薪酬，不是 {pay_record.year} 年度（寻甸办法第三十二条：当年）",
                         "sanction", "the sanction applies to another year's pay")
    if sanction.pay_record_id not in (None, pay_record.pk):
        raise InputError("other_record", "该问责处理按另一条薪酬记录计算，不能从本记录扣减", "sanction",
                         "the sanction was computed from another pay record")
    tier = sanction_tier(case.policy, sanction.tier)
    if not tier.deducts:
        raise InputError("no_deduction", f"“{tier.zh}”不扣减薪酬", "sanction", "this tier deducts nothing from pay")
    result = deduction(tier, performance_pay=pay_record.performance_pay, tenure_incentive=pay_record.tenure_incentive,
                       rate=sanction.rate if tier.cap else None)
    with transaction.atomic():
        PayRecord.objects.select_for_update().get(pk=pay_record.pk)
        if PayDeduction.objects.filter(sanction_id=sanction.pk).exists():
            raise InputError("already_applied", "该问责处理已经扣减过，同一处理只扣减一次", "sanction", "already applied")
        # One figure, one source (issue 13.4): the payroll takes exactly what the case states.
        bridges.sanction_agree(actor=actor, sanction=sanction, pay_record=pay_record, result=result)
        d = PayDeduction.objects.create(
            pay_record=pay_record, sanction_id=sanction.pk, case_id=case.pk, case_label=str(case)[:200],
            tier=tier.zh[:200], rate=result.rate, performance_deduction=result.performance_pay_deduction,
            tenure_deduction=result.tenure_incentive_deduction, citation=tier.citation.as_dict(), applied_by=acting_user(actor))
        audit_record(actor=actor, action="leaders.sanction_apply", obj=d,
                     after={"pay_record": pay_record.pk, "sanction": sanction.pk, "case": case.pk, "tier": tier.code,
                            "amounts": privacy.digest([str(d.performance_deduction), str(d.tenure_deduction)])})
    return d
