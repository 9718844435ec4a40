"""A matter's facts and its verdict: the date checks, the engine's classification, the verdict stored and the
filing clock it sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from soegov.core.errors import InputError
from soegov.matters import verdicts
from soegov.matters.models import Matter, Verdict
from soegov.user_input import clean_money, clean_text


def occurred_date(value: Any) -> dt.date:
    """The typed date of the decision or event (occurred_on)."""
    from soegov.user_input import clean_date

    return clean_date(value, "occurred_on", "决策或发生日期")


# A date further than this from today is saved only once the user confirms it (a year typed wrong: 2030 for 2026).
FAR_DAYS = 365


def in_force(result: dict[str, Any]) -> bool:
    """Whether a version of the matter's regulation was in force on its date (else the verdict decides nothing)."""
    return bool((result.get("policy") or {}).get("in_force", True))


def not_in_force_error(result: dict[str, Any]) -> InputError:
    """The refusal of a date no version of the regulation is in force on: said plainly, asking for the date again."""
    policy = result.get("policy") or {}
    day = (result.get("matter") or {}).get("date", "")
    said = next((str(n["message"]) for n in result.get("notes", [])
                 if n.get("code") == "policy_not_in_force" and n.get("layer", "local") == "local"),
                f"{policy.get('title', policy.get('id', ''))}在 {day} 不在施行期内")
    said = said.split("，未套用任何规则")[0]
    return InputError("policy_not_in_force",
                      f"{said}：该日期没有施行中的制度版本，无法判定该事项须履行的义务，也不能视为企业内部决策。"
                      "请更正决策或发生日期", "occurred_on",
                      f"no version of {policy.get('title') or policy.get('id', '')} is in force on {day}: correct the date")


def far_date_error(day: dt.date) -> InputError | None:
    """A date more than FAR_DAYS from today, to be confirmed by the user; None when it is near."""
    days = (day - timezone.localdate()).days
    if abs(days) <= FAR_DAYS:
        return None
    when = f"{days} 天后" if days > 0 else f"{-days} 天前"
    return InputError("date_unconfirmed",
                      f"决策或发生日期 {day.isoformat()} 距今超过一年（{when}），请核对年份；确无误请勾选“确认日期无误”后再保存",
                      "occurred_on", f"the date {day.isoformat()} is more than a year from today: confirm it (date_confirmed)")


def date_check(result: dict[str, Any], day: dt.date, *, date_confirmed: bool) -> None:
    """A matter's date must have a version of its regulation in force, and a far one must be confirmed."""
    if not in_force(result):
        raise not_in_force_error(result)
    far = None if date_confirmed else far_date_error(day)
    if far is not None:
        raise far


def engine_request(matter: Matter) -> dict[str, Any]:
    """The contract's classify input for the matter (one matter: one type, one amount)."""
    doc: dict[str, Any] = {
        "date": matter.occurred_on.isoformat(),
        "enterprise": {"level": matter.enterprise.level, "ownership": matter.enterprise.ownership},
        "type": matter.matter_type,
        "attributes": dict(matter.attributes or {}),
    }
    if matter.amount is not None:
        doc["amount"] = str(matter.amount)
    return doc


def matter_classify(matter: Matter) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine's request for the matter and its verdict (one matter, one type)."""
    from soegov.policy import classify

    doc = engine_request(matter)
    if not isinstance(matter.matter_type, str) or not matter.matter_type:
        raise InputError("required", "请选择事项类型（一事一报：一份请示只含一个事项）", "type", "choose one matter type")
    result = classify(doc, policy=matter.policy, date=doc["date"], lang="zh")
    return doc, result


def verdict_apply(matter: Matter, doc: dict[str, Any], result: dict[str, Any]) -> Verdict:
    """Store the verdict (with the change from the last one) and copy what the workflow needs onto the matter."""
    last = matter.verdicts.first() if matter.pk else None
    ob = verdicts.primary_obligation(result)
    matter.route = verdicts.route_of(result)
    matter.authority = str(ob.get("authority") or "") if ob else ""
    matter.via = str(ob.get("via") or "") if ob else ""
    matter.citation = dict(ob.get("citation") or {}) if ob else {}
    matter.required_attachments = verdicts.required_attachments(result)
    matter.needs_collective_decision = verdicts.needs_collective_decision(result)
    due_recompute(matter, result)
    matter.save()
    return Verdict.objects.create(
        matter=matter, number=(last.number + 1) if last else 1, policy_id=str(result["policy"]["id"]),
        policy_version=str(result["policy"].get("version") or ""), request=doc, result=result,
        changes=verdicts.changes(last.result if last else None, result),
    )


def due_recompute(matter: Matter, result: dict[str, Any]) -> None:
    """The enterprise's filing clock (art. 20) runs from the recorded decision or event."""
    if matter.decided_at is None:
        matter.due_at, matter.due_note = None, ""
        spec = verdicts.filing_deadline(result)
        if spec:
            matter.due_note = "自记录集体决策或事发时间起算：" + verdicts.due_from(timezone.now(), spec)[1]
        return
    due, note = verdicts.due_from(matter.decided_at, verdicts.filing_deadline(result))
    matter.due_at, matter.due_note = due, note


def latest_verdict(matter: Matter) -> Verdict:
    """The verdict in force for the matter."""
    v = matter.verdicts.first()
    assert v is not None, "a matter always has a verdict"
    return v


def new_matter_errors(*, matter_type: Any, title: Any, occurred_on: Any, amount: Any) -> list[InputError]:
    """Every problem of a new matter's typed fields at once, so the form names them all in one go."""
    from soegov.policy.catalogue import MATTER_TYPES
    from soegov.user_input import clean_date

    errors: list[InputError] = []
    if not str(matter_type or "").strip():
        errors.append(InputError("required", "请选择事项类型（一事一报：一份请示只含一个事项）", "type", "choose one matter type"))
    elif str(matter_type).strip() not in MATTER_TYPES:
        errors.append(InputError("invalid_type", "请从列表中选择事项类型", "type", "unknown matter type"))
    checks: list[tuple[Any, tuple[Any, ...]]] = [
        (clean_text, (title, "title", "事项名称", 200)),
        (clean_date, (occurred_on, "occurred_on", "决策或发生日期")),
        (clean_money, (amount, "amount", "金额", False)),
    ]
    for check, args in checks:
        try:
            check(*args)
        except InputError as exc:
            errors.append(exc)
    return errors
