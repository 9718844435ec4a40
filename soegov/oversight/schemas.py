"""The shapes of the oversight app's REST API: what each endpoint reads and returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from soegov.core.schemas import LocalDateTime
from soegov.jobs.api import JobOut
from soegov.oversight import events


class KindOut(Schema):
    kind: str
    label: str
    cite: str
    count: int


class RowOut(Schema):
    enterprise_id: int
    enterprise_name: str
    date: dt.date | None
    title: str
    note: str
    amount: Decimal | None
    url: str
    case_url: str = ""


class LedgerOut(Schema):
    id: int
    enterprise_id: int
    policy: str
    original_name: str
    sha256: str
    rows: int
    invalid_rows: int
    window_days: int
    decisions_used: int
    checked_at: LocalDateTime | None
    unknown_purposes: dict[str, int]


class RefusedRowOut(Schema):
    row: int
    reasons: list[dict[str, Any]]


class PurposeMappingIn(Schema):
    mappings: dict[str, str]


class FindingOut(Schema):
    id: int
    ledger_id: int
    enterprise_id: int
    code: str
    rows: list[int]
    citation: str
    message: str
    amount: Decimal | None
    found_on: dt.date | None
    status: str
    dismissed_reason: str


class SanctionOut(Schema):
    id: int
    tier: str
    tier_label: str
    year: int
    pay_record_id: int | None
    rate: Decimal
    performance_pay: Decimal
    tenure_incentive: Decimal
    performance_pay_deduction: Decimal
    tenure_incentive_deduction: Decimal


class PartyOut(Schema):
    id: int
    name: str
    position: str
    member_id: int | None
    responsibility: str
    exempt: bool
    exemption_proof: dict[str, Any]
    sanctions: list[SanctionOut]

    @staticmethod
    def resolve_sanctions(obj: Any) -> Any:
        return list(obj.sanctions.all())


class CaseOut(Schema):
    id: int
    enterprise_id: int
    policy: str
    title: str
    facts: str
    violation: str
    citation: dict[str, Any]
    responsibility: str
    finding_id: int | None
    agenda_item_id: int | None
    status: str
    version: int
    referral: str
    decision: str
    appeal: str
    appeal_result: str
    closed_at: LocalDateTime | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_parties(obj: Any) -> Any:
        # .all(): the list prefetches parties with their sanctions for the whole page.
        return list(obj.parties.all())


class CaseIn(Schema):
    enterprise_id: int
    title: str
    facts: str
    violation: str
    responsibility: str = "individual"
    finding_id: int | None = None
    agenda_item_id: int | None = None


class PartyIn(Schema):
    version: int | None = None
    name: str = ""
    position: str = ""
    responsibility: str = "direct"
    member_id: int | None = None
    exempt: bool = False


class ExemptionIn(Schema):
    version: int | None = None
    grant: bool
    reason: str = ""


class SanctionIn(Schema):
    version: int | None = None
    party_id: int
    tier: str
    year: int
    rate: Decimal | None = None
    note: str = ""


class StepIn(Schema):
    version: int | None = None
    action: str
    note: str = ""
    referral: str = ""
    decision: str = ""


class DismissIn(Schema):
    reason: str


class EventIn(Schema):
    enterprise_id: int
    category: str
    title: str
    occurred_at: dt.datetime
    description: str = ""
    report_now: bool = True


class EventOut(Schema):
    id: int
    enterprise_id: int
    category: str
    title: str
    occurred_at: LocalDateTime
    due_at: LocalDateTime
    immediate: bool
    reported_at: LocalDateTime | None
    citation: dict[str, Any]
    overdue: bool
    late: bool

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(events.event_state(obj)["overdue"])

    @staticmethod
    def resolve_late(obj: Any) -> bool:
        return bool(events.event_state(obj)["late"])


class InspectionOut(Schema):
    id: int
    enterprise_id: int
    policy: str
    year: int
    due_on: dt.date | None
    status: str
    version: int
    points: list[dict[str, Any]]
    review_comment: str


class InspectionIn(Schema):
    enterprise_id: int
    year: int


class AnswersIn(Schema):
    version: int | None = None
    answers: dict[str, dict[str, str]]


class ReviewIn(Schema):
    version: int | None = None
    accept: bool
    comment: str = ""


class LedgerStartedOut(Schema):
    ledger: LedgerOut
    job: JobOut
