"""The matter advisor: builds the engine's input from the form, calls the engine, adds labels and full texts.

It never decides anything itself: every obligation comes from `soegov.policy.classify`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.advisor import selectors
from soegov.core.errors import InputError
from soegov.user_input import clean_money


def build_document(data: Mapping[str, Any], attribute_specs: Mapping[str, Any]) -> dict[str, Any]:
    """The contract's classify input from the advisor form's fields (strings as posted)."""
    doc: dict[str, Any] = {"type": (data.get("type") or "").strip()}
    if not doc["type"]:
        raise InputError("required", "请选择事项类型", "type", "choose a matter type")
    if data.get("date"):
        doc["date"] = str(data["date"]).strip()
    level = str(data.get("level") or "").strip()
    if not level.isdigit():
        raise InputError("invalid_level", "请选择企业层级（1、2、3 级）", "enterprise.level", "choose the enterprise level")
    ownership = str(data.get("ownership") or "").strip()
    if not ownership:
        raise InputError("required", "请选择持股类型", "enterprise.ownership", "choose the ownership")
    doc["enterprise"] = {"level": int(level), "ownership": ownership}
    amount = clean_money(data.get("amount"), "amount", "金额", required=False)
    if amount is not None:
        doc["amount"] = str(amount)
    attributes: dict[str, Any] = {}
    for name, spec in attribute_specs.items():
        raw = str(data.get(f"attr_{name}") or "").strip()
        if raw == "":
            continue
        kind = getattr(spec, "kind", "choice")
        if kind == "bool":
            attributes[name] = raw in {"true", "1", "yes", "on"}
        elif kind == "int":
            if not raw.lstrip("-").isdigit():
                lab = getattr(spec, "label", name)
                raise InputError("invalid_int", f"{lab}应为整数", f"attributes.{name}", f"{name} must be an integer")
            attributes[name] = int(raw)
        else:
            attributes[name] = raw
    doc["attributes"] = attributes
    return doc


def due_date(deadline: Mapping[str, Any] | None, start: str) -> dict[str, Any] | None:
    """The calendar's due time for an obligation's deadline counted from `start`, or None without one."""
    if not deadline or not start:
        return None
    from soegov.calendar import deadline_from_doc

    for unit in ("working_days", "hours"):
        if deadline.get(unit) is not None:
            try:
                return deadline_from_doc({"from": start, unit: deadline[unit]})
            except InputError as exc:
                raise InputError(exc.code, f"起算时间：{exc.message}", "start", exc.message_en) from None
    return None


def advise(doc: dict[str, Any], *, policy: str, start: str = "") -> dict[str, Any]:
    """The engine's verdict plus what a person needs beside it: labels, each cited article, due dates."""
    from soegov.policy import classify
    from soegov.policy.catalogue import ATTACHMENTS, AUTHORITIES, KINDS

    result = classify(doc, policy=policy, date=doc.get("date"), lang="zh", explain=True)
    view: dict[str, Any] = {"result": result, "obligations": []}
    for ob in result.get("obligations", []):
        citation = ob.get("citation") or {}
        pack = selectors.pack_get(citation.get("document") or policy)
        view["obligations"].append({
            "ob": ob,
            "kind_label": selectors.label(KINDS, ob.get("kind")),
            "authority_label": selectors.label(AUTHORITIES, ob.get("authority")),
            "via_label": selectors.label(AUTHORITIES, ob.get("via")) if ob.get("via") else "",
            "attachments": [selectors.label(ATTACHMENTS, a) for a in ob.get("attachments") or []],
            "article": selectors.article_of(pack, citation.get("article")),
            "due": due_date(ob.get("deadline"), start),
            "pack": pack,
        })
    return view
