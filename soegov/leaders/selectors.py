"""Reads of leaders, scoped to what the user may see (enterprise subtree or supervisor's jurisdiction)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from soegov.core.scoping import scoped_get
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.leaders import privacy
from soegov.leaders.models import Appointment, Document, Leader, PayRecord, PerformanceContract, Recruitment


def leader_list(*, user: Any, enterprise_id: int | None = None, active_only: bool = False) -> QuerySet[Leader]:
    """Leaders of enterprises the user may see (names and posts are not restricted)."""
    qs = Leader.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "user")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if active_only:
        qs = qs.filter(active=True)
    return qs


def with_listing(enterprises: QuerySet[Any]) -> QuerySet[Any]:
    """The enterprises, each with `listed` (a listed level-2 group, services.is_listed) read in the same query."""
    from django.db.models import Exists, OuterRef

    from soegov.leaders.models import GroupListing

    return enterprises.annotate(listed=Exists(GroupListing.objects.filter(enterprise=OuterRef("pk"), listed=True)))


def leader_get(*, user: Any, pk: int) -> Leader:
    """One leader the user may see, else 404."""
    return scoped_get(leader_list(user=user), user=user, pk=pk)


def appointment_list(*, user: Any, enterprise_id: int | None = None) -> QuerySet[Appointment]:
    """Appointments of enterprises the user may see, newest first."""
    qs = Appointment.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "leader")
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def appointment_get(*, user: Any, pk: int) -> Appointment:
    """One appointment the user may see, else 404."""
    return scoped_get(appointment_list(user=user), user=user, pk=pk)


def recruitment_list(*, user: Any) -> QuerySet[Recruitment]:
    """Recruitments of enterprises the user may see."""
    return Recruitment.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "decision")


def recruitment_get(*, user: Any, pk: int) -> Recruitment:
    """One recruitment the user may see, else 404."""
    return scoped_get(recruitment_list(user=user), user=user, pk=pk)


def document_get(*, user: Any, pk: int) -> Document:
    """One document of an enterprise the user may see, else 404."""
    qs = Document.objects.filter(enterprise_scope_q(user, "enterprise__"))
    return scoped_get(qs, user=user, pk=pk)


def contracts_of(*, user: Any, leader: Leader) -> QuerySet[PerformanceContract]:
    """The leader's contracts: a personal-data read, audited, refused (and audited) for others."""
    privacy.read(user, leader, "contracts")
    return leader.contracts.all()


def contract_get(*, user: Any, pk: int) -> PerformanceContract:
    """One contract, for entitled users only (the read audited)."""
    qs = PerformanceContract.objects.filter(enterprise_scope_q(user, "leader__enterprise__")).select_related(
        "leader", "leader__enterprise")
    contract: PerformanceContract = scoped_get(qs, user=user, pk=pk)
    privacy.read(user, contract.leader, "contract")
    return contract


def pay_of(*, user: Any, leader: Leader) -> list[dict[str, Any]]:
    """The leader's pay by year with deductions and net amounts: a personal-data read, audited."""
    privacy.read(user, leader, "pay")
    return [pay_row(r) for r in leader.pay_records.prefetch_related("deductions")]


def pay_row(record: PayRecord) -> dict[str, Any]:
    """One pay record with its deductions and what remains after them."""
    deductions = list(record.deductions.all())
    perf_cut = sum((d.performance_deduction for d in deductions), Decimal(0))
    tenure_cut = sum((d.tenure_deduction for d in deductions), Decimal(0))
    return {"record": record, "id": record.pk, "year": record.year, "base_pay": record.base_pay,
            "performance_pay": record.performance_pay, "tenure_incentive": record.tenure_incentive,
            "decision_number": record.decision_number, "deductions": deductions,
            "performance_deduction": perf_cut, "tenure_deduction": tenure_cut,
            "performance_net": record.performance_pay - perf_cut, "tenure_net": record.tenure_incentive - tenure_cut,
            "total_net": record.base_pay + record.performance_pay - perf_cut + record.tenure_incentive - tenure_cut}


def pay_ledger(*, user: Any, year: int | None = None) -> QuerySet[PayRecord]:
    """Pay records of leaders of enterprises the user may see (figures are masked by the export where due)."""
    qs = PayRecord.objects.filter(enterprise_scope_q(user, "leader__enterprise__")).select_related(
        "leader", "leader__enterprise", "leader__enterprise__jurisdiction").prefetch_related("deductions")
    return qs.filter(year=year) if year else qs
