"""Signed ballots: a member's own ballot carries his SM2 signature, and the count refuses a ballot it cannot prove.

The statement signed is the ballot itself (meeting, item, member, choice, words, time). It is stored with the
signature and is as secret as the vote row: only the count reads it. Before results are computed, every ballot
of a member with an account must carry a signature that verifies and says what the vote row says — so a vote
changed in the database, or written there without the member, stops the count instead of deciding a matter.
"""

from __future__ import annotations

import json
from typing import Any

from soegov.meetings.models import Meeting, Vote, VotingMethod
from soegov.signatures import signing
from soegov.signatures.models import SignatureRecord
from soegov.signatures.verify import record_valid

PURPOSE = "ballot.sign"


def ballot_ref(vote: Vote) -> str:
    """The key of a vote's signatures."""
    return f"meetings.vote:{vote.pk}"


def _statement(vote: Vote) -> dict[str, Any]:
    item = vote.item
    return {"meeting": item.meeting_id, "meeting_title": item.meeting.title, "item": item.pk,
            "topic": item.topic.title, "member": vote.member.name, "choice": vote.choice, "opinion": vote.opinion,
            "recorded_at": vote.recorded_at.isoformat()}


def ballot_sign(*, actor: Any, key: Any, vote: Vote) -> SignatureRecord:
    """The voter's signature on his ballot as just recorded."""
    return signing.sign_as_person(actor=actor, key=key, purpose=PURPOSE, ref=ballot_ref(vote), what=_statement(vote))


def ballot_problems(meeting: Meeting) -> list[str]:
    """Ballots of members with an account whose signature is missing, invalid, or says something else."""
    votes = list(Vote.objects.filter(item__meeting=meeting, item__voting_method=VotingMethod.BALLOT,
                                     member__user__isnull=False)
                 .select_related("item", "item__meeting", "item__topic", "member"))
    if not votes:
        return []
    latest: dict[str, SignatureRecord] = {}
    for record in (SignatureRecord.objects.filter(purpose=PURPOSE, ref__in=[ballot_ref(v) for v in votes])
                   .select_related("certificate").order_by("signed_at", "id")):
        latest[record.ref] = record
    problems = []
    for vote in votes:
        record = latest.get(ballot_ref(vote))
        if record is None:
            problems.append(f"{vote.member.name}在“{vote.item.topic.title}”上的选票没有本人签名")
            continue
        what = json.loads(record.statement).get("what") or {}
        if what != _statement(vote) or record.certificate.user_id != vote.member.user_id or not record_valid(record):
            problems.append(f"{vote.member.name}在“{vote.item.topic.title}”上的选票与其本人签名不符（选票可能被改动）")
    return problems
