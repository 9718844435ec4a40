"""The shapes of the meetings app's REST API: what each endpoint reads and returns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema

from soegov.core.schemas import LocalDateTime
from soegov.meetings.models import AgendaItem, Meeting


class TopicOut(Schema):
    id: int
    enterprise_id: int
    title: str
    category: str
    matter_id: int | None
    amount: Decimal | None
    route: list[str]
    status: str
    version: int
    disputed: bool
    emergency: bool
    preparation: dict[str, Any]
    prestudy_id: int | None


class TopicIn(Schema):
    title: str = ""
    category: str = ""
    description: str = ""
    amount: str | None = None
    staff_interests: bool = False
    matter_id: int | None = None


class StepIn(Schema):
    step: str
    done: bool = True
    note: str = ""
    version: int | None = None


class ItemOut(Schema):
    id: int
    order: int
    topic_id: int
    title: str
    category: str
    voting_method: str
    on_agenda: bool
    passed: bool | None
    violations: list[dict[str, Any]]
    result: dict[str, Any] | None
    result_source: str
    result_note: str

    @staticmethod
    def resolve_result_note(obj: AgendaItem) -> str:
        return obj.declared_label

    @staticmethod
    def resolve_title(obj: AgendaItem) -> str:
        return obj.topic.title

    @staticmethod
    def resolve_category(obj: AgendaItem) -> str:
        return obj.topic.category


class MeetingOut(Schema):
    id: int
    enterprise_id: int
    body_id: int
    body_kind: str
    title: str
    held_at: LocalDateTime
    place: str
    status: str
    version: int
    notice_sent_at: LocalDateTime | None
    items: list[ItemOut]

    @staticmethod
    def resolve_body_kind(obj: Meeting) -> str:
        return obj.body.kind

    @staticmethod
    def resolve_items(obj: Meeting) -> Any:
        # The list endpoint prefetches every meeting's items with their topics at once (`listed_items`).
        listed = getattr(obj, "listed_items", None)
        return listed if listed is not None else list(obj.items.select_related("topic"))


class PositionOut(Schema):
    member_id: int
    name: str
    present: bool
    recused: bool
    vote: str | None
    opinion: str


class AttendanceOut(Schema):
    member_id: int
    name: str
    present: bool | None
    absence_reason: str
    written_opinion: str


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]
    positions: dict[str, list[PositionOut]]
    engine: dict[str, Any] | None

    # _detail() puts what the caller may see on the instance; the schema only reads it.
    @staticmethod
    def resolve_attendance(obj: Meeting) -> Any:
        return obj._api["attendance"]

    @staticmethod
    def resolve_positions(obj: Meeting) -> Any:
        return obj._api["positions"]

    @staticmethod
    def resolve_engine(obj: Meeting) -> Any:
        return obj.result


class MeetingIn(Schema):
    body_id: int
    title: str
    held_at: str
    place: str = ""
    recorder: str = ""
    nonvoting_attendees: str = ""
    form: str = "meeting"


class VersionIn(Schema):
    version: int | None = None


class AddItemIn(Schema):
    topic_id: int
    voting_method: str | None = None
    ad_hoc: bool = False


class AttendanceIn(Schema):
    present: bool
    absence_reason: str = ""
    written_opinion: str = ""
    # The agenda item the written opinion concerns (may be omitted when the agenda has one item).
    opinion_item: int | None = None


class VoteIn(Schema):
    member_id: int | None = None
    choice: str
    opinion: str = ""
    # The voter's signing PIN: a member's own ballot is signed with his SM2 key.
    pin: str | None = None


class RecusalIn(Schema):
    member_id: int
    recused: bool = True
    reason: str = ""


class StatementsIn(Schema):
    member_ids: list[int]


class DecisionListOut(Schema):
    id: int
    enterprise_id: int
    policy: str
    pack_version: str
    status: str
    version: int
    filed_at: LocalDateTime | None
    entries: list[dict[str, Any]]


class EntryIn(Schema):
    rule: str
    threshold: str | None = None
    bodies: list[str] | None = None
    version: int | None = None


class DeclareIn(Schema):
    passed: bool
    version: int | None = None
