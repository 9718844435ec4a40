"""Appointment routes of enterprise leaders by level, read from a pack's appointments.yaml (yining-2024 art. 7).

Plain data in, plain data out: `appointment_route(policy=, level=, listed=, on=)` says which route applies,
with its ordered steps, who takes each and the article behind it. The pack folder and its dates of force
come from the registry, so a pack without appointments.yaml simply has no routes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soegov.core.errors import InputError
from soegov.core.time import SHANGHAI
from soegov.policy.catalogue import AUTHORITIES, MATTER_TYPES, OWNERSHIPS
from soegov.policy.dates import date, datetime
from soegov.policy.errors import PackError
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.pack_files import cached_on_pack, pack_citation, read_pack_file

FILE = "appointments.yaml"
# Actors beyond the catalogue's authorities: the parent group's party organisation proposes (art. 7 item 2).
EXTRA_ACTORS = {"parent_party_organization": ("上级集团党组织", "the parent group's party organisation")}
BASES = ("document", "meeting_item")


def actor_label(code: str, lang: str = "zh") -> str:
    """The label of a step's actor."""
    if code in EXTRA_ACTORS:
        return EXTRA_ACTORS[code][0 if lang == "zh" else 1]
    entry = AUTHORITIES.get(code)
    return str(getattr(entry, "label" if lang == "zh" else "label_en", code)) if entry else code


def _cite(pack: Pack, spec: Any, where: str) -> dict[str, Any]:
    """A checked citation as a dict, with its short form for pages."""
    citation = pack_citation(pack, spec, where)
    out = citation.as_dict()
    out["short"] = citation.short("zh")
    return out


def load_appointments(pack: Pack) -> dict[str, Any] | None:
    """The pack's appointment rules, validated (None when the pack has no appointments.yaml)."""
    return cached_on_pack(pack, "appointments", _build_appointments) or None


def _build_appointments(pack: Pack) -> dict[str, Any]:
    found = read_pack_file(pack, FILE)
    if found is None:
        return {}
    doc, where = found
    if not isinstance(doc, Mapping) or not isinstance(doc.get("routes"), list) or not doc["routes"]:
        raise PackError(where, "needs a non-empty list `routes`")
    routes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, spec in enumerate(doc["routes"]):
        rw = f"{where}: routes[{n}]"
        route_id = str(spec.get("id") or "")
        if not route_id or route_id in seen:
            raise PackError(rw, f"missing or duplicate route id {route_id!r}")
        seen.add(route_id)
        applies = [_applies(cond, rw) for cond in spec.get("applies") or ()]
        if not applies:
            raise PackError(rw, "needs `applies`")
        steps = []
        codes: set[str] = set()
        for k, st in enumerate(spec.get("steps") or ()):
            sw = f"{rw}.steps[{k}]"
            code = str(st.get("code") or "")
            if not code or code in codes:
                raise PackError(sw, f"missing or duplicate step code {code!r}")
            codes.add(code)
            actor = str(st.get("actor") or "")
            if actor not in AUTHORITIES and actor not in EXTRA_ACTORS:
                raise PackError(sw, f"unknown actor {actor!r}")
            basis = str(st.get("basis") or "document")
            if basis not in BASES:
                raise PackError(sw, f"basis must be one of {', '.join(BASES)}")
            steps.append({"number": k + 1, "code": code, "label": str(st.get("label") or code), "actor": actor,
                          "actor_label": actor_label(actor), "basis": basis,
                          "citation": _cite(pack, st.get("cite"), sw + ".cite")})
        if not steps:
            raise PackError(rw, "needs `steps`")
        routes.append({"id": route_id, "label": str(spec.get("label") or route_id),
                       "label_en": str(spec.get("label_en") or ""), "applies": applies,
                       "citation": _cite(pack, spec.get("cite"), rw + ".cite"), "steps": steps})
    for a in routes:
        for b in routes:
            if a is not b and any(_overlap(x, y) for x in a["applies"] for y in b["applies"]):
                raise PackError(where, f"routes {a['id']} and {b['id']} both apply to the same enterprises")
    rules = {
        "document": pack.document,
        "routes": routes,
        "posts_citation": _cite(pack, (doc.get("posts") or {}).get("cite") or {"article": 7}, where + ": posts"),
        "ballot_citation": _cite(pack, doc["ballot_cite"], where + ": ballot_cite") if doc.get("ballot_cite") else None,
    }
    return rules


def _applies(cond: Any, where: str) -> dict[str, Any]:
    """One `applies` entry: a level (or an ownership form for every level), optionally the listed flag and a post."""
    if not isinstance(cond, Mapping) or (not isinstance(cond.get("level"), int) and cond.get("ownership") is None):
        raise PackError(where, "each `applies` entry needs an integer `level` or an `ownership`")
    listed = cond.get("listed")
    if listed is not None and not isinstance(listed, bool):
        raise PackError(where, "`listed` must be true or false")
    ownership = cond.get("ownership")
    if ownership is not None and ownership not in OWNERSHIPS:
        raise PackError(where, f"unknown ownership {ownership!r}")
    post = cond.get("post")
    posts = MATTER_TYPES["personnel_appointment"].attributes["post"].choices
    if post is not None and post not in posts:
        raise PackError(where, f"unknown post {post!r}; one of {', '.join(posts)}")
    return {"level": cond.get("level"), "listed": listed, "ownership": ownership, "post": post}


def _overlap(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
    return (x["level"] == y["level"] and x["ownership"] == y["ownership"] and x["post"] == y["post"]
            and (x["listed"] is None or y["listed"] is None or x["listed"] == y["listed"]))


def _matches(cond: Mapping[str, Any], level: int, listed: bool, ownership: str | None, post: str | None) -> bool:
    if cond["ownership"] is not None and cond["ownership"] != ownership:
        return False
    if cond["post"] is not None and cond["post"] != post:
        return False
    return (cond["level"] is None or cond["level"] == level) and (cond["listed"] is None or cond["listed"] == listed)


def _specificity(cond: Mapping[str, Any]) -> int:
    """A route for a form of ownership or a post comes before the general route of the level."""
    return (cond["ownership"] is not None) * 2 + (cond["post"] is not None)


def appointment_rules(policy: str, on: date | None = None) -> dict[str, Any]:
    """The validated appointment rules of a pack in force on the day; InputError when it has none or is not in force."""
    pack = get_registry().get(policy)
    day = on or datetime.now(SHANGHAI).date()
    if pack.version_on(day) is None:
        raise InputError("policy_not_in_force", f"{pack.title}在 {day} 不在施行期内，无法确定任免程序", "date",
                         f"{pack.id} is not in force on {day}")
    rules = load_appointments(pack)
    if rules is None:
        raise InputError("no_appointment_rules", f"{pack.title}未规定企业领导人员任免程序", "policy",
                         f"{pack.id} has no appointment routes")
    return rules


def appointment_route(*, policy: str, level: int, listed: bool = False, on: date | None = None,
                      ownership: str | None = None, post: str | None = None) -> dict[str, Any]:
    """The route that applies to an enterprise of this level (listed flag, ownership) and post, with steps and citations.

    A route for a form of ownership (a minority stake: the city only recommends) or for a post (the
    discipline secretary) comes before the level's general route. Raises InputError `no_appointment_route`
    when no route covers the level (art. 7 names levels 1 to 3 only).
    """
    rules = appointment_rules(policy, on)
    candidates = [(cond, route) for route in rules["routes"] for cond in route["applies"]
                  if _matches(cond, level, bool(listed), ownership, post)]
    if candidates:
        route = max(candidates, key=lambda found: _specificity(found[0]))[1]
        return {**route, "ballot_citation": rules["ballot_citation"], "policy": policy}
    levels = sorted({c["level"] for r in rules["routes"] for c in r["applies"] if c["level"] is not None})
    raise InputError("no_appointment_route",
                     f"{level} 级企业不在任免程序规定范围内（第七条只规定了{'、'.join(map(str, levels))}级企业领导班子的任免程序）",
                     "level", f"no appointment route covers level {level}")
