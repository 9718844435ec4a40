"""Accountability sanctions deducted from the right year's pay (xundian art. 32), once only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from soegov.core.errors import InputError
from soegov.leaders import contracts, selectors
from soegov.leaders import pay as leaders_pay
from tests.leaders.factories import doc, leader, reviewer, sanction, tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay() -> dict:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    records = {y: leaders_pay.pay_set(actor=rev, leader=gm, year=y, base_pay="300000", performance_pay=perf,
                                      tenure_incentive="100000", decision_number=f"伊国资发〔{y}〕8号", decision=doc(t["l2"]))
               for y, perf in ((2024, "180000"), (2025, "200000"))}
    return {**t, "rev": rev, "gm": gm, "records": records}


@pytest.mark.parametrize(("tier", "rate", "perf_cut", "tenure_cut"), [
    ("accountability", "0.10", "20000.00", "0.00"),      # 问责处理：10% 以内
    ("accountability", "0.05", "10000.00", "0.00"),
    ("disciplinary", "0.20", "40000.00", "0.00"),        # 警告至降职：20% 以内
    ("criminal", "1", "200000.00", "100000.00"),         # 追究刑事责任：全部绩效年薪和任期激励
])
def test_right_share_of_the_right_year(pay: dict, tier: str, rate: str, perf_cut: str, tenure_cut: str) -> None:
    s = sanction(pay["l2"], "张三", 2025, tier=tier, rate=rate)
    d = leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s.pk)
    assert (d.performance_deduction, d.tenure_deduction) == (Decimal(perf_cut), Decimal(tenure_cut))
    assert d.citation["document"] == "xundian-2020" and d.citation["article"] == 32
    assert d.case_id == s.case_party.case_id
    rows = {r["year"]: r for r in selectors.pay_of(user=pay["rev"], leader=pay["gm"])}
    assert rows[2025]["performance_net"] == Decimal("200000.00") - Decimal(perf_cut)
    assert rows[2024]["performance_net"] == Decimal("180000.00")  # the other year is untouched


def test_rate_above_cap_refused(pay: dict) -> None:
    s = sanction(pay["l2"], "张三", 2025, tier="accountability", rate="0.11")
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s.pk)
    assert exc.value.code == "rate_above_cap"


def test_once_only_and_wrong_year_and_person(pay: dict) -> None:
    s = sanction(pay["l2"], "张三", 2025)
    leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s.pk)
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s.pk)
    assert exc.value.message == "该问责处理已经扣减过，同一处理只扣减一次"
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2024], sanction_id=s.pk)
    assert exc.value.code in ("other_year", "already_applied")
    s2024 = sanction(pay["l2"], "张三", 2024)
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s2024.pk)
    assert exc.value.code == "other_year"
    other = sanction(pay["l2"], "李四", 2025)
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=other.pk)
    assert exc.value.code == "other_person"
    exempt = sanction(pay["l2"], "张三", 2025, exempt=True)
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=exempt.pk)
    assert exc.value.code == "exempt"


def test_pay_with_deductions_cannot_be_rebased(pay: dict) -> None:
    s = sanction(pay["l2"], "张三", 2025)
    leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=s.pk)
    with pytest.raises(Exception) as exc:
        leaders_pay.pay_set(actor=pay["rev"], leader=pay["gm"], year=2025, base_pay="1", performance_pay="1",
                            tenure_incentive="0", decision_number="x", decision=doc(pay["l2"]))
    assert "已登记问责扣减" in str(exc.value)


def test_compliance_beside_the_score(pay: dict) -> None:
    from django.test import Client

    from tests.leaders.factories import TARGETS

    s = sanction(pay["l2"], "张三", 2025)
    sanction(pay["l2"], "李四", 2025)  # another person's case is not his
    c = contracts.contract_sign(actor=pay["rev"], leader=pay["gm"], kind="annual", year=2025, targets=TARGETS,
                                signed_on="2025-01-10")
    client = Client()
    client.force_login(pay["rev"])
    page = client.get(f"/leaders/{pay['gm'].pk}/").content.decode()
    assert "（截至目前）" in page and s.case_party.case.title in page
    c = contracts.contract_score(actor=pay["rev"], contract=c, results=["1000", "5000", "60"], scored_on="2026-01-10")
    assert c.compliance["oversight"]["counts"]["sanctions"] == 1
    assert c.compliance["oversight"]["sanctions"][0]["name"] == "张三"
    assert c.compliance["overdue_matters"] == [] and c.compliance["decision_violations"] == []
    page = client.get(f"/leaders/{pay['gm'].pk}/").content.decode()
    assert "处理 1 项" in page and "张三" in page


def test_a_yining_case_never_borrows_xundian_deductions(pay: dict) -> None:
    """yining art. 30 sets no pay deduction: a Yining case with a Xundian tier code is refused, its own measure deducts nothing."""
    borrowed = sanction(pay["l2"], "张三", 2025, tier="accountability", policy="yining-2024")
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=borrowed.pk)
    assert exc.value.code == "unknown_tier"
    own = sanction(pay["l2"], "张三", 2025, tier="circulated_criticism", rate="0", policy="yining-2024")
    with pytest.raises(InputError) as exc:
        leaders_pay.sanction_apply(actor=pay["rev"], pay_record=pay["records"][2025], sanction_id=own.pk)
    assert exc.value.code == "no_deduction"
