"""Hypothesis state machine over accountability cases and leaders' pay (issue 13): random sequences of the
services' actions by random roles — refused ones and stale versions included — with every invariant of
docs/invariants.md (cases and pay) checked after every step.

Bounded for CI (SOEGOV_STATEFUL_EXAMPLES / SOEGOV_STATEFUL_STEPS raise it: `scripts/stateful`). Each example
runs in a savepoint rolled back at its end, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from soegov.accounts.roles import Role
from soegov.leaders import pay as leaders
from soegov.leaders.models import PayRecord
from soegov.oversight import cases as oversight
from soegov.oversight import workflow
from soegov.oversight.models import Case, CaseParty, Finding, LedgerImport, Sanction
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.invariants.checks import CASES_AND_PAY, broken
from tests.invariants.machine import ServiceMachine, run_machine
from tests.leaders.factories import doc, leader, reviewer

pytestmark = pytest.mark.django_db

NAMES = ["赵秀英", "钱立新", "王五"]          # two leaders with pay records to be set, one stranger
YEARS = [2025, 2026]
# Weighted towards what passes, so walks reach sanctions and deductions; the rest must be refused.
TIERS = ["accountability"] * 4 + ["disciplinary", "removal", "criminal", "no_such_tier"]
RATES = [None] * 8 + ["0.05", "0.1", "0.2", "0.21", "-1", "abc"]


def _world() -> dict[str, Any]:
    """What every example starts from: a Xundian enterprise, its staff, two leaders and three findings."""
    j = JurisdictionFactory(code="xd-sm", name="寻甸县", supervisor="寻甸县财政局(国资委)", policy_packs=["xundian-2020"])
    xd = EnterpriseFactory(jurisdiction=j, name="寻甸县状态机测试公司", ownership="sole")
    other = JurisdictionFactory(code="yn-sm", policy_packs=["yining-2024"])
    actors = {
        "inspector": UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=j),
        "reviewer": reviewer(j),
        "reviewer_without_permission": reviewer(j, entitled=False),
        "filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=xd),
        "other_inspector": UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=other),
    }
    people = {n: leader(xd, n) for n in NAMES[:2]}
    ledger = LedgerImport.objects.create(enterprise=xd, policy="xundian-2020", original_name="台账.csv", extension="csv",
                                         size=1, sha256="0" * 64)
    findings = [Finding.objects.create(ledger=ledger, enterprise=xd, code="split_payment", rows=[i, i + 1],
                                       message=f"疑似化整为零 {i}") for i in (1, 3, 5)]
    return {"xd": xd, "actors": actors, "leaders": people, "findings": findings, "decision": doc(xd)}


class CasesAndPay(ServiceMachine):
    """Cases opened from findings, parties, sanctions, steps; pay set and deducted — by anyone, in any order."""

    def _actor(self, data: st.DataObject) -> Any:
        # Mostly the right person, sometimes anyone: the wrong role must be refused, never obeyed.
        who = data.draw(st.sampled_from(["right"] * 12 + list(self.world["actors"])))
        return who

    def _pick_actor(self, data: st.DataObject, right: str) -> Any:
        who = self._actor(data)
        return self.world["actors"][right if who == "right" else who]

    def _version(self, data: st.DataObject, current: int) -> int | None:
        return data.draw(st.sampled_from([current] * 4 + [None, max(current - 1, 0)]))

    @initialize(with_pay=st.sampled_from([True, True, False]))
    def a_case_under_way(self, with_pay: bool) -> None:
        """Every walk starts from a case with a party, most with the party's pay of the year already set."""
        w = self.world
        if with_pay:
            leaders.pay_set(actor=w["actors"]["reviewer"], leader=w["leaders"][NAMES[0]], year=2026, base_pay="240000",
                            performance_pay="180000", tenure_incentive="60000", decision_number="寻财国资〔2026〕3号",
                            decision=w["decision"])
        case = oversight.case_open(actor=w["actors"]["inspector"], enterprise=w["xd"], title="化整为零", facts="三笔",
                                   violation="xd31_2", finding=w["findings"][0])
        party = oversight.party_add(actor=w["actors"]["inspector"], case=case, name=NAMES[0], position="总经理")
        if with_pay:
            oversight.sanction_add(actor=w["actors"]["inspector"], party=party, tier="accountability", year=2026)

    @rule(data=st.data())
    def open_case(self, data: st.DataObject) -> None:
        f = data.draw(st.sampled_from(self.world["findings"]))
        f.refresh_from_db()
        self._do("open_case", lambda: oversight.case_open(actor=self._pick_actor(data, "inspector"), enterprise=self.world["xd"],
                                             title="化整为零", facts=f.message, violation="xd31_2", finding=f))

    @rule(data=st.data())
    def add_party(self, data: st.DataObject) -> None:
        case = data.draw(st.sampled_from(list(Case.objects.all()) or [None]))
        if case is None:
            return
        name = data.draw(st.sampled_from(NAMES))
        self._do("add_party", lambda: oversight.party_add(actor=self._pick_actor(data, "inspector"), case=case,
                                             version=self._version(data, case.version), name=name, position="总经理",
                                             responsibility="direct"))

    @rule(data=st.data())
    def set_pay(self, data: st.DataObject) -> None:
        person = self.world["leaders"][data.draw(st.sampled_from(NAMES[:2]))]
        year = data.draw(st.sampled_from(YEARS))
        pay = data.draw(st.sampled_from(["150000", "180000", "200000", "-5", "1e400"]))
        self._do("set_pay", lambda: leaders.pay_set(actor=self._pick_actor(data, "reviewer"), leader=person, year=year,
                                         base_pay="240000", performance_pay=pay, tenure_incentive="60000",
                                         decision_number=f"寻财国资〔{year}〕3号", decision=self.world["decision"]))

    @rule(data=st.data())
    def add_sanction(self, data: st.DataObject) -> None:
        parties = list(CaseParty.objects.select_related("case").order_by("id"))
        party = data.draw(st.sampled_from(parties[:1] * 3 + parties or [None]))
        if party is None:
            return
        tier, rate = data.draw(st.sampled_from(TIERS)), data.draw(st.sampled_from(RATES))
        year = data.draw(st.sampled_from([2026, 2026, 2025]))
        self._do("add_sanction", lambda: oversight.sanction_add(actor=self._pick_actor(data, "inspector"), party=party, tier=tier,
                                                year=year, rate=rate, version=self._version(data, party.case.version)))

    @rule(data=st.data())
    def apply_deduction(self, data: st.DataObject) -> None:
        record = data.draw(st.sampled_from(list(PayRecord.objects.select_related("leader")) or [None]))
        sanction = data.draw(st.sampled_from(list(Sanction.objects.all()) or [None]))
        if record is None or sanction is None:
            return
        self._do("apply_deduction", lambda: leaders.sanction_apply(actor=self._pick_actor(data, "reviewer"), pay_record=record,
                                                sanction_id=sanction.pk))

    @rule(data=st.data())
    def case_step(self, data: st.DataObject) -> None:
        case = data.draw(st.sampled_from(list(Case.objects.all()) or [None]))
        if case is None:
            return
        action = data.draw(st.sampled_from(sorted(workflow.TRANSITIONS)))
        self._do("case_step", lambda: oversight.case_step(
            actor=self._pick_actor(data, "inspector"), case=case, action=action, version=self._version(data, case.version),
            note=data.draw(st.sampled_from(["", "经复查维持原处理"])), referral=data.draw(st.sampled_from(["discipline", "police"])),
            decision=data.draw(st.sampled_from(["", "给予问责处理"]))))

    @invariant()
    def every_invariant_holds(self) -> None:
        assert broken(CASES_AND_PAY) == []


def test_cases_and_pay_keep_every_invariant() -> None:
    CasesAndPay.world = _world()
    run_machine(CasesAndPay, reached=("open_case", "add_party", "set_pay", "case_step", "open_case refused",
                        "add_sanction refused", "case_step refused", "set_pay refused"))
