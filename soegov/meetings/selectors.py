"""Reads of the meetings app, scoped to what the user may see.

Interface other apps build on (stable names):

- models (`soegov.meetings.models`): `Topic` (enterprise, title, category in major_decision / personnel /
  major_project / large_fund, optional `matter` FK to matters.Matter), `Meeting` (enterprise, body FK
  enterprises.DecisionBody, title, `held_at` aware datetime of the session, status in scheduled / notified /
  in_session / closed / archived), `AgendaItem` (meeting, topic, order, `voting_method` oral / show_of_hands /
  ballot, `on_agenda` False for an ad-hoc motion, `passed` bool or None before results, `violations` = the
  engine's violation dicts each with "code", "message", "citation", "voids"), `Attendance` (meeting, member
  FK BodyMember, present, absence_reason, written_opinion), `Vote` (item, member FK BodyMember, `choice`
  for / against / abstain, `opinion` = the member's own words), `Recusal` (item, member, reason),
  `Minutes` / `Signature` / `MaterialCopy` (art. 17–19), `DecisionList` (art. 23).
- selectors (here): `item_positions(item)` → one dict per member of the body:
  {"member": BodyMember, "name", "present": bool, "recused": bool, "vote": "for"|"against"|"abstain"|None,
  "opinion": str, "voted": bool, "secret": bool (a ballot item)}; `visible_positions(item, viewer_member)` the
  same with ballot choices and words hidden from all but the voter (use it for anything shown or sent);
  `meeting_list(user)` scoped; `meeting_get(user=, pk=)`; `decided_items(user)` for the
  supervisor's browse page (items with results, of enterprises the user may see); `can_read_minutes(user,
  meeting)` (art. 19: body members, the enterprise's secretary, the supervisor's staff of the jurisdiction).
- writes (all keyword-only with `actor`): `soegov.meetings.topics` (`topic_create`, `topic_from_matter`,
  `topic_step_mark`, `material_upload`, `dispute_set`, `prestudy_link`); `soegov.meetings.sessions`
  (`meeting_create`, `notice_send`, `item_add(ad_hoc=)`, `materials_distribute`, `meeting_open`,
  `attendance_record`, `recusal_record`, `statements_record`); `soegov.meetings.voting` (`vote_record`,
  `conclusion_set`); `soegov.meetings.results` (`results_compute`: engine `meeting_check` fed by
  `engine_request(meeting)`; `result_declare`, `meeting_close`); `soegov.meetings.minutes` (`minutes_edit`,
  `minutes_sign`, `minutes_archive`).
- test factories: `tests/meetings/factories.py` (`BodyWithMembersFactory`-style helpers `make_body`,
  `MeetingFactory`, `TopicFactory`, `prepared_topic`, `AgendaItemFactory`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from soegov.accounts.roles import SUPERVISOR_ROLES, Role
from soegov.core.paging import Filter
from soegov.core.scoping import scoped_get
from soegov.enterprises.models import BodyMember
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.meetings.models import (
    AgendaItem,
    Attendance,
    DecisionList,
    ListStatus,
    Meeting,
    MeetingStatus,
    Signature,
    Topic,
    TopicStatus,
)


def item_positions(item: AgendaItem, *, present: dict[int, bool] | None = None,
                   members: list[BodyMember] | None = None) -> list[dict[str, Any]]:
    """Every member of the item's body with attendance, recusal, vote and words on this item.

    The full record, for the engine and the minutes' custody only: on a ballot item (`secret` True) a page, an
    export or an API answer must go through `visible_positions`, which shows each choice to the voter alone.
    A page listing every item passes the meeting's `present` (member id → present) and body `members` once, and
    prefetches the items' "votes" and "recusals", so no item costs a query of its own.
    """
    meeting = item.meeting
    if present is None:
        present = {a.member_id: a.present for a in meeting.attendance.all()}
    recused = {r.member_id for r in item.recusals.all()}
    votes = {v.member_id: v for v in item.votes.all()}
    rows = []
    for member in BodyMember.objects.filter(body_id=meeting.body_id) if members is None else members:
        vote = votes.get(member.pk)
        rows.append({"member": member, "name": member.name, "present": bool(present.get(member.pk, False)),
                     "recused": member.pk in recused, "vote": vote.choice if vote else None,
                     "opinion": vote.opinion if vote else "", "voted": vote is not None,
                     "secret": item.voting_method == "ballot"})
    return rows


def visible_positions(item: AgendaItem, viewer: BodyMember | None = None, *, present: dict[int, bool] | None = None,
                      members: list[BodyMember] | None = None) -> list[dict[str, Any]]:
    """item_positions as anyone may be shown them: on a ballot item only the voter (`viewer`) sees his own
    choice and words; for everyone else a ballot reads "voted" (`voted` True, `vote` None, no opinion)."""
    rows = item_positions(item, present=present, members=members)
    if item.voting_method != "ballot":
        return rows
    for row in rows:
        if viewer is None or row["member"].pk != viewer.pk:
            row["vote"], row["opinion"] = None, ""
    return rows


def ballot_tally(item: AgendaItem) -> dict[str, int]:
    """The recorded votes of an item counted by choice (voting members only): what a ballot makes public, and
    the reference count for any item (not a verified result)."""
    counts = {"for": 0, "against": 0, "abstain": 0}
    for choice in item.votes.filter(member__voting=True).values_list("choice", flat=True):
        counts[choice] += 1
    return counts


def pending_ballots(user: Any) -> QuerySet[AgendaItem]:
    """Ballot items the user must still cast himself: his seat's meeting in session, he present, not recused,
    not yet voted (the other methods are recorded by the secretary). One query however many seats he holds."""
    if user is None or not getattr(user, "pk", None):
        return AgendaItem.objects.none()
    from django.db.models import Exists, OuterRef

    from soegov.meetings.models import Attendance, Recusal, Vote

    # A person holds one seat per body, so "his row" in a meeting or an item is the row of a member who is him.
    seat = BodyMember.objects.filter(body_id=OuterRef("meeting__body_id"), user_id=user.pk)
    absent = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), member__user_id=user.pk, present=False)
    recused = Recusal.objects.filter(item_id=OuterRef("pk"), member__user_id=user.pk)
    voted = Vote.objects.filter(item_id=OuterRef("pk"), member__user_id=user.pk)
    return (AgendaItem.objects.filter(Exists(seat), meeting__status="in_session", voting_method="ballot")
            .exclude(Exists(absent)).exclude(Exists(recused)).exclude(Exists(voted))
            .select_related("meeting", "topic", "meeting__enterprise").order_by("meeting__held_at", "order"))


def holds_seat(user: Any) -> bool:
    """Whether the user sits on some decision body (BodyMember.user)."""
    return bool(getattr(user, "pk", None)) and BodyMember.objects.filter(user_id=user.pk).exists()


# What the meeting and topic lists filter by, and the fields their keyword searches.
MEETING_FILTERS = (Filter("status", "状态", "status", "choice", MeetingStatus.choices),
                   Filter("enterprise", "企业", "enterprise_id", "int"),
                   Filter("year", "年度", "held_at__year", "year"))
TOPIC_FILTERS = (Filter("status", "状态", "status", "choice", TopicStatus.choices),
                 Filter("enterprise", "企业", "enterprise_id", "int"))

MEETING_SEARCH = ("title", "enterprise__name")
TOPIC_SEARCH = ("title", "enterprise__name")


def meeting_list(user: Any, *, status: str = "", enterprise_id: int | None = None) -> QuerySet[Meeting]:
    """Meetings of enterprises the user may see, most recent first."""
    qs = Meeting.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "body")
    if status:
        qs = qs.filter(status=status)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def meeting_get(*, user: Any, pk: Any) -> Meeting:
    """One meeting the user may see, else 404 (an out-of-scope attempt is audited)."""
    return scoped_get(meeting_list(user), user=user, pk=pk)


def topic_list(user: Any, *, status: str = "") -> QuerySet[Topic]:
    """Topics of enterprises the user may see."""
    qs = Topic.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise", "matter")
    return qs.filter(status=status) if status else qs


def topic_get(*, user: Any, pk: Any) -> Topic:
    """One topic the user may see, else 404."""
    return scoped_get(topic_list(user), user=user, pk=pk)


def decided_items(user: Any, *, enterprise_id: int | None = None, q: str = "") -> QuerySet[AgendaItem]:
    """Items with a computed result, of enterprises the user may see (the supervisor's browse page)."""
    qs = (AgendaItem.objects.filter(enterprise_scope_q(user, "meeting__enterprise__"), passed__isnull=False)
          .select_related("meeting", "meeting__enterprise", "meeting__body", "topic")
          .order_by("-meeting__held_at", "order"))
    if enterprise_id:
        qs = qs.filter(meeting__enterprise_id=enterprise_id)
    if q:
        qs = qs.filter(Q(topic__title__icontains=q) | Q(meeting__enterprise__name__icontains=q))
    return qs


def item_choices(user: Any, *, enterprise_id: int | None, current: int | None, limit: int = 300) -> list[AgendaItem]:
    """Decided items a case may name as its collective decision: the chosen enterprise's (else every enterprise's
    in scope), newest first by enterprise, at most `limit`, and the item already chosen even if older."""
    qs = decided_items(user, enterprise_id=enterprise_id).order_by("meeting__enterprise__path", "-meeting__held_at",
                                                                     "order")
    items = list(qs[:limit])
    if current is not None and current not in {i.pk for i in items}:
        items += list(qs.filter(pk=current))
    return items


def can_read_minutes(user: Any, meeting: Meeting) -> bool:
    """Art. 19: the body's members, the enterprise's secretary and the supervisor's staff of the jurisdiction."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.SECRETARY and user.enterprise_id == meeting.enterprise_id:
        return True
    if user.role in SUPERVISOR_ROLES and user.jurisdiction_id == meeting.enterprise.jurisdiction_id:
        return True
    return seat_of(user, meeting) is not None


def seat_of(user: Any, meeting: Meeting) -> BodyMember | None:
    """The user's own seat on the meeting's body, if he has one."""
    if user is None or not getattr(user, "pk", None):
        return None
    return BodyMember.objects.filter(body_id=meeting.body_id, user_id=user.pk).first()


def decision_lists(user: Any) -> QuerySet[DecisionList]:
    """Decision lists the user may see; the supervisor's staff see only filed ones."""
    qs = DecisionList.objects.filter(enterprise_scope_q(user, "enterprise__")).select_related("enterprise")
    if getattr(user, "role", None) in SUPERVISOR_ROLES:
        qs = qs.filter(status=ListStatus.FILED)
    return qs


def decision_list_get(*, user: Any, pk: Any) -> DecisionList:
    """One decision list the user may see, else 404."""
    return scoped_get(decision_lists(user), user=user, pk=pk)


def minutes_to_sign(user: Any) -> QuerySet[Meeting]:
    """Closed meetings whose record waits for the user's own signature (he attended; he has not signed), oldest first."""
    if user is None or not getattr(user, "pk", None):
        return Meeting.objects.none()
    present = Attendance.objects.filter(meeting_id=OuterRef("pk"), member__user_id=user.pk, present=True)
    signed = Signature.objects.filter(minutes__meeting_id=OuterRef("pk"), member__user_id=user.pk)
    return (Meeting.objects.filter(status=MeetingStatus.CLOSED, minutes__isnull=False)
            .filter(Exists(present)).exclude(Exists(signed)).select_related("enterprise", "body").order_by("held_at", "id"))


def seated_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the bodies the user sits on (whatever their enterprise): those whose record he may sign."""
    if user is None or not getattr(user, "pk", None):
        return Meeting.objects.none()
    return Meeting.objects.filter(body__members__user_id=user.pk).distinct().select_related("enterprise", "body")
