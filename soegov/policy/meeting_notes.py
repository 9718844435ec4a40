"""The notes a meeting check adds to its counts: exactly half, a tie, a voided majority, a rule not yet binding."""

from __future__ import annotations

from typing import Any

from soegov.policy.dates import date
from soegov.policy.meeting_layers import BindingRules, Layered


def exactly_half_note(item: str | None, count: int, base: int, enough: bool, best: Layered, lang: str,
                      quorum: bool = False) -> dict[str, Any]:
    """A result that turns on exactly half (the contract's `exactly_half`), saying which rule read it how."""
    rule = best.rule
    note: dict[str, Any] = {"code": "exactly_half", "citation": rule.citation.as_dict(), "layer": best.layer}
    if quorum:
        note["item"] = None
        note["message"] = ((f"出席人数恰为成员半数（{count}/{base}），"
                            + ("按“半数以上”含本数达到法定人数" if enough else "未过半数，不足法定人数")) if lang == "zh"
                           else f"exactly half the members present ({count}/{base}); quorum "
                           + ("met (at least half)" if enough else "not met (more than half needed)"))
        return note
    note["message"] = ((f"赞成票恰为半数（{count}/{base}）：" + ("按“半数以上”含本数，票数足够" if enough else "未过半数，票数不足"))
                       if lang == "zh" else f"exactly half in favour ({count}/{base}): "
                       + ("enough (at least half)" if enough else "not enough (more than half needed)"))
    return note


def tie_note(count: int, tie_rule: Layered, lang: str) -> dict[str, Any]:
    """A tie does not carry (少数服从多数)."""
    return {"code": "tie", "citation": tie_rule.rule.citation.as_dict(), "layer": tie_rule.layer,
            "message": f"赞成与反对票数相等（各{count}票）：少数服从多数，平票不能通过" if lang == "zh"
            else f"as many against as for ({count} each): a tie does not carry"}


def voided_note(voids: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The votes would carry the item, but a violation voids it: say which."""
    codes = ", ".join(sorted({v["code"] for v in voids}))
    return {"code": "voided", "message": f"票数已达通过要求，但因下列违规不能视为通过：{codes}" if lang == "zh"
            else f"the votes would carry it, but these violations void the decision: {codes}"}


def not_binding_notes(layers: list[dict[str, Any]], rules: BindingRules, day: date,
                      lang: str) -> list[dict[str, Any]]:
    """Say so when the meeting was held while a layer's text did not bind yet (or no longer did)."""
    notes = []
    for head in layers:
        if head["in_force"] or head["layer"] != "local":
            continue
        notes.append({"code": "policy_not_in_force", "item": None, "layer": head["layer"],
                      "message": f"会议日期 {day} 不在{head['title']}施行期内：以下按其规则所作检查，依据的是当日不具约束力的文本"
                      if lang == "zh" else f"the meeting ({day}) falls outside the dates of force of {head['id']}: the checks "
                      "below apply a text that did not bind that day"})
    for layer, pack_id, since in sorted(set(rules.skipped)):
        notes.append({"code": "rule_not_yet_binding", "item": None, "layer": layer,
                      "message": f"{pack_id} 中自 {since} 起施行的规则不适用于 {day} 的会议" if lang == "zh"
                      else f"the rules of {pack_id} binding from {since} do not apply to a meeting on {day}"})
    return notes
