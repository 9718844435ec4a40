"""Score and grade a performance contract from its targets and results, with the bands kept in grades.yaml."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from soegov.core.errors import InputError

GRADES_FILE = Path(__file__).resolve().parent / "grades.yaml"
HUNDRED = Decimal(100)


@cache
def grading_rules() -> dict[str, Any]:
    """The bands (highest first) and the achievement cap."""
    import yaml

    doc = yaml.safe_load(GRADES_FILE.read_text(encoding="utf-8"))
    bands: list[dict[str, Any]] = sorted(
        ({"grade": str(b["grade"]), "label": str(b["label"]), "min": Decimal(str(b["min"]))} for b in doc["bands"]),
        key=lambda b: Decimal(b["min"]), reverse=True)
    return {"bands": bands, "cap": Decimal(str(doc["cap"])), "cite": doc.get("cite") or {}}


def grade_of(score: Decimal) -> tuple[str, str]:
    """(grade, label) of a score."""
    for band in grading_rules()["bands"]:
        if score >= band["min"]:
            return band["grade"], band["label"]
    last = grading_rules()["bands"][-1]
    return last["grade"], last["label"]


def check_weights(targets: list[dict[str, Any]]) -> None:
    """Refuse targets whose weights do not total exactly 100."""
    total = sum((Decimal(str(t["weight"])) for t in targets), Decimal(0))
    if total != HUNDRED:
        raise InputError("weights_total", f"考核指标的权重合计应为 100，现为 {total.normalize():f}", "targets",
                         f"the weights of targets must total 100, not {total}")


def achievement(target: Decimal, result: Decimal, direction: str) -> Decimal:
    """How far a result met its target, as a fraction capped by the rules (lower-is-better targets invert)."""
    cap = grading_rules()["cap"]
    if direction == "lower":
        ratio = cap if result <= 0 else target / result
    else:
        ratio = cap if target <= 0 and result >= target else (result / target if target > 0 else Decimal(0))
    return max(Decimal(0), min(cap, ratio))


def score(targets: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Decimal]:
    """Each target with its achievement and points, and the total score (2 decimals)."""
    out = []
    total = Decimal(0)
    for t in targets:
        a = achievement(Decimal(str(t["target"])), Decimal(str(t["result"])), str(t.get("direction") or "higher"))
        points = (Decimal(str(t["weight"])) * a).quantize(Decimal("0.01"), ROUND_HALF_UP)
        total += points
        out.append({**t, "achievement": str(a.quantize(Decimal("0.0001"), ROUND_HALF_UP)), "points": str(points)})
    return out, total.quantize(Decimal("0.01"), ROUND_HALF_UP)
