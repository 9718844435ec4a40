"""The shapes of the matters app's REST API: what each endpoint reads and returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from soegov.core.schemas import LocalDateTime
from soegov.matters import documents, lifecycle, selectors
from soegov.matters.models import Matter

# Times leave the API in Shanghai time (+08:00), however the database hands them back.


class ClockOut(Schema):
    side: str
    label: str
    due: LocalDateTime | None = None
    overdue: bool
    days_left: int | None = None
    note: str


class MatterOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    policy: str
    matter_type: str
    # The same code under the name the engine contract and this API's input (MatterIn.type) use.
    type: str = Field(alias="matter_type")
    title: str
    amount: Decimal | None
    attributes: dict[str, Any]
    occurred_on: dt.date
    description: str
    status: str
    status_label: str
    version: int
    route: str
    authority: str
    via: str
    citation: dict[str, Any]
    required_attachments: list[str]
    missing_attachments: list[str]
    needs_collective_decision: bool
    decision_body: str
    decided_at: LocalDateTime | None
    submitted_at: LocalDateTime | None
    due_at: LocalDateTime | None
    review_due_at: LocalDateTime | None
    answered_at: LocalDateTime | None
    committee_passed_at: LocalDateTime | None
    forwarded_at: LocalDateTime | None
    implemented_at: LocalDateTime | None
    answer_comment: str
    answer_number: str
    clock: ClockOut | None
    overdue: bool

    @staticmethod
    def resolve_enterprise_name(obj: Matter) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj: Matter) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_missing_attachments(obj: Matter) -> list[str]:
        return lifecycle.missing_attachments(obj)

    @staticmethod
    def resolve_clock(obj: Matter) -> Any:
        return selectors.clock(obj)

    @staticmethod
    def resolve_overdue(obj: Matter) -> bool:
        return selectors.is_overdue(obj)


class VerdictOut(Schema):
    number: int
    policy_id: str
    policy_version: str
    result: dict[str, Any]
    changes: list[str]
    at: LocalDateTime


class AttachmentOut(Schema):
    id: int
    kind: str
    version: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: LocalDateTime
    withdrawn_at: LocalDateTime | None = None


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    comment: str
    missing: list[str]
    actor: str | None
    at: LocalDateTime

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class SubmissionOut(Schema):
    number: int
    snapshot: dict[str, Any]
    changes: list[str]
    at: LocalDateTime


class MatterDetailOut(MatterOut):
    verdicts: list[VerdictOut]
    attachments: list[AttachmentOut]
    events: list[EventOut]
    submissions: list[SubmissionOut]
    documents: list[str]

    @staticmethod
    def resolve_verdicts(obj: Matter) -> Any:
        return list(obj.verdicts.all())

    @staticmethod
    def resolve_attachments(obj: Matter) -> Any:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_events(obj: Matter) -> Any:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_submissions(obj: Matter) -> Any:
        return list(obj.submissions.all())

    @staticmethod
    def resolve_documents(obj: Matter) -> list[str]:
        return documents.available_kinds(obj)


class MatterIn(Schema):
    enterprise_id: int
    type: str
    title: str
    occurred_on: str
    amount: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
    date_confirmed: bool = False  # true to keep a date more than a year from today (else refused: date_unconfirmed)


class MatterUpdateIn(Schema):
    version: int
    title: str | None = None
    amount: str | None = None
    attributes: dict[str, Any] | None = None
    occurred_on: str | None = None
    description: str | None = None
    date_confirmed: bool = False


class VersionIn(Schema):
    version: int


class DecisionIn(VersionIn):
    body: str
    decided_at: str
    summary: str = ""


class ReturnIn(VersionIn):
    missing: list[str]
    comment: str = ""


class CommentIn(VersionIn):
    comment: str = ""


class CommitteeIn(VersionIn):
    passed_at: str | None = None
    comment: str = ""


class DecideIn(VersionIn):
    outcome: str
    comment: str = ""
    answer_number: str = ""


class CityAnswerIn(VersionIn):
    approved: bool
    comment: str = ""
    answer_number: str = ""


class UpdateOut(Schema):
    matter: MatterOut
    changes: list[str]


class WithdrawIn(VersionIn):
    reason: str = ""


class NotificationOut(Schema):
    id: int
    matter_id: int | None
    text: str
    at: LocalDateTime
    read: bool
