"""Inspection checklists as pack data (inspection.yaml): the points with citations, and the annual due date.

Xundian art. 25: the enterprise self-inspects at least once a year and reports by 30 December.
Yining art. 25: the supervisor's six inspection points. Plain Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from soegov.policy.dates import date
from soegov.policy.errors import PackError
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.pack_files import cached_on_pack, pack_citation, read_pack_file
from soegov.policy.texts import Citation

EVIDENCE = frozenset({"bodies", "matters", "approvals", "implemented_early", "meeting_violations", "findings",
                      "cases", "open_actions"})


@dataclass(frozen=True)
class Point:
    """One checklist point with its citation and the kinds of evidence the system pre-fills."""

    code: str
    zh: str
    citation: Citation
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """A pack's inspection points and annual reporting date (month, day) if the measure sets one."""

    pack_id: str
    points: tuple[Point, ...]
    citation: Citation | None
    due: tuple[int, int] | None
    reported_to: str

    def due_on(self, year: int) -> date | None:
        """The year's reporting deadline (xundian: 30 December), or None."""
        return date(year, *self.due) if self.due else None


def build_checklist(pack: Pack) -> Checklist:
    """Read and check the pack's inspection.yaml (an absent file gives no points)."""
    found = read_pack_file(pack, "inspection.yaml")
    if found is None:
        return Checklist(pack.id, (), None, None, "")
    doc, where = found
    doc = doc or {}
    points = []
    seen = set()
    for n, p in enumerate(doc.get("points") or []):
        pw = f"{where}: points[{n}]"
        if not isinstance(p, dict) or not p.get("code") or not p.get("zh"):
            raise PackError(pw, "needs `code` and `zh`")
        if p["code"] in seen:
            raise PackError(pw, f"duplicate code {p['code']!r}")
        seen.add(p["code"])
        evidence = tuple(str(e) for e in p.get("evidence") or ())
        unknown = set(evidence) - EVIDENCE
        if unknown:
            raise PackError(pw, f"unknown evidence {sorted(unknown)}")
        points.append(Point(str(p["code"]), str(p["zh"]), pack_citation(pack, p.get("cite"), pw + ".cite"), evidence))
    annual = doc.get("annual") or {}
    due = annual.get("due")
    due_t = None
    if due:
        try:
            date(2024, int(due["month"]), int(due["day"]))  # a leap year: any real month/day passes
        except (KeyError, TypeError, ValueError):
            raise PackError(f"{where}: annual.due", "needs a real month and day") from None
        due_t = (int(due["month"]), int(due["day"]))
    cite = pack_citation(pack, annual["cite"], f"{where}: annual.cite") if annual.get("cite") else None
    return Checklist(pack.id, tuple(points), cite, due_t, str(annual.get("reported_to", "")))


def checklist_for(pack_id: str) -> Checklist:
    """The inspection checklist of a pack found by the registry (cached on the pack)."""
    return cached_on_pack(get_registry().get(pack_id), "inspection", build_checklist)
