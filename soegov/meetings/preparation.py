"""The preparation a topic needs before it may go on an agenda (xundian-2020 art. 11(1), 11(2)(1), 14)."""

from __future__ import annotations

from typing import Any

# code → (label, citation text); the order is the order of art. 11.
STEPS: dict[str, tuple[str, str]] = {
    "research": ("调研论证和风险评估", "第十一条第（一）项第1目"),
    "principal_approved": ("经主要负责人同意列为议题", "第十一条第（一）项第2目"),
    "consulted": ("党政主要领导及班子成员沟通酝酿", "第十一条第（一）项第3目"),
    "discipline_informed": ("提前告知纪检委员和监事会并听取意见", "第十一条第（一）项第4目"),
    "workers_heard": ("通过工会、职工（代表）大会听取职工意见", "第十一条第（一）项第4目"),
    "legality_review": ("合法合规性审查", "第十一条第（二）项第1目"),
    "prestudy": ("党委（党工委）会前置研究", "第九条"),
}


def next_body(topic: Any) -> str | None:
    """The body the topic goes to next: the first on its route, past the party committee once its pre-study is linked."""
    route = list(topic.route or [])
    if getattr(topic, "prestudy_id", None) and route and route[0] == "party_committee":
        route = route[1:]
    return route[0] if route else None


def required_steps(topic: Any, body_kind: str | None = None) -> list[str]:
    """The steps this topic needs for a meeting of `body_kind` (None = the next body on its route)."""
    steps = ["research", "principal_approved", "consulted", "discipline_informed", "legality_review"]
    if topic.staff_interests:
        steps.append("workers_heard")
    route = list(topic.route or [])
    kind = body_kind or next_body(topic)
    # The party committee studies first (art. 9): any later body needs its conclusion.
    if "party_committee" in route and kind not in (None, "party_committee"):
        steps.append("prestudy")
    return steps


def step_done(topic: Any, step: str) -> bool:
    if step == "prestudy" and getattr(topic, "prestudy_id", None):
        return True
    entry = (topic.preparation or {}).get(step)
    return bool(entry and entry.get("done"))


def missing(topic: Any, body_kind: str | None = None) -> list[str]:
    """What is still missing, in words (steps, then materials)."""
    out = [f"{STEPS[s][0]}（{STEPS[s][1]}）" for s in required_steps(topic, body_kind) if not step_done(topic, s)]
    if topic.pk is None or not topic.materials.exists():
        out.append("上传决策材料（第十一条第（二）项第1目）")
    return out


def is_ready(topic: Any, body_kind: str | None = None) -> bool:
    """Whether the topic may go on an agenda of that body."""
    return not missing(topic, body_kind)


def _local(iso: Any) -> str:
    """A stored ISO time as Shanghai wall time for the page."""
    import datetime as dt

    from django.utils import timezone

    try:
        return timezone.localtime(dt.datetime.fromisoformat(str(iso))).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return ""


def checklist(topic: Any, body_kind: str | None = None) -> list[dict[str, Any]]:
    """Each required step with its label, citation and who did it when (for the topic page)."""
    from django.contrib.auth import get_user_model

    rows = []
    steps = required_steps(topic, body_kind)
    entries = {step: (topic.preparation or {}).get(step) or {} for step in steps}
    # The record keeps the login name of who did each step; the page names the person (one query for all steps).
    logins = {e.get("by") for e in entries.values() if e.get("by")}
    names = {u.username: str(u) for u in get_user_model().objects.filter(username__in=logins)} if logins else {}
    for step in steps:
        entry = entries[step]
        by = entry.get("by")
        rows.append({"code": step, "label": STEPS[step][0], "cite": STEPS[step][1], "done": step_done(topic, step),
                     "at": _local(entry.get("at")), "by": names.get(by, by), "note": entry.get("note", "")})
    return rows
