"""Issue 13.5: one finding leads to at most one open case — refused by the service with a link to the
case already open, and by the database if anything bypasses the service."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from soegov.core.errors import TransitionRefused
from soegov.oversight import cases, ledgers
from soegov.oversight.models import Case
from tests.oversight.conftest import ledger_bytes


def _finding(inspector: Any, xd: Any) -> Any:
    ledger = ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=ledger_bytes(), inline=True)
    return ledger.findings.get()


def _open(inspector: Any, xd: Any, finding: Any) -> Case:
    return cases.case_open(actor=inspector, enterprise=xd, title="装修款化整为零", facts=finding.message,
                           violation="xd31_2", finding=finding)


def test_a_second_case_from_one_finding_is_refused_with_a_link_to_the_first(inspector: Any, xd: Any) -> None:
    f = _finding(inspector, xd)
    first = _open(inspector, xd, f)
    with pytest.raises(TransitionRefused) as exc:
        _open(inspector, xd, f)
    assert exc.value.code == "finding_has_case" and exc.value.path == "finding"
    assert first.doc_number in exc.value.message and f"/oversight/cases/{first.pk}/" in exc.value.message
    assert Case.objects.filter(finding=f).count() == 1


def test_the_database_refuses_a_second_open_case_of_one_finding(inspector: Any, xd: Any) -> None:
    f = _finding(inspector, xd)
    first = _open(inspector, xd, f)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(enterprise=xd, policy=first.policy, title="重复", facts="x", violation="xd31_2", finding=f)
    # A closed case no longer blocks: the constraint is on open cases only (status other than closed).
    Case.objects.filter(pk=first.pk).update(status="closed", decided_at=timezone.now(), closed_at=timezone.now())
    Case.objects.create(enterprise=xd, policy=first.policy, title="复查后重新立案", facts="x", violation="xd31_2", finding=f)


def test_the_pages_link_to_the_open_case_instead_of_a_second_form(client: Any, inspector: Any, xd: Any) -> None:
    f = _finding(inspector, xd)
    client.force_login(inspector)
    data = {"finding": f.pk, "enterprise": xd.pk, "title": "装修款化整为零", "facts": f.message, "violation": "xd31_2",
            "responsibility": "individual"}
    r = client.post("/oversight/cases/new/", data)
    assert r.status_code == 302
    case = Case.objects.get(finding=f)
    r = client.get(f"/oversight/cases/new/?finding={f.pk}")
    body = r.content.decode()
    assert f'href="/oversight/cases/{case.pk}/"' in body and 'id="existing-case"' in body
    assert "<button type=\"submit\">立案</button>" not in body
    r = client.post("/oversight/cases/new/", data)
    assert r.status_code == 400 and f'href="/oversight/cases/{case.pk}/"' in r.content.decode()
    assert Case.objects.filter(finding=f).count() == 1
