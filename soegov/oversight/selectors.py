"""Reads of the oversight app, scoped to the user's jurisdiction or enterprise subtree: ledgers, findings,
cases, events and inspections, a year's compliance record, a finding's ledger rows. The dashboard's figures
are built in oversight.dashboard."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from soegov.core.files import file_exists, file_path
from soegov.core.paging import Filter
from soegov.core.scoping import scoped_get
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.oversight.models import (
    Case,
    CaseParty,
    CaseStatus,
    EventReport,
    Finding,
    FindingStatus,
    Inspection,
    LedgerImport,
    Sanction,
)

# What the case, event and finding lists filter by, and the fields their keyword searches.
CASE_FILTERS = (
    Filter("status", "状态", "status", "choice", CaseStatus.choices),
    Filter("enterprise", "企业", "enterprise_id", "int"),
    Filter("year", "立案年度", "created_at__year", "year"),
)
CASE_SEARCH = ("title", "doc_number", "enterprise__name")
EVENT_FILTERS = (
    Filter("enterprise", "企业", "enterprise_id", "int"),
    Filter("category", "类别", "category"),
    Filter("year", "发生年度", "occurred_at__year", "year"),
)
EVENT_SEARCH = ("title", "enterprise__name")


def ledger_list(*, user: Any, enterprise_id: int | None = None) -> QuerySet[LedgerImport]:
    """Ledger imports the user may see, newest first."""
    qs = LedgerImport.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise")
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def ledger_get(*, user: Any, pk: int) -> LedgerImport:
    """One ledger import in scope, else 404."""
    return scoped_get(ledger_list(user=user), user=user, pk=pk)


def finding_list(*, user: Any, status: str = "", enterprise_id: int | None = None) -> QuerySet[Finding]:
    """Stored ledger findings in scope."""
    qs = Finding.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "ledger")
    if status:
        qs = qs.filter(status=status)
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def finding_get(*, user: Any, pk: int) -> Finding:
    """One finding in scope, else 404."""
    return scoped_get(finding_list(user=user), user=user, pk=pk)


def case_list(*, user: Any, status: str = "", enterprise_id: int | None = None) -> QuerySet[Case]:
    """Accountability cases in scope, newest first."""
    qs = Case.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "finding")
    if status:
        qs = qs.filter(status=status)
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def case_get(*, user: Any, pk: int) -> Case:
    """One case in scope, else 404."""
    return scoped_get(case_list(user=user), user=user, pk=pk)


def open_case_of(finding: Finding) -> Case | None:
    """The case not yet closed that was opened from the finding (at most one: a database constraint)."""
    return Case.objects.filter(finding=finding).exclude(status=CaseStatus.CLOSED).first()


def pay_record_for(party: CaseParty, year: int) -> Any:
    """The pay record of `year` of the leader the party is: by the body member picked, else by name in the
    party's enterprise (a person holding several posts has one pay record a year); None if there is none."""
    from soegov.leaders.models import PayRecord

    who = Q(leader__body_member=party.member) if party.member_id else Q(pk__in=[])
    who |= Q(leader__enterprise=party.enterprise_id, leader__name=party.name)
    records = list(PayRecord.objects.filter(who, year=year).select_related("leader")[:2])
    if len(records) > 1:
        from soegov.core.errors import InputError

        raise InputError("ambiguous_pay_record", f"{party.name}{year}年度有多条薪酬记录（{'、'.join(str(r.leader) for r in records)}），"
                         "请在登记当事人时选择决策机构成员以确定其本人", "case_party", "more than one pay record matches")
    return records[0] if records else None


def party_get(*, user: Any, pk: int) -> CaseParty:
    """One case party in scope, else 404."""
    qs = CaseParty.objects.filter(enterprise_scope_q(user, "case__enterprise__")).select_related("case", "case__enterprise")
    return scoped_get(qs, user=user, pk=pk)


def event_list(*, user: Any, enterprise_id: int | None = None) -> QuerySet[EventReport]:
    """Event reports in scope, newest first."""
    qs = EventReport.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise")
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


def event_get(*, user: Any, pk: int) -> EventReport:
    """One event report in scope, else 404."""
    return scoped_get(event_list(user=user), user=user, pk=pk)


def inspection_list(*, user: Any, year: int | None = None) -> QuerySet[Inspection]:
    """Inspection checklists in scope."""
    qs = Inspection.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise")
    return qs.filter(year=year) if year else qs


def inspection_get(*, user: Any, pk: int) -> Inspection:
    """One inspection checklist in scope, else 404."""
    return scoped_get(inspection_list(user=user), user=user, pk=pk)


def compliance_record(enterprise: Enterprise, year: int, person_name: str | None = None) -> dict[str, Any]:
    """Oversight results of one year for annual evaluation (yining art. 27, xundian art. 28).

    Counts and lists with links: cases opened in the year and their sanctions (for one person when
    `person_name` is given), ledger findings open / dismissed / turned into cases, late event reports,
    the year's inspection. Not scoped to a user: the caller (leaders app) has already checked access.
    """
    cases = Case.objects.filter(enterprise=enterprise, created_at__year=year)
    sanctions = Sanction.objects.filter(case_party__case__enterprise=enterprise, year=year).select_related(
        "case_party", "case_party__case")
    if person_name:
        cases = cases.filter(parties__name=person_name).distinct()
        sanctions = sanctions.filter(case_party__name=person_name)
        exempt = CaseParty.objects.filter(case__in=cases, name=person_name, exempt=True)
    else:
        exempt = CaseParty.objects.filter(case__in=cases, exempt=True)
    findings = Finding.objects.filter(enterprise=enterprise, found_on__year=year)
    events = EventReport.objects.filter(enterprise=enterprise, occurred_at__year=year)
    # The stored overdue_from the event pages and the dashboard read: an immediate event once reported is not late.
    late_events = list(events.filter(overdue_from__lte=timezone.now()))
    inspection = Inspection.objects.filter(enterprise=enterprise, year=year).first()
    total = sum((s.performance_pay_deduction + s.tenure_incentive_deduction for s in sanctions), Decimal("0"))
    return {
        "enterprise": {"id": enterprise.pk, "name": enterprise.name},
        "year": year,
        "person_name": person_name or "",
        "counts": {
            "cases": cases.count(),
            "cases_closed": cases.filter(status="closed").count(),
            "sanctions": sanctions.count(),
            "exempt": exempt.count(),
            "findings": findings.count(),
            "findings_open": findings.filter(status=FindingStatus.OPEN).count(),
            "findings_dismissed": findings.filter(status=FindingStatus.DISMISSED).count(),
            "events_late": len(late_events),
        },
        "deductions_total": total,
        "cases": [{"id": c.pk, "title": c.title, "status": c.status, "status_label": c.get_status_display(),
                   "violation": c.violation, "url": reverse("oversight:case", args=[c.pk])} for c in cases],
        "sanctions": [{"id": s.pk, "name": s.case_party.name, "tier": s.tier, "tier_label": s.tier_label,
                       "year": s.year, "rate": s.rate, "performance_pay_deduction": s.performance_pay_deduction,
                       "tenure_incentive_deduction": s.tenure_incentive_deduction,
                       "url": reverse("oversight:case", args=[s.case_party.case_id])} for s in sanctions],
        "findings": [{"id": f.pk, "code": f.code, "status": f.status, "message": f.message,
                      "url": reverse("oversight:finding", args=[f.pk])} for f in findings],
        "events_late": [{"id": e.pk, "title": e.title, "url": reverse("oversight:event", args=[e.pk])} for e in late_events],
        "inspection": ({"id": inspection.pk, "status": inspection.status, "status_label": inspection.get_status_display(),
                        "url": reverse("oversight:inspection", args=[inspection.pk])} if inspection else None),
    }


def finding_rows(finding: Finding) -> list[dict[str, Any]]:
    """The ledger rows behind a finding, read back from the stored ledger file (the rows the check saw)."""
    return ledger_rows(finding.ledger, finding.rows or [])


def ledger_rows(ledger: Any, rows: list[Any], path: Path | None = None) -> list[dict[str, Any]]:
    """Some rows of a stored ledger by their row numbers, in date order (`path`: a local copy already made)."""
    wanted = [int(r) for r in rows]
    if not wanted or not file_exists(ledger.sha256):
        return []
    if path is None:
        with file_path(ledger.sha256, suffix=f".{ledger.extension}", what=f"台账“{ledger.original_name}”") as local:
            return ledger_rows(ledger, wanted, path=local)
    import duckdb

    from soegov.ledger.scan import load_ledger

    con = duckdb.connect()
    try:
        load_ledger(con, path)
        marks = ", ".join("?" for _ in wanted)
        found = con.execute(f"SELECT row_no, date, payee, cents, purpose, expense_class, contract_id FROM ledger "
                            f"WHERE row_no IN ({marks}) ORDER BY date, row_no", wanted).fetchall()
    finally:
        con.close()
    return [{"row": r, "date": d, "payee": p, "amount": (Decimal(c) / 100).quantize(Decimal("0.01")), "purpose": pu, "expense_class": ec,
             "contract_id": ct or ""} for r, d, p, c, pu, ec, ct in found]
