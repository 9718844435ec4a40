"""The shapes of the leaders app's REST API: what each endpoint reads and returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from soegov.leaders import appointments
from soegov.leaders.models import Appointment


class LeaderOut(Schema):
    id: int
    enterprise_id: int
    name: str
    post: str
    post_label: str
    term_start: dt.date | None
    term_end: dt.date | None
    active: bool
    is_principal: bool

    @staticmethod
    def resolve_post_label(obj: Any) -> str:
        return str(obj.get_post_display())


class LeaderIn(Schema):
    enterprise_id: int
    name: str
    post: str
    term_start: str | None = None
    term_end: str | None = None


class ListingIn(Schema):
    listed: bool
    basis: str = ""


class DocumentOut(Schema):
    id: int
    enterprise_id: int
    title: str
    doc_number: str
    original_name: str
    content_type: str
    size: int
    sha256: str


class StepOut(Schema):
    number: int
    code: str
    label: str
    document_id: int
    agenda_item_id: int | None
    decided_on: dt.date
    comment: str


class AppointmentOut(Schema):
    id: int
    enterprise_id: int
    kind: str
    person_name: str
    post: str
    term_start: dt.date | None
    term_end: dt.date | None
    leader_id: int | None
    route: dict[str, Any]
    status: str
    version: int
    done_steps: list[StepOut]
    next_step: dict[str, Any] | None

    @staticmethod
    def resolve_done_steps(obj: Appointment) -> Any:
        return list(obj.done_steps.all())

    @staticmethod
    def resolve_next_step(obj: Appointment) -> Any:
        return appointments.next_step(obj)


class AppointmentIn(Schema):
    enterprise_id: int
    kind: str = "appoint"
    person_name: str = ""
    post: str = ""
    term_start: str | None = None
    term_end: str | None = None
    leader_id: int | None = None
    recruitment_id: int | None = None


class StepIn(Schema):
    version: int
    document_id: int
    decided_on: str
    comment: str = ""
    agenda_item_id: int | None = None


class CancelIn(Schema):
    version: int
    comment: str


class RecruitmentOut(Schema):
    id: int
    enterprise_id: int
    post: str
    decision_id: int
    decided_on: dt.date
    announcement: str
    status: str
    result: str
    hired_name: str
    version: int


class RecruitmentIn(Schema):
    enterprise_id: int
    post: str
    decision_id: int
    decided_on: str
    announcement: str = ""


class RecruitmentCloseIn(Schema):
    version: int
    hired: bool
    result: str
    hired_name: str = ""


class TargetIn(Schema):
    name: str
    unit: str = ""
    weight: str
    target: str
    direction: str = "higher"


class ContractOut(Schema):
    id: int
    leader_id: int
    kind: str
    year: int
    end_year: int | None
    targets: list[dict[str, Any]]
    signed_on: dt.date
    status: str
    score: Decimal | None
    grade: str
    grade_label: str
    compliance: dict[str, Any]
    reward: str
    appointment_consequence: str
    version: int


class ContractIn(Schema):
    kind: str
    year: int
    end_year: int | None = None
    targets: list[TargetIn]
    signed_on: str
    document_id: int | None = None


class ScoreIn(Schema):
    version: int
    results: list[str]
    scored_on: str
    reward: str = ""
    appointment_consequence: str = ""


class DeductionOut(Schema):
    sanction_id: int
    case_id: int | None
    case_label: str
    tier: str
    rate: Decimal
    performance_deduction: Decimal
    tenure_deduction: Decimal
    citation: dict[str, Any]


class PayOut(Schema):
    id: int
    year: int
    base_pay: Decimal
    performance_pay: Decimal
    tenure_incentive: Decimal
    decision_number: str
    decision_id: int
    performance_deduction: Decimal
    tenure_deduction: Decimal
    total_net: Decimal
    deductions: list[DeductionOut]
    version: int = Field(0)


class PayIn(Schema):
    base_pay: str
    performance_pay: str
    tenure_incentive: str = "0"
    decision_number: str
    decision_id: int
    version: int | None = None


class SanctionIn(Schema):
    sanction_id: int
