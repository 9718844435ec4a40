"""Writes on performance contracts: signing them with their targets, scoring them.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside.

Assessment figures are personal information: they never go into audit entries in clear (the entry says which
fields changed and carries a digest), and only entitled supervisor staff may write or read them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError
from soegov.leaders import bridges, grading, privacy
from soegov.leaders.checks import SUPERVISOR_GATE, locked
from soegov.leaders.models import ContractKind, ContractStatus, Document, Leader, PerformanceContract
from soegov.policy.inputs import in_thousands
from soegov.user_input import clean_date, clean_text, clean_year


def _targets(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise InputError("targets_required", "请至少填写一项考核指标", "targets", "at least one target is required")
    out = []
    for n, t in enumerate(raw, start=1):
        if not isinstance(t, dict):
            raise InputError("invalid_target", f"第 {n} 项考核指标格式不正确", "targets", "a target must be an object")
        name = clean_text(t.get("name"), "targets", f"第 {n} 项指标名称", 100)
        try:
            weight = Decimal(str(t.get("weight", "")).strip())
            target = Decimal(str(t.get("target", "")).strip())
        except InvalidOperation:
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的权重和目标值应为数字", "targets",
                             "weight and target must be numbers") from None
        if not weight.is_finite() or weight <= 0 or not target.is_finite():
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的权重应大于 0", "targets",
                             "weight must be positive")
        direction = str(t.get("direction") or "higher")
        if direction not in ("higher", "lower"):
            raise InputError("invalid_target", f"第 {n} 项指标“{name}”的方向应为越高越好或越低越好", "targets",
                             "direction must be higher or lower")
        out.append({"name": name, "unit": str(t.get("unit") or "")[:20], "weight": str(weight), "target": str(target),
                    "direction": direction})
    grading.check_weights(out)
    return out


def _not_future(day: dt.date, path: str, label: str) -> dt.date:
    if day > timezone.localdate():
        raise InputError("future_date", f"{label} {day} 晚于今天：只能登记已经发生的事", path, f"{path} is in the future")
    return day


def _check_signed_on(day: dt.date, first_year: int, last_year: int) -> dt.date:
    """A contract is signed before its period ends, at most a year ahead of it, and not in the future (13.10)."""
    _not_future(day, "signed_on", "签订日期")
    if day > dt.date(last_year, 12, 31):
        raise InputError("signed_after_period", f"签订日期 {day} 晚于考核期结束（{last_year}-12-31）：责任书应在考核期内签订",
                         "signed_on", "the contract is dated after its period ended")
    if day < dt.date(first_year - 1, 1, 1):
        raise InputError("signed_too_early", f"签订日期 {day} 早于考核期开始前一年（{first_year - 1}-01-01），请核对年度",
                         "signed_on", "the contract is dated more than a year before its period")
    return day


def _check_scored_on(day: dt.date, contract: PerformanceContract) -> dt.date:
    """A year-end score is dated from the 1 December of the period's last year, not in the future, not before
    the signature: the results of a year that has not come to its end are not known (13.10)."""
    last = contract.end_year or contract.year
    earliest = dt.date(last, 12, 1)
    _not_future(day, "scored_on", "考核日期")
    if day < earliest:
        raise InputError("scored_before_period_end",
                         f"考核日期 {day} 早于考核期最后一个月：{contract.get_kind_display()}（{contract.year}"
                         f"{'—' + str(contract.end_year) if contract.end_year else ''}年度）最早于 {earliest} 起年终考核",
                         "scored_on", f"the period's results are not known before {earliest}")
    if day < contract.signed_on:
        raise InputError("scored_before_signed", f"考核日期 {day} 早于责任书签订日期 {contract.signed_on}", "scored_on",
                         "the score is dated before the contract was signed")
    return day


CONTRACT_FIELDS = ["kind", "year", "end_year", "status", "signed_on", "version"]


@SUPERVISOR_GATE.on("leader.enterprise")
def contract_sign(*, actor: Any, leader: Leader, kind: str, year: Any, targets: Any, signed_on: Any,
                  end_year: Any = None, document: Document | None = None) -> PerformanceContract:
    """Record an annual or tenure contract the supervisor signed with the leader (yining art. 9)."""
    privacy.require_entitled(actor, leader, "contract_sign")
    if kind not in ContractKind.values:
        raise InputError("invalid_kind", "请选择年度或任期责任书", "kind", "kind must be annual or tenure")
    y = clean_year(year)
    end = clean_year(end_year, "end_year") if kind == ContractKind.TENURE else None
    if end is not None and end < y:
        raise InputError("invalid_year", "任期结束年度不能早于起始年度", "end_year", "end_year is before year")
    parsed = _targets(targets)
    signed = _check_signed_on(clean_date(signed_on, "signed_on", "签订日期"), y, end or y)
    if PerformanceContract.objects.filter(leader=leader, kind=kind, year=y).exists():
        raise InputError("duplicate", f"{leader.name} {y} 年度的{ContractKind(kind).label}已经签订", "year", "already signed")
    contract = PerformanceContract(leader=leader, kind=kind, year=y, end_year=end, targets=parsed,
                                   signed_on=signed, signed_document=document,
                                   created_by=acting_user(actor))
    with transaction.atomic():
        contract.save()
        audit_record(actor=actor, action="leaders.contract_sign", obj=contract,
                     after=snapshot(contract, CONTRACT_FIELDS) | {"targets": privacy.digest(parsed)})
    return contract


@SUPERVISOR_GATE.on("contract.leader.enterprise")
def contract_score(*, actor: Any, contract: PerformanceContract, results: Any, scored_on: Any, reward: str = "",
                   appointment_consequence: str = "", version: int | None = None) -> PerformanceContract:
    """Enter the year-end results, score and grade them, keep the compliance findings beside, record consequences."""
    privacy.require_entitled(actor, contract.leader, "contract_score")
    if not isinstance(results, list | tuple) or len(results) != len(contract.targets):
        raise InputError("results_required", f"请填写全部 {len(contract.targets)} 项指标的完成值", "results",
                         "one result per target is required")
    filled = []
    for t, r in zip(contract.targets, results, strict=True):
        text = str(r).strip().replace("，", ",")
        if "," in text and not in_thousands(text):
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值“{r}”中的逗号只能作千位分隔符", "results",
                             "commas are allowed only as thousands separators")
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值“{r}”不是数字", "results", "a result is not a number") from None
        if not value.is_finite():
            raise InputError("invalid_result", f"指标“{t['name']}”的完成值不是有限数", "results", "a result is not finite")
        filled.append({**t, "result": str(value)})
    day = _check_scored_on(clean_date(scored_on, "scored_on", "考核日期"), contract)
    scored, total = grading.score(filled)
    grade, label = grading.grade_of(total)
    with transaction.atomic():
        c = locked(PerformanceContract, contract, version)
        before = snapshot(c, CONTRACT_FIELDS)
        c.targets, c.score, c.grade, c.grade_label, c.scored_on = scored, total, grade, label, day
        c.status = ContractStatus.SCORED
        c.reward = clean_text(reward, "reward", "奖惩决定", 4000, required=False)
        c.appointment_consequence = clean_text(appointment_consequence, "appointment_consequence", "任免意见", 4000, required=False)
        c.compliance = bridges.compliance_for(c.leader.enterprise, c.year, c.leader.name)
        c.version += 1
        c.save()
        audit_record(actor=actor, action="leaders.contract_score", obj=c, before=before,
                     after=snapshot(c, CONTRACT_FIELDS) | {"result": privacy.digest([scored, str(total), grade])})
    return c


# The form's example rows, shown until the first contract is typed (weights total 100).
EXAMPLE_TARGETS = [
    {"name": "利润总额", "unit": "万元", "weight": "50", "target": "1000", "direction": "higher"},
    {"name": "营业收入", "unit": "万元", "weight": "30", "target": "5000", "direction": "higher"},
    {"name": "资产负债率", "unit": "%", "weight": "20", "target": "60", "direction": "lower"},
]
TARGET_FIELDS = ("name", "unit", "weight", "target", "direction")


def target_rows(post: Any = None, *, more: int = 0) -> list[dict[str, str]]:
    """The rows of the targets form: what was posted (t_name, t_unit… one value per row), else the examples; plus
    `more` blank rows (增加一行 posts the form back with more=1; no script, so the CSP stays strict)."""
    if post is None or "t_name" not in post:
        rows = [dict(t) for t in EXAMPLE_TARGETS]
    else:
        columns = {f: post.getlist(f"t_{f}") for f in TARGET_FIELDS}
        count = max(len(v) for v in columns.values())
        rows = [{f: str(columns[f][n]).strip() if n < len(columns[f]) else "" for f in TARGET_FIELDS} for n in range(count)]
    return rows + [{"name": "", "unit": "", "weight": "", "target": "", "direction": "higher"} for _ in range(more)]


def targets_from_rows(post: Any) -> list[dict[str, Any]]:
    """The targets of the rows typed (a row left blank is no target); contract_sign checks each."""
    return [{**row, "direction": "lower" if row["direction"] == "lower" else "higher"}
            for row in target_rows(post) if any(row[f] for f in ("name", "unit", "weight", "target"))]
