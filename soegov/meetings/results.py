"""Results from the engine: the meeting-check request built from the records (the one place it is built),
the computed and declared results, and closing the meeting on them.

Writes are keyword-only, one transaction each, the actor checked (meetings.gates), audited. Meeting writes
lock the meeting row (select_for_update) and, where a form carries it, check the version the actor saw, so
two people recording at once never lose an update.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.time import SHANGHAI
from soegov.meetings import preparation
from soegov.meetings.ballots import ballot_problems
from soegov.meetings.gates import RUNNER_GATE
from soegov.meetings.models import (
    AgendaItem,
    Category,
    Meeting,
    MeetingStatus,
    Minutes,
    ResultSource,
    TopicStatus,
)
from soegov.meetings.nonvoting import parse_nonvoting
from soegov.meetings.saving import (
    MEETING_FIELDS,
    TOPIC_FIELDS,
    item_of,
    meeting_lock,
    meeting_save,
    topic_ready_status,
    topic_save,
)
from soegov.meetings.selectors import ballot_tally


def meeting_policy(meeting: Meeting) -> str | None:
    """The first pack of the jurisdiction with meeting rules, if they cover this kind of body; else None."""
    from soegov.meetings.decision_lists import list_policy
    from soegov.policy.loader import get_registry

    policy = list_policy(meeting.enterprise)
    if policy is None:
        return None
    rules = get_registry().get(policy).meeting
    # e.g. xundian-2020 names the party committee, the board and the GM office, not a party branch.
    return policy if rules is not None and meeting.body.kind in rules.bodies else None


def engine_request(meeting: Meeting) -> dict[str, Any]:
    """The contract's meeting-check input built from the records (the one place it is built)."""
    seated = list(meeting.body.members.all())
    members = [m for m in seated if m.voting]
    by_id = {m.pk: m.name for m in members}
    principal = next((m.name for m in members if m.is_principal), None)
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    nonvoting = [m.name for m in seated if not m.voting and attendance.get(m.pk) is not None and attendance[m.pk].present]
    nonvoting += [n for n, _ in parse_nonvoting(meeting.nonvoting_attendees) if n not in nonvoting and n not in by_id.values()]
    items = []
    for item in meeting.items.select_related("topic").prefetch_related("votes", "recusals"):
        topic = item.topic
        prepared = preparation.is_ready(topic, body_kind=meeting.body.kind)
        exempt = topic.category == Category.PERSONNEL
        in_advance = item.materials_sent_at is not None and item.materials_sent_at < meeting.held_at
        items.append({
            "id": str(item.pk), "title": topic.title, "category": topic.category, "voting_method": item.voting_method,
            "on_agenda": item.on_agenda, "prepared": prepared,
            "materials_in_advance": True if exempt else in_advance,
            "disputed": topic.disputed, "emergency": topic.emergency,
            # Two of the preparation steps are checks of their own (xundian art. 11(一)3 and 11(一)4).
            "communicated": preparation.step_done(topic, "consulted"),
            "oversight_informed": preparation.step_done(topic, "discipline_informed"),
            "recused": [by_id[r.member_id] for r in item.recusals.all() if r.member_id in by_id],
            "statements": [by_id[i] for i in (item.statements or []) if i in by_id],
            # Non-voting attendees' views are minuted (art. 17(4)); only members' votes go to the count.
            "votes": {by_id[v.member_id]: v.choice for v in item.votes.all() if v.member_id in by_id},
        })
    doc: dict[str, Any] = {
        "date": timezone.localtime(meeting.held_at, SHANGHAI).date().isoformat(),
        "body": {"kind": meeting.body.kind, "members": [m.name for m in members], "principal": principal},
        "form": meeting.form,
        "notice_sent": meeting.notice_sent_at is not None and meeting.notice_sent_at <= meeting.held_at,
        "attendees": [by_id[k] for k, a in attendance.items() if a.present and k in by_id],
        "nonvoting_attendees": nonvoting,
        "items": items,
    }
    # Who chaired (xundian art. 9), where the host's post says it; a 董事 or 委员 may be a vice-chairman or
    # stand in on a rule the record cannot show, so the engine is told nothing and says it did not check.
    chair_role = HOST_CHAIR_ROLES.get(meeting.host.role) if meeting.host_id and meeting.host else None
    if chair_role is not None:
        doc["chair_role"] = chair_role
    return doc


# A host's post (enterprises.MemberRole) as the engine's chair role (policy catalogue CHAIR_ROLES).
HOST_CHAIR_ROLES = {"secretary": "party_secretary", "deputy_secretary": "other", "chair": "chairman",
                    "general_manager": "general_manager", "deputy_gm": "deputy_general_manager"}


def check(meeting: Meeting) -> dict[str, Any] | None:
    """The engine's answer for the meeting as recorded now, or None where no pack has meeting rules."""
    from soegov.policy import meeting_check

    policy = meeting_policy(meeting)
    if policy is None:
        return None
    return meeting_check(engine_request(meeting), policy=policy, lang="zh")


def statement_warnings(meeting: Meeting, item: Any) -> list[str]:
    """What the engine's meeting check says of an item's recorded speaking order (末位表态), with its citation."""
    result = check(meeting)
    if result is None:
        return []
    row = item_of(meeting, item)
    return [f"{v['message']}（{v['citation']['document']} 第{v['citation']['article']}条）"
            for v in result["violations"] if v["item"] == str(row.pk) and v["code"] == "principal_not_last"]


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def results_compute(*, actor: Any, meeting: Meeting, version: Any = None) -> dict[str, Any] | None:
    """Run the engine on the records and store each item's passed / violations; None when no meeting rules."""
    meeting = meeting_lock(meeting, version)
    unproven = ballot_problems(meeting)
    if unproven:
        raise SoegovError("ballot_signature", "以下选票无法以投票人本人的电子签名核验，不能计票：" + "；".join(unproven),
                          "votes", "a ballot's signature is missing or does not match")
    result = check(meeting)
    if result is None:
        return None
    before = snapshot(meeting, MEETING_FIELDS)
    by_id = {str(r["id"]): r for r in result["items"]}
    # A breach of the whole meeting that voids nothing (no notice, a wrong chair) is a breach of each decision taken
    # there: stored on every item, as the engine already puts the voiding ones, so the decisions list, the
    # dashboard's 决策违规 and a leader's compliance line name what the meeting page says.
    of_meeting = [v for v in result.get("violations", []) if v.get("item") is None and not v.get("voids")]
    for item in meeting.items.all():
        r = by_id.get(str(item.pk))
        if r is None:
            continue
        found = list(r["violations"])
        item.passed, item.violations, item.result = bool(r["passed"]), found + [v for v in of_meeting if v not in found], r
        item.result_source = ResultSource.ENGINE
        item.save(update_fields=["passed", "violations", "result", "result_source"])
    meeting.result, meeting.results_at = result, timezone.now()
    meeting_save(meeting, before, actor=actor, action="results",
                  extra={"items": {k: v["passed"] for k, v in by_id.items()}})
    return result


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def result_declare(*, actor: Any, meeting: Meeting, item: Any, passed: Any, version: Any = None) -> AgendaItem:
    """Register the result the meeting announced for one item, where no meeting rules let the engine compute it.

    Only for a meeting the engine cannot check (a jurisdiction without meeting rules, or a body its rules do not
    name) and only while the meeting is in session; an engine result is never replaced. The recorded votes stay
    the record: "passed" is refused when more recorded votes are against than for, or when no vote for is recorded.
    """
    meeting = meeting_lock(meeting, version)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise SoegovError("not_in_session", "会议尚未开始（或已结束），不能登记表决结果", "status", "the meeting is not in session")
    if meeting_policy(meeting) is not None:
        raise SoegovError("engine_has_rules", "本次会议适用的制度规定了会议规则，表决结果由规则引擎按会议记录计算，不能手工登记",
                          "passed", "the meeting rules apply: the engine computes the result")
    row = item_of(meeting, item)
    if row.result_source == ResultSource.ENGINE:
        raise SoegovError("engine_result", "该议题的结果已由规则引擎计算，不能改为会议宣布的结果", "passed",
                          "an engine result cannot be replaced by a declared one")
    if isinstance(passed, str):
        value = {"1": True, "true": True, "passed": True, "0": False, "false": False, "not_passed": False}.get(passed.strip().lower())
    else:
        value = passed if isinstance(passed, bool) else None
    if value is None:
        raise InputError("invalid_choice", "请选择会议宣布的结果：通过或未通过", "passed", "passed must be true or false")
    counts = ballot_tally(row)
    if value and counts["against"] > counts["for"]:
        raise InputError("declared_contradicts_votes",
                         f"已记录的表决为赞成 {counts['for']} 票、反对 {counts['against']} 票，反对多于赞成，不能登记为通过；"
                         "请先核对每位成员的表决记录", "passed", "more recorded votes against than for")
    if value and counts["for"] == 0:
        raise InputError("declared_without_votes", "尚未记录任何赞成票，不能登记为通过；请先记录每位成员的表决",
                         "passed", "no vote for is recorded")
    before = snapshot(meeting, MEETING_FIELDS)
    old = {"passed": row.passed, "result_source": row.result_source}
    row.passed, row.violations, row.result_source = value, [], ResultSource.DECLARED
    row.result = {"source": "declared", "passed": value, **counts,
                  "declared_at": timezone.now().isoformat(), "declared_by": getattr(actor, "username", None) or "system"}
    row.save(update_fields=["passed", "violations", "result", "result_source"])
    meeting_save(meeting, before, actor=actor, action="declare", extra={
        "item": row.pk, "before": old, "after": {"passed": value, "result_source": ResultSource.DECLARED}, "tally": counts})
    return row


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Close the session: results are computed one last time and the decided topics marked."""
    if Meeting.objects.filter(pk=meeting.pk).exclude(status=MeetingStatus.IN_SESSION).exists():
        raise SoegovError("not_in_session", "会议尚未开始（或已结束），不能结束会议", "status", "the meeting is not in session")
    results_compute(actor=actor, meeting=meeting, version=version)
    meeting = meeting_lock(meeting)
    before = snapshot(meeting, MEETING_FIELDS)
    meeting.status = MeetingStatus.CLOSED
    for item in meeting.items.select_related("topic"):
        topic = item.topic
        t_before = snapshot(topic, TOPIC_FIELDS)
        route = list(topic.route or [])
        later = route[route.index(meeting.body.kind) + 1:] if meeting.body.kind in route else []
        studied = bool(item.passed and meeting.body.kind == "party_committee" and later)
        if studied:
            # The party committee's pre-study (art. 9): its conclusion goes with the topic to the next body.
            topic.prestudy = item
        # Studied, not passed or voided: the topic is prepared (again) for the next body or another meeting.
        topic.status = TopicStatus.DECIDED if item.passed and not studied else topic_ready_status(topic)
        topic_save(topic, t_before, actor=actor, action="decided" if item.passed else "not_passed")
    Minutes.objects.get_or_create(meeting=meeting)
    _record_on_matters(actor, meeting)
    return meeting_save(meeting, before, actor=actor, action="close")


def _record_on_matters(actor: Any, meeting: Meeting) -> None:
    """A passed item whose topic came from a matter, taken by the last body on its route, is the matter's
    collective decision: recorded on the matter so its filing clock starts (reporting workflow)."""
    from soegov.matters import editing
    from soegov.matters.models import Matter, Status

    if meeting.held_at > timezone.now():
        return
    for item in meeting.items.select_related("topic").filter(passed=True, topic__matter__isnull=False):
        route = list(item.topic.route or [])
        if route and route[-1] != meeting.body.kind:
            continue
        matter = Matter.objects.get(pk=item.topic.matter_id)
        if matter.status != Status.DRAFT:
            continue
        editing.matter_record_decision(
            actor=actor, matter=matter, version=matter.version, body=meeting.body.name, decided_at=meeting.held_at,
            summary=(item.conclusion or f"{meeting.title}审议通过“{item.topic.title}”")[:2000])
