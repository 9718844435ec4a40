"""Yining art. 30: removed or dismissed for a breach, no further pay in the post; the consequences reach the pay page."""

from __future__ import annotations

import pytest
from django.test import Client

from soegov.core.errors import InputError
from soegov.leaders import pay
from tests.leaders.factories import doc, leader, reviewer, sanction, tree

pytestmark = pytest.mark.django_db


def _pay(rev, gm, year: int):  # type: ignore[no-untyped-def]
    return pay.pay_set(actor=rev, leader=gm, year=year, base_pay="300000", performance_pay="180000",
                       tenure_incentive="0", decision_number=f"伊国资发〔{year}〕8号", decision=doc(gm.enterprise))


@pytest.mark.parametrize("tier", ["removal", "dismissal"])
def test_no_pay_in_the_post_after_removal_or_dismissal(tier: str) -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    sanction(t["l2"], "张三", 2025, tier=tier, rate="0", policy="yining-2024")
    assert _pay(rev, gm, 2025).year == 2025          # the year of the measure: paid up to that day
    with pytest.raises(InputError) as exc:
        _pay(rev, gm, 2026)
    assert exc.value.code == "pay_stopped" and exc.value.path == "year"
    assert "不再享受原职务工资和相关待遇" in exc.value.message and "第30条" in exc.value.message


def test_a_lighter_measure_or_another_person_does_not_stop_pay() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    sanction(t["l2"], "张三", 2025, tier="transfer", rate="0", policy="yining-2024")      # 调离: no such consequence
    sanction(t["l2"], "李四", 2025, tier="removal", rate="0", policy="yining-2024")       # someone else removed
    sanction(t["l2"], "张三", 2025, tier="removal", rate="0", policy="xundian-2020")      # Xundian's 撤职: art. 32 deducts instead
    assert _pay(rev, gm, 2026).year == 2026


def test_the_leader_page_states_the_consequences() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    _pay(rev, gm, 2025)
    sanction(t["l2"], "张三", 2025, tier="removal", rate="0", policy="yining-2024")
    c = Client()
    c.force_login(rev)
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert "自免职或解聘之日起不再享受原职务工资和相关待遇" in page and "依法追缴" in page and "承担赔偿责任" in page
