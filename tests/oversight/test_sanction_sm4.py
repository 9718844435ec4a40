"""A sanction's copy of the pay and its deductions are personal data, sealed with SM4 like the pay record (issue
14): the table holds no amount in clear, the migration seals the rows already there, and a deduction outside
its pay is still refused although the database can no longer compare the amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import FieldError
from django.db import IntegrityError, connection, transaction

from soegov.oversight.models import Case, CaseParty, Sanction
from tests.factories import EnterpriseFactory, JurisdictionFactory
from tests.migration_chain import chain_executor

pytestmark = pytest.mark.django_db

AMOUNTS = ("performance_pay", "tenure_incentive", "performance_pay_deduction", "tenure_incentive_deduction")


@pytest.fixture
def sanction() -> Sanction:
    xd = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd-s", policy_packs=["xundian-2020"]))
    case = Case.objects.create(enterprise=xd, policy="xundian-2020", title="t", facts="f", violation="xd31_2")
    party = CaseParty.objects.create(case=case, name="赵秀英", enterprise=xd)
    return Sanction.objects.create(case_party=party, tier="accountability", tier_label="问责处理", year=2026,
                                   rate=Decimal("0.1"), performance_pay=Decimal("183456.78"),
                                   tenure_incentive=Decimal("54321.09"), performance_pay_deduction=Decimal("18345.68"),
                                   tenure_incentive_deduction=Decimal("5432.11"))


def _raw(pk: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(AMOUNTS)} FROM oversight_sanction WHERE id = %s", [pk])
        return dict(zip(AMOUNTS, (str(v) for v in cursor.fetchone()), strict=True))


def test_the_table_holds_no_amount_and_the_model_reads_them(sanction: Sanction) -> None:
    raw = _raw(sanction.pk)
    assert all(v.startswith("sm4gcm:1:") for v in raw.values()), raw
    assert not any(n in " ".join(raw.values()) for n in ("183456", "54321", "18345", "5432"))
    again = Sanction.objects.get(pk=sanction.pk)
    assert (again.performance_pay, again.tenure_incentive, again.total_deduction) == (
        Decimal("183456.78"), Decimal("54321.09"), Decimal("23777.79"))
    with pytest.raises(FieldError, match="加密存储"):
        list(Sanction.objects.filter(performance_pay_deduction__gt=0))


@pytest.mark.parametrize(("field", "value"), [("performance_pay_deduction", "183456.79"),
                                              ("performance_pay_deduction", "-0.01"),
                                              ("tenure_incentive_deduction", "54321.10")])
def test_a_deduction_outside_its_pay_is_still_refused(sanction: Sanction, field: str, value: str) -> None:
    setattr(sanction, field, Decimal(value))
    with pytest.raises(IntegrityError, match="sanction_deduction_within_pay"), transaction.atomic():
        sanction.save()
    assert getattr(Sanction.objects.get(pk=sanction.pk), field) != Decimal(value)


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_rows_and_unseals_on_the_way_back(sanction: Sanction) -> None:
    pk = sanction.pk
    executor = chain_executor(connection)
    executor.migrate([("oversight", "0008_search_indexes")])
    assert Decimal(_raw(pk)["tenure_incentive"]) == Decimal("54321.09")  # back to a plain number
    executor = chain_executor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert all(v.startswith("sm4gcm:1:") for v in _raw(pk).values())
    assert Sanction.objects.get(pk=pk).performance_pay_deduction == Decimal("18345.68")


def test_the_audit_trail_names_the_sealed_fields_but_not_the_amounts(sanction: Sanction) -> None:
    from soegov.audit.services import snapshot

    data = snapshot(sanction)
    assert {data[f] for f in AMOUNTS} == {"***"} and data["year"] == 2026
