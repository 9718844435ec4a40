"""The leaders app's one-way ties to meetings (the personnel decision) and oversight (compliance, sanctions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soegov.core.errors import InputError
from soegov.core.notes import as_data
from soegov.enterprises.models import Enterprise
from soegov.matters.models import Matter
from soegov.matters.selectors import is_overdue
from soegov.meetings.models import AgendaItem
from soegov.oversight.models import Sanction
from soegov.oversight.selectors import compliance_record


def _refuse(message: str, citation: dict[str, Any] | None, code: str) -> InputError:
    ref = f"（{citation['short']}：{citation['text']}）" if citation else ""
    return InputError(code, f"{message}{ref}", "agenda_item", message)


def check_personnel_item(item_id: int, enterprise: Enterprise, ballot_citation: dict[str, Any] | None) -> AgendaItem:
    """The meetings.AgendaItem that may serve as the basis of a personnel decision, else InputError citing the rule.

    It must be an item of a meeting of the enterprise or one above it, of category personnel, passed, voted by
    ballot, and without a personnel_not_ballot violation.
    """
    item = AgendaItem.objects.select_related("meeting__enterprise", "topic").filter(pk=item_id).first()
    if item is None:
        raise InputError("invalid_agenda_item", f"会议议题 {item_id} 不存在", "agenda_item", "no such agenda item")
    if not enterprise.path.startswith(item.meeting.enterprise.path):
        raise InputError("invalid_agenda_item", "该会议议题不是本企业或其上级企业的会议议题，不能作为任免依据",
                         "agenda_item", "the item belongs to another enterprise's meeting")
    if item.topic.category != "personnel":
        raise _refuse("该议题不是人事任免议题，不能作为任免决定的依据", None, "not_personnel_item")
    if not item.passed:
        raise _refuse("该人事任免议题未获通过，不能作为任免决定的依据", None, "item_not_passed")
    violations = [v for v in (item.violations or []) if isinstance(v, dict)]
    if item.voting_method != "ballot" or any(v.get("code") == "personnel_not_ballot" for v in violations):
        raise _refuse("人事任免议题未采取投票表决（无记名投票），不能作为任免决定的依据", ballot_citation, "personnel_not_ballot")
    return item


def item_labels(item_ids: list[int | None]) -> dict[int | None, str]:
    """Short descriptions of agenda items for pages, read in one query ("" for no item, "议题 #id" for a lost one)."""
    wanted = {i for i in item_ids if i}
    items = AgendaItem.objects.filter(pk__in=wanted).select_related("meeting", "topic")
    found = {item.pk: f"{item.meeting}：{item}" for item in items} if wanted else {}
    return {i: found.get(i, f"议题 #{i}") if i else "" for i in item_ids}


def compliance_for(enterprise: Enterprise, year: int, person_name: str) -> dict[str, Any]:
    """The year's compliance findings for the leader's assessment (yining art. 27, xundian art. 28).

    Reporting: the enterprise's matters of the year that were overdue; decisions: the dashboard's 决策违规 rows
    of the year (oversight.decision_figures); accountability: oversight's compliance_record (cases, sanctions, ledger findings, late events).
    """
    matters = Matter.objects.filter(enterprise=enterprise, occurred_on__year=year)
    overdue = [m for m in matters if is_overdue(m)]
    out: dict[str, Any] = {
        "year": year,
        "overdue_matters": [{"id": m.pk, "title": m.title} for m in overdue],
        "decision_violations": _decision_violations(enterprise, year),
        "oversight": _jsonable(compliance_record(enterprise, year, person_name=person_name)),
    }
    return out


def pay_stopped(enterprise: Enterprise, person_name: str, year: int) -> tuple[Sanction, Any] | None:
    """The sanction after which this person's pay in the post stops, if one was recorded before `year`, with its tier.

    Yining art. 30: a reporting officer removed or dismissed for a breach "自免职或解聘之日起不再享受原职务工资和
    相关待遇". Sanctions are matched to the leader as the leader page matches them (enterprise and name).
    """
    from soegov.policy.sanctions import sanctions_for

    for s in (Sanction.objects.filter(case_party__enterprise=enterprise, case_party__name=person_name, year__lt=year)
              .select_related("case_party__case").order_by("year", "id")):
        try:
            tier = sanctions_for(s.case_party.case.policy).tier(s.tier)
        except InputError:
            continue
        if tier.stops_pay:
            return s, tier
    return None


def _decision_violations(enterprise: Enterprise, year: int) -> list[dict[str, Any]]:
    """The dashboard's 决策违规 rows of the enterprise's year (one computation: engine, pre-study, imported
    anomalies), kept with the contract as title, what was found and the page that shows it."""
    from soegov.oversight.decision_figures import enterprise_decision_violations

    # The labels in Chinese (the API's words) and as notes a page shows in its reader's language.
    return [{"title": r["title"], "labels": r["labels"], "notes": [as_data(label) for label in r["labels"]],
             "url": r["url"]} for r in enterprise_decision_violations(enterprise, year)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def sanction_get(sanction_id: int) -> Sanction:
    """The oversight Sanction, else InputError."""
    sanction = Sanction.objects.select_related("case_party").filter(pk=sanction_id).first()
    if sanction is None:
        raise InputError("invalid_sanction", f"问责处理 {sanction_id} 不存在", "sanction", "no such sanction")
    return sanction


def sanctions_on(pay_record: Any) -> bool:
    """Whether a case computed a deduction from the pay record (it may then not change: issue 13.4)."""
    return Sanction.objects.filter(pay_record=pay_record).exists()


def sanction_agree(*, actor: Any, sanction: Sanction, pay_record: Any, result: Any) -> None:
    """Make sure the case states the deduction the payroll is about to take, else refuse (issue 13.4).

    A sanction computed from this pay record agrees by construction (the record is locked since). One recorded
    before cases read the pay record is linked to it when its figures agree, or carried none; a typed figure
    that disagrees is refused, never silently replaced on either side.
    """
    from soegov.audit.services import audit_record, snapshot

    fields = ["pay_record", "performance_pay", "tenure_incentive", "performance_pay_deduction",
              "tenure_incentive_deduction"]
    stated = (sanction.performance_pay_deduction, sanction.tenure_incentive_deduction)
    taken = (result.performance_pay_deduction, result.tenure_incentive_deduction)
    if sanction.pay_record_id == pay_record.pk and stated == taken:
        return
    if sanction.pay_record_id is None and (not any(stated) or stated == taken):
        before = snapshot(sanction, fields)
        sanction.pay_record = pay_record
        sanction.performance_pay, sanction.tenure_incentive = pay_record.performance_pay, pay_record.tenure_incentive
        sanction.performance_pay_deduction, sanction.tenure_incentive_deduction = taken
        sanction.save(update_fields=fields)
        audit_record(actor=actor, action="oversight.sanction_link_pay", obj=sanction, before=before,
                     after=snapshot(sanction, fields))
        return
    raise InputError("case_disagrees",
                     f"问责案件记载扣减 {stated[0]} 元，按{pay_record.year}年度薪酬记录计算为 {taken[0]} 元：两者不一致，"
                     "不能扣减，请检查人核对案件", "sanction", "the case states another deduction than the pay record gives")
