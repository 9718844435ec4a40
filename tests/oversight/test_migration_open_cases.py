"""Migration oversight 0003 adds one_open_case_per_finding (issue 13.5). On a database that already holds two
open cases from one finding it changes nothing and stops with a message naming the finding and both cases and
saying what to do; once the duplicate is decided and closed, it runs (INV-CASE-1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.migration_chain import chain_executor

BEFORE = ("oversight", "0002_case_doc_number")
TARGET = ("oversight", "0003_one_open_case_per_finding")


def _executor() -> MigrationExecutor:
    return chain_executor(connection)


@pytest.mark.django_db(transaction=True)
def test_two_open_cases_from_one_finding_stop_the_migration_with_their_names_and_nothing_changes() -> None:
    ent = EnterpriseFactory()
    executor = _executor()
    executor.migrate([BEFORE])
    apps: Any = _executor().loader.project_state(BEFORE).apps
    ledger = apps.get_model("oversight", "LedgerImport").objects.create(
        enterprise_id=ent.pk, policy="xundian-2020", original_name="台账.csv", extension="csv", size=10)
    finding = apps.get_model("oversight", "Finding").objects.create(
        ledger=ledger, enterprise_id=ent.pk, code="split_payment", message="疑似化整为零")
    Case = apps.get_model("oversight", "Case")
    first, second = (Case.objects.create(enterprise_id=ent.pk, policy="xundian-2020", title=title, facts="拆分支付",
                                         violation="xd31_2", finding=finding, doc_number=number)
                     for title, number in (("化整为零追责", "寻国资追〔2026〕1号"), ("化整为零（重复立案）", "")))
    with pytest.raises(CommandError) as exc:
        _executor().migrate([TARGET])
    said = str(exc.value)
    assert f"台账发现 #{finding.pk}" in said and f"案件 #{first.pk}《化整为零追责》" in said
    assert f"案件 #{second.pk}《化整为零（重复立案）》" in said and "寻国资追〔2026〕1号" in said and "再运行 soegov migrate" in said
    assert set(Case.objects.values_list("status", flat=True)) == {"open"}  # nothing merged, closed or removed
    assert TARGET not in _executor().loader.applied_migrations
    # The inspector decides the duplicate (并案) and closes it; then the migration runs and the constraint holds.
    now = timezone.now()
    Case.objects.filter(pk=second.pk).update(status="closed", decision=f"与案件 #{first.pk} 重复立案，并案处理",
                                              decided_at=now, closed_at=now)
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from django.db import IntegrityError, transaction

    from soegov.oversight.models import Case as CurrentCase

    with pytest.raises(IntegrityError), transaction.atomic():
        CurrentCase.objects.create(enterprise=ent, policy="xundian-2020", title="第三次立案", facts="拆分支付",
                                   violation="xd31_2", finding_id=finding.pk)


def test_the_migrate_command_prints_the_refusal_without_a_traceback(monkeypatch: Any, capsys: Any) -> None:
    from soegov.web import cli

    def refuse(verbosity: int = 1) -> None:
        raise CommandError("oversight 0003 未执行：台账发现 #1：案件 #1；案件 #2")

    monkeypatch.setattr(cli, "_migrate", refuse)
    monkeypatch.setattr(cli, "setup_django", lambda: None)
    assert cli.cmd_migrate(None) == 2  # type: ignore[arg-type]
    assert "soegov migrate: oversight 0003 未执行" in capsys.readouterr().err
