"""Pay and scores encrypted at rest with SM4 (issue 14 item 8): the database holds no amount in clear, the
key lives in the key folder, values are bound to their column, and the migration seals existing rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from soegov.leaders import pay
from soegov.leaders.models import PayRecord
from soegov.signatures.keystore import KeyStoreError, key_dir
from tests.leaders.factories import doc, leader, reviewer, tree
from tests.migration_chain import chain_executor

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> PayRecord:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    return pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="312345.67", performance_pay="200000",
                       tenure_incentive="0", decision_number="伊国资发〔2025〕8号", decision=doc(t["l2"]))


def _raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM leaders_payrecord WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_the_column_holds_sm4_text_and_the_model_reads_the_amount(record: PayRecord) -> None:
    raw = _raw("base_pay", record.pk)
    assert raw.startswith("sm4gcm:1:") and "312345" not in raw
    # The same amount seals differently each time (a fresh nonce): equal pay is not visible either.
    record.save(update_fields=["base_pay"])
    assert _raw("base_pay", record.pk) != raw
    fresh = PayRecord.objects.get(pk=record.pk)
    assert (fresh.base_pay, fresh.performance_pay, fresh.tenure_incentive) == (
        Decimal("312345.67"), Decimal("200000.00"), Decimal("0.00"))


def test_a_value_moved_to_another_column_or_row_field_does_not_open(record: PayRecord) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE leaders_payrecord SET performance_pay = base_pay WHERE id = %s", [record.pk])
    with pytest.raises(KeyStoreError):
        PayRecord.objects.get(pk=record.pk)


def test_another_key_folder_opens_nothing(record: PayRecord, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(tmp_path / "other-keys"))
    from soegov.signatures.keystore import kek

    kek(create=True)
    with pytest.raises(KeyStoreError, match="密钥文件夹"):
        PayRecord.objects.get(pk=record.pk)


def test_queries_on_the_value_are_refused_in_chinese_and_isnull_works(record: PayRecord) -> None:
    with pytest.raises(FieldError, match="加密存储"):
        list(PayRecord.objects.filter(base_pay=Decimal("312345.67")))
    assert PayRecord.objects.filter(base_pay__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_rows_and_unseals_on_the_way_back(record: PayRecord) -> None:
    pk = record.pk
    executor = chain_executor(connection)
    executor.migrate([("leaders", "0002_invariants")])
    assert Decimal(_raw("base_pay", pk)) == Decimal("312345.67")  # back to a plain number
    executor = chain_executor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert _raw("base_pay", pk).startswith("sm4gcm:1:")
    assert PayRecord.objects.get(pk=pk).base_pay == Decimal("312345.67")
    assert key_dir().exists()


@pytest.mark.django_db(transaction=True)
def test_a_payroll_deduction_is_sealed_too_and_the_migration_seals_existing_ones(record: PayRecord) -> None:
    """With the rate beside it, a plain deduction gave the pay away (12000.00 at 0.06 is 200000.00)."""
    from soegov.leaders.models import PayDeduction

    d = PayDeduction.objects.create(pay_record=record, sanction_id=7, case_label="c", tier="问责处理",
                                    rate=Decimal("0.06"), performance_deduction=Decimal("12000"),
                                    tenure_deduction=Decimal("0"))

    def raw() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT performance_deduction, tenure_deduction FROM leaders_paydeduction WHERE id = %s",
                           [d.pk])
            return [str(v) for v in cursor.fetchone()]

    assert all(v.startswith("sm4gcm:1:") for v in raw()) and "12000" not in str(d)
    executor = chain_executor(connection)
    executor.migrate([("leaders", "0004_search_indexes")])
    assert Decimal(raw()[0]) == Decimal("12000")
    executor = chain_executor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert all(v.startswith("sm4gcm:1:") for v in raw())
    assert PayDeduction.objects.get(pk=d.pk).performance_deduction == Decimal("12000.00")
