"""Yining art. 23 as a workflow: the annual plans and budget, and every change of the year's plan, are reported."""

from __future__ import annotations

from typing import Any

from soegov.matters import facts, lifecycle
from tests.matters.conftest import attach_all, decide, make_matter


def test_the_annual_plan_travels_as_a_report_and_is_filed(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise, ("annual_business_plan", None, {}))
    assert (m.route, m.authority) == ("report", "sasac")
    m = attach_all(filer, decide(filer, m))
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="file")
    assert m.status == "filed" and m.answer_number


def test_a_change_of_the_plan_is_reported_and_a_change_at_will_is_prohibited(filer: Any, enterprise: Any) -> None:
    forced = make_matter(filer, enterprise, ("business_plan_change", None, {"force_majeure": True}))
    kinds = {(o["kind"], o["citation"]["article"]) for o in facts.latest_verdict(forced).result["obligations"]}
    assert forced.route == "approval" and ("report", 23) in kinds and ("approval", 16) in kinds
    at_will = make_matter(filer, enterprise, ("business_plan_change", None, {"force_majeure": False}))
    assert at_will.route == "prohibited"
