"""Performance contracts (yining art. 9), pay (art. 10), and who may see them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.leaders import contracts, grading, ledger, pay, selectors
from tests.factories import JurisdictionFactory, UserFactory
from tests.leaders.factories import TARGETS, doc, leader, reviewer, tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> dict:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    return {**t, "rev": rev, "gm": gm}


def test_weights_must_total_100(setup: dict) -> None:
    bad = [{**TARGETS[0], "weight": "50"}, {**TARGETS[1], "weight": "30"}, {**TARGETS[2], "weight": "19.5"}]
    with pytest.raises(InputError) as exc:
        contracts.contract_sign(actor=setup["rev"], leader=setup["gm"], kind="annual", year=2025, targets=bad,
                                signed_on="2025-01-15")
    assert exc.value.message == "考核指标的权重合计应为 100，现为 99.5"
    assert exc.value.path == "targets"
    c = contracts.contract_sign(actor=setup["rev"], leader=setup["gm"], kind="annual", year=2025, targets=TARGETS,
                                signed_on="2025-01-15")
    assert c.status == "signed"


@pytest.mark.parametrize(("score", "grade"), [
    ("105", "A"), ("104.99", "B"), ("95", "B"), ("94.99", "C"), ("85", "C"), ("84.99", "D"), ("70", "D"), ("69.99", "E"),
])
def test_grading_bands_both_sides(score: str, grade: str) -> None:
    assert grading.grade_of(Decimal(score))[0] == grade


def test_score_at_year_end(setup: dict) -> None:
    c = contracts.contract_sign(actor=setup["rev"], leader=setup["gm"], kind="annual", year=2025, targets=TARGETS,
                                signed_on="2025-01-15")
    # profit 1100/1000 = 1.1 -> 55; revenue 4000/5000 = 0.8 -> 24; debt ratio 60/50 = 1.2 (cap) -> 24: 103.
    c = contracts.contract_score(actor=setup["rev"], contract=c, results=["1100", "4000", "50"], scored_on="2026-01-20",
                                 reward="兑现绩效年薪", appointment_consequence="继续留任", version=c.version)
    assert (c.score, c.grade, c.grade_label) == (Decimal("103.00"), "B", "良好")
    assert [t["points"] for t in c.targets] == ["55.00", "24.00", "24.00"]
    entry = AuditEntry.objects.filter(action="leaders.contract_score").latest("id")
    assert "103" not in str(entry.after)  # the audit carries a digest, never the figures


def test_pay_and_entitlement(setup: dict) -> None:
    t, rev, gm = setup, setup["rev"], setup["gm"]
    record = pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200,000",
                         tenure_incentive="100000", decision_number="伊国资发〔2025〕8号", decision=doc(t["l2"]))
    assert record.performance_pay == Decimal("200000.00")
    assert "200000" not in str(AuditEntry.objects.filter(action="leaders.pay_set").latest("id").after)
    rows = selectors.pay_of(user=rev, leader=gm)
    assert rows[0]["total_net"] == Decimal("600000.00")
    assert AuditEntry.objects.filter(action="leaders.personal_read.pay", actor=rev).exists()

    unentitled = reviewer(t["j"], entitled=False)
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=t["j"])
    other_enterprise = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=t["l1"])  # the parent group, not him
    other_j = reviewer(JurisdictionFactory())
    for user in (unentitled, inspector, other_enterprise, other_j):
        with pytest.raises(PermissionDenied):
            selectors.pay_of(user=user, leader=gm)
        assert AuditEntry.objects.filter(action="access.denied", actor=user, object_id=str(gm.pk)).exists()
    with pytest.raises(PermissionDenied):
        pay.pay_set(actor=unentitled, leader=gm, year=2025, base_pay="1", performance_pay="1", tenure_incentive="0",
                    decision_number="x", decision=doc(t["l2"]))

    # The person concerned sees his own pay.
    me = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=t["l2"])
    gm.user = me
    gm.save()
    assert selectors.pay_of(user=me, leader=gm)[0]["year"] == 2025


def test_ledger_export_masks_for_the_unentitled(setup: dict) -> None:
    t, rev, gm = setup, setup["rev"], setup["gm"]
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200000",
                tenure_incentive="0", decision_number="伊国资发〔2025〕8号", decision=doc(t["l2"]))

    def rows(user: object) -> list[tuple]:
        wb = load_workbook(io.BytesIO(ledger.pay_ledger_xlsx(user=user, year=2025)))
        return [tuple(r) for r in wb.active.iter_rows(values_only=True)]

    clear = rows(rev)
    assert clear[1][:6] == (2025, "伊宁市测试二级公司", "张三", "总经理", 300000, 200000)
    masked = rows(reviewer(t["j"], entitled=False))
    assert masked[1][:4] == (2025, "伊宁市测试二级公司", "张三", "总经理")
    assert set(masked[1][4:10]) == {"***"}
    assert "已屏蔽" in masked[-1][0]
    entry = AuditEntry.objects.filter(action="leaders.pay_ledger_export").latest("id")
    assert entry.after == {"clear_rows": 0, "masked_rows": 1}


@pytest.mark.parametrize("weight, message", [
    ("abc", "第 1 项指标“利润总额”的权重和目标值应为数字"),
    ("0", "第 1 项指标“利润总额”的权重应大于 0"),
])
def test_target_errors_name_the_weight_in_chinese_only(setup: dict, weight: str, message: str) -> None:
    bad = [{**TARGETS[0], "weight": weight}, *TARGETS[1:]]
    with pytest.raises(InputError) as exc:
        contracts.contract_sign(actor=setup["rev"], leader=setup["gm"], kind="annual", year=2025, targets=bad,
                                signed_on="2025-01-15")
    assert exc.value.message == message
