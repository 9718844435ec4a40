"""From the engine's verdict to what the workflow needs: route, clocks, attachments, and what changed.

Nothing here decides a rule: every obligation, article and deadline comes from `soegov.policy.classify`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

# The strongest obligation towards the supervisor decides how the matter travels.
ROUTE_ORDER = ("prohibited", "approval", "prior_filing", "post_filing", "report")
# Code of the exception's approval a strictly controlled act must carry (yining art. 16, art. 18 item 7).
EXCEPTION_APPROVAL = "government_approval"


def external_obligations(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Obligations towards an authority outside the enterprise, strongest first."""
    obs = [o for o in result.get("obligations", []) if o.get("kind") in ROUTE_ORDER]
    return sorted(obs, key=lambda o: ROUTE_ORDER.index(o["kind"]))


def primary_obligation(result: dict[str, Any]) -> dict[str, Any] | None:
    """The obligation that sets the route, or None when the matter stays inside the enterprise."""
    obs = external_obligations(result)
    return obs[0] if obs else None


def route_of(result: dict[str, Any]) -> str:
    """The route code (a Route value)."""
    ob = primary_obligation(result)
    return str(ob["kind"]) if ob else "internal"


def needs_collective_decision(result: dict[str, Any]) -> bool:
    """Whether the rules ask for the enterprise's own collective decision."""
    return any(o.get("kind") == "collective_decision" for o in result.get("obligations", []))


def required_attachments(result: dict[str, Any]) -> list[str]:
    """Attachment codes the verdict requires, in the catalogue's order (art. 18 items, art. 24)."""
    from soegov.policy.catalogue import ATTACHMENTS

    wanted: set[str] = set()
    for ob in external_obligations(result):
        wanted.update(ob.get("attachments") or [])
        if ob.get("kind") == "prohibited":
            wanted.add(EXCEPTION_APPROVAL)
    order = list(ATTACHMENTS)
    return sorted(wanted, key=lambda c: order.index(c) if c in order else len(order))


def filing_deadline(result: dict[str, Any]) -> dict[str, Any] | None:
    """The enterprise's clock (art. 20) of the primary obligation, or None."""
    ob = primary_obligation(result)
    return ob.get("deadline") if ob else None


def review_deadline(result: dict[str, Any]) -> dict[str, Any] | None:
    """The supervisor's clock (arts. 21–22) of the primary obligation, or None."""
    ob = primary_obligation(result)
    return ob.get("review_deadline") if ob else None


def due_from(start: datetime, spec: dict[str, Any] | None) -> tuple[datetime | None, str]:
    """The due time of a deadline spec counted from `start` on the engine's working-day calendar."""
    from soegov.calendar import add_hours, add_working_days

    if not spec:
        return None, ""
    counted_from = spec.get("counted_from") or ""
    if spec.get("immediate"):
        return start, f"应立即报告（{counted_from}）"
    if spec.get("hours") is not None:
        res = add_hours(start, int(spec["hours"]))
        return res.due, f"{counted_from} {spec['hours']} 小时内"
    if spec.get("working_days") is not None:
        res = add_working_days(start, int(spec["working_days"]))
        note = f"{counted_from} {spec['working_days']} 个工作日内"
        if not res.calendar_complete:
            note += "（未掌握该年节假日安排，仅按周末计算）"
        return res.due, note
    return None, ""


def _key(ob: dict[str, Any]) -> tuple[str, str, str]:
    c = ob.get("citation") or {}
    return (str(ob.get("kind")), str(ob.get("authority")), f"{c.get('document')}:{c.get('article')}:{c.get('item')}")


def describe(ob: dict[str, Any]) -> str:
    """One obligation in a line: kind, authority and article."""
    from soegov.policy.catalogue import AUTHORITIES, KINDS

    c = ob.get("citation") or {}
    kind = getattr(KINDS.get(str(ob.get("kind"))), "label", ob.get("kind"))
    auth = getattr(AUTHORITIES.get(str(ob.get("authority"))), "label", ob.get("authority"))
    item = f"第{c.get('item')}项" if c.get("item") else ""
    return f"{kind}（{auth}，{c.get('document')} 第{c.get('article')}条{item}）"


def _deadline_text(spec: dict[str, Any] | None) -> str:
    if not spec:
        return "无"
    if spec.get("immediate"):
        return "立即"
    if spec.get("hours") is not None:
        return f"{spec['hours']} 小时"
    return f"{spec.get('working_days')} 个工作日"


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """What differs between two verdicts, in sentences a reviewer can read."""
    if old is None:
        return []
    out: list[str] = []
    ov, nv = (old.get("policy") or {}).get("version"), (new.get("policy") or {}).get("version")
    if ov != nv:
        out.append(f"制度版本：{ov} → {nv}")
    before = {_key(o): o for o in old.get("obligations", [])}
    after = {_key(o): o for o in new.get("obligations", [])}
    for k, o in after.items():
        if k not in before:
            out.append(f"新增义务：{describe(o)}")
    for k, o in before.items():
        if k not in after:
            out.append(f"不再需要：{describe(o)}")
    for k in before.keys() & after.keys():
        a, b = before[k], after[k]
        if _deadline_text(a.get("deadline")) != _deadline_text(b.get("deadline")):
            out.append(f"{describe(b)} 的期限：{_deadline_text(a.get('deadline'))} → {_deadline_text(b.get('deadline'))}")
        if sorted(a.get("attachments") or []) != sorted(b.get("attachments") or []):
            out.append(f"{describe(b)} 的应附材料有变化")
    if bool(old.get("uncovered")) != bool(new.get("uncovered")):
        out.append("制度是否明确列举该事项：" + ("否 → 是" if old.get("uncovered") else "是 → 否"))
    return out
