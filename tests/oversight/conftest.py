"""Shared fixtures of the oversight tests: a Xundian enterprise with a board, its inspector, a Yining one."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.enterprises import services as ent_services
from tests.factories import BodyFactory, EnterpriseFactory, JurisdictionFactory, UserFactory

HEADER = "date,payee,amount,purpose,expense_class,contract_id\n"
# Three payments under 3万 to one payee within 20 days: 84,500 元 together (xundian art. 21 item 2).
SPLIT_ROWS = [
    "2026-03-02,甲装饰公司,28000,other,non_production,",
    "2026-03-09,甲装饰公司,27500,other,non_production,",
    "2026-03-21,甲装饰公司,29000,other,non_production,",
    "2026-03-05,乙供电局,12800,other,non_production,",
]


def ledger_bytes(rows: list[str] | None = None) -> bytes:
    """A small ledger CSV (the split payment by default)."""
    return (HEADER + "".join(r + "\n" for r in (SPLIT_ROWS if rows is None else rows))).encode("utf-8")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def xd(db: Any) -> Any:
    return EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd", name="寻甸县", supervisor="寻甸县财政局(国资委)",
                                                              policy_packs=["xundian-2020"]),
                             name="寻甸县城乡建设投资开发有限公司", ownership="sole")


@pytest.fixture
def yn(db: Any) -> Any:
    return EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]),
                             name="伊宁市城市建设投资集团有限公司", ownership="sole")


@pytest.fixture
def inspector(xd: Any) -> Any:
    return UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=xd.jurisdiction, full_name="钱立新")


@pytest.fixture
def yn_inspector(yn: Any) -> Any:
    return UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=yn.jurisdiction, full_name="吴红梅")


@pytest.fixture
def xd_filer(xd: Any) -> Any:
    return UserFactory(role=Role.ENTERPRISE_FILER, enterprise=xd, full_name="杨春华")


@pytest.fixture
def yn_filer(yn: Any) -> Any:
    return UserFactory(role=Role.ENTERPRISE_FILER, enterprise=yn, full_name="马晓东")


@pytest.fixture
def board(xd: Any) -> Any:
    body = BodyFactory(enterprise=xd, kind="board")
    for name, role, principal in (("张董事长", "chair", True), ("李董事", "member", False), ("王董事", "member", False)):
        ent_services.member_add(actor=None, body=body, name=name, role=role, is_principal=principal, voting=True)
    return body


def pay_record(enterprise: Any, name: str, year: int, performance_pay: str, tenure_incentive: str = "0") -> Any:
    """A leader of the enterprise and his pay record of the year, set by an entitled reviewer (issue 13.4: a
    case's deduction is computed from it)."""
    from soegov.leaders import pay
    from tests.leaders.factories import doc, leader, reviewer

    return pay.pay_set(actor=reviewer(enterprise.jurisdiction), leader=leader(enterprise, name), year=year,
                       base_pay="200000", performance_pay=performance_pay, tenure_incentive=tenure_incentive,
                       decision_number=f"薪酬决定〔{year}〕1号", decision=doc(enterprise))
