"""Issue 13.4: one figure, one source. A sanction's deduction is its rate times the leader's pay record of the
sanction's year (nothing typed into the case can disagree), the payroll deducts exactly what the case says,
and a pay record a case relies on cannot be changed underneath it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from soegov.core.errors import InputError, SoegovError
from soegov.leaders import pay
from soegov.leaders.models import PayDeduction
from soegov.oversight import cases, ledgers
from tests.leaders.factories import doc, leader, reviewer
from tests.oversight.conftest import ledger_bytes


@pytest.fixture
def gm(xd: Any) -> dict[str, Any]:
    rev = reviewer(xd.jurisdiction)
    person = leader(xd, "赵秀英")
    record = pay.pay_set(actor=rev, leader=person, year=2026, base_pay="240000", performance_pay="180000",
                         tenure_incentive="0", decision_number="寻财国资〔2026〕3号", decision=doc(xd))
    return {"rev": rev, "leader": person, "record": record}


def _party(inspector: Any, xd: Any, name: str = "赵秀英") -> Any:
    ledger = ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=ledger_bytes(), inline=True)
    f = ledger.findings.get()
    case = cases.case_open(actor=inspector, enterprise=xd, title="化整为零", facts=f.message, violation="xd31_2",
                           finding=f)
    return cases.party_add(actor=inspector, case=case, name=name, position="总经理", responsibility="direct")


def test_the_deduction_is_the_rate_times_the_pay_record_of_its_year(inspector: Any, xd: Any, gm: dict[str, Any]) -> None:
    party = _party(inspector, xd)
    s = cases.sanction_add(actor=inspector, party=party, tier="accountability", year=2026, rate="0.1")
    assert s.pay_record == gm["record"]
    assert (s.performance_pay, s.performance_pay_deduction) == (Decimal("180000.00"), Decimal("18000.00"))


def test_the_payroll_deducts_what_the_case_says(inspector: Any, xd: Any, gm: dict[str, Any]) -> None:
    s = cases.sanction_add(actor=inspector, party=_party(inspector, xd), tier="accountability", year=2026, rate="0.1")
    d = pay.sanction_apply(actor=gm["rev"], pay_record=gm["record"], sanction_id=s.pk)
    assert (d.performance_deduction, d.tenure_deduction) == (s.performance_pay_deduction, s.tenure_incentive_deduction)
    assert PayDeduction.objects.get(sanction_id=s.pk).pay_record == s.pay_record


def test_no_pay_record_of_the_year_no_deduction(inspector: Any, xd: Any, gm: dict[str, Any]) -> None:
    party = _party(inspector, xd)
    with pytest.raises(InputError) as exc:
        cases.sanction_add(actor=inspector, party=party, tier="accountability", year=2025, rate="0.1")
    assert exc.value.code == "no_pay_record" and exc.value.path == "year" and "2025" in exc.value.message
    stranger = cases.party_add(actor=inspector, case=party.case, name="王五", responsibility="direct")
    with pytest.raises(InputError) as exc:
        cases.sanction_add(actor=inspector, party=stranger, tier="accountability", year=2026, rate="0.1")
    assert exc.value.code == "no_pay_record"
    assert not party.sanctions.exists() and not stranger.sanctions.exists()


def test_a_pay_record_a_case_relies_on_cannot_be_changed(inspector: Any, xd: Any, gm: dict[str, Any]) -> None:
    cases.sanction_add(actor=inspector, party=_party(inspector, xd), tier="accountability", year=2026, rate="0.1")
    with pytest.raises(SoegovError) as exc:
        pay.pay_set(actor=gm["rev"], leader=gm["leader"], year=2026, base_pay="240000", performance_pay="150000",
                    tenure_incentive="0", decision_number="寻财国资〔2026〕4号", decision=doc(xd))
    assert exc.value.code == "has_sanctions"
    gm["record"].refresh_from_db()
    assert gm["record"].performance_pay == Decimal("180000.00")


def test_the_case_page_asks_for_no_pay_figure(client: Any, inspector: Any, xd: Any, gm: dict[str, Any]) -> None:
    party = _party(inspector, xd)
    client.force_login(inspector)
    page = client.get(f"/oversight/cases/{party.case_id}/").content.decode()
    assert 'name="performance_pay"' not in page and 'name="tenure_incentive"' not in page
    r = client.post(f"/oversight/cases/{party.case_id}/act/add_sanction/",
                    {"party": party.pk, "tier": "accountability", "year": "2026", "rate": "0.1",
                     "version": party.case.version, "performance_pay": "150000"})
    assert r.status_code == 302
    s = party.sanctions.get()
    assert s.performance_pay_deduction == Decimal("18000.00")
    page = client.get(f"/oversight/cases/{party.case_id}/").content.decode()
    assert "18000.00" in page and "150000" not in page


def test_a_typed_figure_recorded_before_that_disagrees_is_never_deducted(xd: Any, gm: dict[str, Any]) -> None:
    """A sanction recorded with a typed 150,000 (before 13.4) is refused by the payroll, not silently taken as 18,000."""
    from soegov.oversight.models import Case, CaseParty, Sanction

    case = Case.objects.create(enterprise=xd, policy="xundian-2020", title="旧案", facts="x", violation="xd31_2")
    party = CaseParty.objects.create(case=case, name="赵秀英", enterprise=xd)
    old = Sanction.objects.create(case_party=party, tier="accountability", tier_label="问责处理", year=2026,
                                  rate=Decimal("0.1"), performance_pay=Decimal("150000"),
                                  performance_pay_deduction=Decimal("15000"))
    with pytest.raises(InputError) as exc:
        pay.sanction_apply(actor=gm["rev"], pay_record=gm["record"], sanction_id=old.pk)
    assert exc.value.code == "case_disagrees" and "15000" in exc.value.message and "18000" in exc.value.message
    assert not PayDeduction.objects.exists()
