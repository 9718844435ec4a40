"""Writes on votes: a member's vote (his own signed ballot, or recorded by the secretary) and an item's
conclusion.

Writes are keyword-only, one transaction each, the actor checked (meetings.gates), audited. Meeting writes
lock the meeting row (select_for_update) and, where a form carries it, check the version the actor saw, so
two people recording at once never lose an update.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.enterprises.models import BodyMember
from soegov.meetings.ballots import ballot_sign
from soegov.meetings.gates import RUNNER_GATE
from soegov.meetings.models import (
    AgendaItem,
    Attendance,
    Choice,
    Meeting,
    MeetingStatus,
    ResultSource,
    Vote,
    VotingMethod,
)
from soegov.meetings.saving import (
    MEETING_FIELDS,
    choice_value,
    item_of,
    meeting_lock,
    meeting_save,
    member_of,
)
from soegov.user_input import clean_text


def _can_cast_own_ballot(actor: Any, person: BodyMember, row: Any) -> bool:
    # Only a ballot is cast by the member himself; an oral or show-of-hands vote is what the secretary saw and
    # records (a member's own click would put in the minutes a vote the meeting never saw him give).
    return (row.voting_method == VotingMethod.BALLOT and actor is not None and getattr(actor, "pk", None) is not None
            and person.user_id == actor.pk)


@transaction.atomic
def vote_record(*, actor: Any, meeting: Meeting, item: Any, member: Any, choice: str, opinion: str = "",
                version: Any = None, key: Any = None) -> Vote:
    """Record one member's vote and his words on one item.

    The secretary records oral and show-of-hands votes; on a ballot item a member with an account (linked via
    BodyMember.user) casts his ballot himself and signs it with his SM2 key (`key`, opened with his PIN), so
    nobody can fill in or change his ballot; for a member without an account the secretary records his paper ballot.
    """
    meeting = meeting_lock(meeting, version)
    row = item_of(meeting, item)
    person = member_of(meeting, member)
    own = _can_cast_own_ballot(actor, person, row)
    if row.voting_method == VotingMethod.BALLOT and actor is not None and not own and person.user_id is not None:
        raise PermissionDenied(f"“{row.topic.title}”采取投票表决，须由{person.name}本人登录投票")
    if not own:
        RUNNER_GATE.check(actor, meeting.enterprise)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise SoegovError("not_in_session", "会议尚未开始（或已结束），不能记录表决", "status", "the meeting is not in session")
    if row.recusals.filter(member=person).exists():
        raise InputError("recused", f"{person.name}已回避本议题（第十六条），不参加表决", "member", "the member is recused")
    # Only a member recorded present votes (docs/invariants.md INV-MEET-4; found by the meetings state machine).
    if not Attendance.objects.filter(meeting=meeting, member=person, present=True).exists():
        raise InputError("not_present", f"{person.name}未登记出席本次会议，不能记录其表决：请先登记出席情况", "member",
                         "the member is not recorded present")
    value = choice_value(choice, Choice, "choice", "表决意见")
    words = str(opinion or "").strip()
    if len(words) > 5000:
        raise InputError("too_long", "发表意见不能超过 5000 字", "opinion", "opinion is too long")
    signed_ballot = row.voting_method == VotingMethod.BALLOT and own
    if signed_ballot and key is None:
        raise InputError("pin_required", "投票须由您本人签名：请输入签名密码", "pin", "a ballot is signed with the voter's PIN")
    before = snapshot(meeting, MEETING_FIELDS)
    old = Vote.objects.filter(item=row, member=person).first()
    vote, _ = Vote.objects.update_or_create(item=row, member=person, defaults={
        "choice": value, "opinion": words, "recorded_by": acting_user(actor),
        "recorded_at": timezone.now()})
    if signed_ballot:
        ballot_sign(actor=actor, key=key, vote=vote)
    # A ballot stays secret in the audit trail of the meeting: the entry says that he voted, not how.
    detail: dict[str, Any] = {"item": row.pk, "member": person.name}
    if row.voting_method != VotingMethod.BALLOT:
        detail |= {"choice": value, "before": old.choice if old else None}
    if row.result_source == ResultSource.DECLARED:
        # The votes are the record: a result declared before this vote must be declared again against them.
        detail |= {"declared_cleared": {"passed": row.passed, "result_source": row.result_source}}
        row.passed, row.result, row.result_source = None, None, ""
        row.save(update_fields=["passed", "result", "result_source"])
    meeting_save(meeting, before, actor=actor, action="vote", extra=detail)
    return vote


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def conclusion_set(*, actor: Any, meeting: Meeting, item: Any, conclusion: str, version: Any = None) -> AgendaItem:
    """Record the decision wording of one item (what the meeting decided)."""
    meeting = meeting_lock(meeting, version)
    row = item_of(meeting, item)
    before = snapshot(meeting, MEETING_FIELDS)
    row.conclusion = clean_text(conclusion, "conclusion", "决定事项", 5000, required=False)
    row.save(update_fields=["conclusion"])
    meeting_save(meeting, before, actor=actor, action="conclusion", extra={"item": row.pk})
    return row
