"""Hypothesis state machine over reporting (matters): two approvals (one for the supervisor, one for the city)
driven through review by random roles — refused actions and stale versions included — with the reporting
invariants of docs/invariants.md checked after every step. Bounded and derandomized in CI like the cases
machine; `scripts/stateful` walks longer random runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from soegov.accounts.roles import Role
from soegov.matters import lifecycle, workflow
from soegov.matters.models import Matter
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.invariants.checks import MATTERS, broken
from tests.invariants.machine import ServiceMachine, run_machine
from tests.matters.conftest import APPROVAL_CITY, APPROVAL_SASAC, SH, attach_all, submitted

pytestmark = pytest.mark.django_db


class Reporting(ServiceMachine):
    """Review, committee, forward, answer, return, resubmit, implement — by anyone, in any order."""

    def _pick(self, data: st.DataObject, right: str) -> Any:
        who = data.draw(st.sampled_from(["right"] * 10 + list(self.world["actors"])))
        return self.world["actors"][right if who == "right" else who]

    def _matter(self, data: st.DataObject) -> tuple[Matter, int | None]:
        m = data.draw(st.sampled_from(self.world["matters"]))
        m = Matter.objects.get(pk=m.pk)
        return m, data.draw(st.sampled_from([m.version] * 4 + [None, m.version - 1]))

    # One rule, actions weighted towards the review, so walks reach the committee, the city and implementation.
    @rule(data=st.data(), action=st.sampled_from(
        ["start_review"] * 3 + ["record_committee"] * 3 + ["forward"] * 2 + ["approve"] * 2
        + ["reject", "return", "city_yes", "city_no", "resubmit", "implement"]))
    def act(self, data: st.DataObject, action: str) -> None:
        m, v = self._matter(data)
        side = "filer" if action in ("resubmit", "implement") else "reviewer"
        actor = self._pick(data, side)
        filer = self.world["actors"]["filer"]
        calls = {
            "start_review": lambda: lifecycle.matter_start_review(actor=actor, matter=m, version=v),
            "record_committee": lambda: lifecycle.matter_record_committee(
                actor=actor, matter=m, version=v, passed_at=dt.datetime(2026, 3, 9, 15, 0, tzinfo=SH)),
            "forward": lambda: lifecycle.matter_forward(actor=actor, matter=m, version=v),
            "approve": lambda: lifecycle.matter_decide(actor=actor, matter=m, version=v, outcome="approve"),
            "reject": lambda: lifecycle.matter_decide(actor=actor, matter=m, version=v, outcome="reject", comment="不符合规定"),
            "return": lambda: lifecycle.matter_return(actor=actor, matter=m, version=v, missing=[], comment="请补正材料"),
            "city_yes": lambda: lifecycle.matter_record_city_answer(actor=actor, matter=m, version=v, approved=True),
            "city_no": lambda: lifecycle.matter_record_city_answer(actor=actor, matter=m, version=v, approved=False),
            "resubmit": lambda: lifecycle.matter_submit(actor=actor, matter=attach_all(actor, m) if actor is filer else m,
                                                        version=v),
            "implement": lambda: lifecycle.matter_implement(actor=actor, matter=m, version=v,
                                                            implemented_on=dt.date(2026, 4, 1)),
        }
        self._do(action, calls[action])

    @invariant()
    def every_invariant_holds(self) -> None:
        assert broken(MATTERS) == []


def test_reporting_keeps_every_invariant() -> None:
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn-sm", policy_packs=["yining-2024"]), ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    actors = {"filer": filer, "reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction),
              "other_filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()),
              "inspector": UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction)}
    Reporting.world = {"actors": actors, "matters": [submitted(filer, ent, APPROVAL_SASAC), submitted(filer, ent, APPROVAL_CITY)]}
    assert {m.route for m in Reporting.world["matters"]} == {"approval"}
    run_machine(Reporting, reached=("start_review", "record_committee", "forward refused", "approve refused"))
    assert set(workflow.TRANSITIONS) >= {"forward", "decide"}
