"""The invariants the database itself enforces (docs/invariants.md): a write that bypasses the services and
breaks one is refused by SQLite and PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from soegov.collector.models import OutboxPackage, OutboxState
from soegov.leaders.models import PayDeduction, PerformanceContract
from soegov.oversight.models import Case, CaseParty, Sanction
from tests.factories import EnterpriseFactory, JurisdictionFactory
from tests.leaders.factories import TARGETS, leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def xd() -> Any:
    return EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd-c", policy_packs=["xundian-2020"]))


def _refused(make: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def _case(xd: Any, **kw: Any) -> Case:
    return Case.objects.create(enterprise=xd, policy="xundian-2020", title="t", facts="f", violation="xd31_2", **kw)


def test_a_case_past_its_decision_has_its_times(xd: Any) -> None:
    now = timezone.now()
    _refused(lambda: _case(xd, status="decided"))
    _refused(lambda: _case(xd, status="closed", decided_at=now))
    _refused(lambda: _case(xd, status="open", closed_at=now))
    assert _case(xd, status="closed", decided_at=now, closed_at=now).pk


def test_a_deduction_is_a_share_of_the_pay_it_is_taken_from(xd: Any) -> None:
    case = _case(xd)
    party = CaseParty.objects.create(case=case, name="赵秀英", enterprise=xd)

    def sanction(**kw: Any) -> Sanction:
        base = {"case_party": party, "tier": "accountability", "tier_label": "问责处理", "year": 2026,
                "rate": Decimal("0.1"), "performance_pay": Decimal("180000"), "performance_pay_deduction": Decimal("18000")}
        return Sanction.objects.create(**(base | kw))

    _refused(lambda: sanction(rate=Decimal("1.01")))
    _refused(lambda: sanction(rate=Decimal("-0.01")))
    _refused(lambda: sanction(performance_pay_deduction=Decimal("180000.01")))
    _refused(lambda: sanction(performance_pay_deduction=Decimal("-1")))
    _refused(lambda: sanction(tenure_incentive_deduction=Decimal("1")))  # no tenure incentive to take it from
    assert sanction().pk and sanction(rate=Decimal("1"), performance_pay_deduction=Decimal("180000")).pk


def test_a_payroll_deduction_is_a_share(xd: Any) -> None:
    from soegov.leaders import pay
    from tests.leaders.factories import doc

    record = pay.pay_set(actor=None, leader=leader(xd), year=2026, base_pay="1", performance_pay="100",
                         tenure_incentive="0", decision_number="x", decision=doc(xd))

    def deduction(sid: int, **kw: Any) -> PayDeduction:
        base = {"pay_record": record, "sanction_id": sid, "case_label": "c", "tier": "问责处理", "rate": Decimal("0.1"),
                "performance_deduction": Decimal("10"), "tenure_deduction": Decimal("0")}
        return PayDeduction.objects.create(**(base | kw))

    _refused(lambda: deduction(1, rate=Decimal("1.5")))
    _refused(lambda: deduction(2, performance_deduction=Decimal("-10")))
    assert deduction(3).pk


def test_a_contract_period_and_its_score(xd: Any) -> None:
    person = leader(xd)

    def contract(**kw: Any) -> PerformanceContract:
        base = {"leader": person, "kind": "tenure", "year": 2024, "end_year": 2026, "targets": TARGETS,
                "signed_on": "2024-01-10"}
        return PerformanceContract.objects.create(**(base | kw))

    _refused(lambda: contract(end_year=2023))
    _refused(lambda: contract(status="scored"))
    _refused(lambda: contract(status="scored", score=Decimal("90"), scored_on="2023-12-31"))
    assert contract(status="scored", score=Decimal("90"), scored_on="2026-12-01").pk


def test_an_outbox_package_is_received_or_returned_only_with_its_receipt(xd: Any) -> None:
    def package(state: str, **kw: Any) -> OutboxPackage:
        return OutboxPackage.objects.create(enterprise=xd, file_name=f"{xd.uscc}_0005_1000_20261120.zip",
                                            sha256="0" * 64, size=1, source="制度", state=state, **kw)

    receipt, now = {"status": "accepted", "message": "全部接收"}, timezone.now()
    for state in (OutboxState.ACCEPTED, OutboxState.PARTIAL, OutboxState.REJECTED):
        _refused(lambda state=state: package(state))
        _refused(lambda state=state: package(state, finished_at=now))
        _refused(lambda state=state: package(state, receipt=receipt))
        assert package(state, receipt=receipt, finished_at=now).pk
    sent = package(OutboxState.SENDING)
    _refused(lambda: OutboxPackage.objects.filter(pk=sent.pk).update(state=OutboxState.ACCEPTED))
    for state in (OutboxState.PENDING, OutboxState.RETRYING):
        assert package(state).pk
