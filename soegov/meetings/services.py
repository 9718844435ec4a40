"""Writes on topics, meetings, votes and minutes: keyword-only, one transaction each, actor checked, audited.

Meeting writes lock the meeting row (select_for_update) and, where a form carries it, check the version the
actor saw, so two people recording at once never lose an update. Results always come from the engine's
`meeting_check`, fed by `engine_request(meeting)` built from the records here (never recounted elsewhere).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.files import file_scope, file_store
from soegov.core.locking import lock_current
from soegov.core.time import SHANGHAI
from soegov.enterprises.models import BodyMember, DecisionBody, Enterprise
from soegov.meetings import preparation
from soegov.meetings.ballots import ballot_problems, sign_ballot
from soegov.meetings.documents import freeze_record
from soegov.meetings.gates import ORGANISER_GATE, RUNNER_GATE
from soegov.meetings.models import (
    AgendaItem,
    Attendance,
    Category,
    Choice,
    MaterialCopy,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Notice,
    Recusal,
    ResultSource,
    Signature,
    Topic,
    TopicMaterial,
    TopicStatus,
    Vote,
    VotingMethod,
)
from soegov.meetings.nonvoting import parse_nonvoting
from soegov.meetings.selectors import ballot_tally
from soegov.notices import events as notice_events
from soegov.signatures import signing
from soegov.user_input import clean_money, clean_text

MEETING_FIELDS = ["status", "version", "held_at", "place", "form", "notice_sent_at", "results_at", "nonvoting_attendees"]
TOPIC_FIELDS = ["status", "version", "title", "category", "preparation", "disputed", "emergency", "prestudy"]
OPEN_STATES = (MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION)
# How long before its scheduled time a meeting may be opened; earlier it must be rescheduled and noticed again.
EARLY_OPENING = dt.timedelta(hours=1)


# --- permission, locking, input --------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting, version: Any = None, *, open_only: bool = True) -> Meeting:
    locked: Meeting = lock_current(Meeting.objects.select_related("enterprise", "body"), meeting.pk, version, "会议",
                                   "meeting")
    if open_only and locked.status not in OPEN_STATES:
        raise SoegovError("meeting_closed", f"会议已{locked.get_status_display()}，不能再修改会议记录的内容", "status",
                          "the meeting is closed; its records can no longer change")
    return locked


def _lock_topic(topic: Topic, version: Any = None) -> Topic:
    locked: Topic = lock_current(Topic.objects.select_related("enterprise"), topic.pk, version, "议题", "topic")
    return locked


def _save_meeting(meeting: Meeting, before: dict[str, Any], *, actor: Any, action: str, extra: Any = None) -> Meeting:
    meeting.version += 1
    meeting.save()
    after = snapshot(meeting, MEETING_FIELDS)
    audit_record(actor=actor, action=f"meeting.{action}", obj=meeting, before=before,
                 after=after | ({"detail": extra} if extra is not None else {}))
    return meeting


def _ready_status(topic: Topic) -> Any:
    """Prepared when the topic may go on an agenda (art. 11), else back to draft."""
    return TopicStatus.PREPARED if preparation.is_ready(topic) else TopicStatus.DRAFT


def _save_topic(topic: Topic, before: dict[str, Any], *, actor: Any, action: str) -> Topic:
    topic.version += 1
    topic.save()
    audit_record(actor=actor, action=f"topic.{action}", obj=topic, before=before, after=snapshot(topic, TOPIC_FIELDS))
    return topic


def _choice(value: Any, choices: Any, path: str, label: str) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        allowed = "、".join(str(lbl) for lbl in choices.labels)
        raise InputError("invalid_choice", f"{label}无效：{value!r}（可选：{allowed}）", path, f"{path} must be one of {choices.values}")
    return text


def _aware(value: Any, path: str, label: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputError("invalid_datetime", f"请填写{label}（YYYY-MM-DD HH:MM）", path, f"{path} must be a date-time") from None
    if not isinstance(value, dt.datetime):
        raise InputError("invalid_datetime", f"请填写{label}（YYYY-MM-DD HH:MM）", path, f"{path} must be a date-time")
    if timezone.is_naive(value):
        value = value.replace(tzinfo=SHANGHAI)
    return value


def _member(meeting: Meeting, member: Any) -> BodyMember:
    pk = member.pk if isinstance(member, BodyMember) else member
    try:
        return BodyMember.objects.get(pk=int(pk), body_id=meeting.body_id)
    except (BodyMember.DoesNotExist, ValueError, TypeError):
        raise InputError("not_a_member", f"成员 {member} 不是{meeting.body.name}的成员", "member",
                         "not a member of the meeting's body") from None


def _item(meeting: Meeting, item: Any) -> AgendaItem:
    pk = item.pk if isinstance(item, AgendaItem) else item
    try:
        return AgendaItem.objects.select_related("topic").get(pk=int(pk), meeting_id=meeting.pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise InputError("unknown_item", f"议程事项 {item} 不属于本次会议", "item", "not an item of this meeting") from None


# --- topics -----------------------------------------------------------------------------------------------


@ORGANISER_GATE.on("enterprise")
@transaction.atomic
def create_topic(*, actor: Any, enterprise: Enterprise, title: str, category: str, description: str = "",
                 matter: Any = None, amount: Any = None, staff_interests: bool = False,
                 route: list[str] | None = None) -> Topic:
    """A new topic (议题) by hand or from a matter; the route comes from the enterprise's decision list."""
    if matter is not None and matter.enterprise_id != enterprise.pk:
        raise InputError("wrong_enterprise", "该事项不属于本企业", "matter", "the matter belongs to another enterprise")
    topic = Topic(enterprise=enterprise, title=clean_text(title, "title", "议题名称", 200),
                  category=_choice(category, Category, "category", "事项类别"), description=str(description or "").strip(),
                  matter=matter, amount=(clean_money(amount, "amount", "金额", required=False) if amount not in ("", None)
                                        else getattr(matter, "amount", None)),
                  staff_interests=bool(staff_interests), created_by=acting_user(actor))
    if route is None:
        from soegov.meetings.decision_lists import route_for

        route = route_for(enterprise, topic.category, topic.amount, getattr(matter, "matter_type", None))
    topic.route = list(route)
    topic.save()
    audit_record(actor=actor, action="topic.create", obj=topic, after=snapshot(topic, TOPIC_FIELDS))
    return topic


@transaction.atomic
def topic_from_matter(*, actor: Any, matter: Any, category: str = "major_decision") -> Topic:
    """A topic for a matter that needs a collective decision, carrying its title, amount and description."""
    return create_topic(actor=actor, enterprise=matter.enterprise, title=matter.title, category=category,
                        description=matter.description, matter=matter, amount=matter.amount)


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def mark_step(*, actor: Any, topic: Topic, step: str, done: bool = True, note: str = "", version: Any = None) -> Topic:
    """Record one art. 11 preparation step of a topic as done (or undone), who and when."""
    topic = _lock_topic(topic, version)
    if step not in preparation.STEPS:
        raise InputError("unknown_step", f"未知的准备步骤：{step!r}", "step", f"unknown step {step!r}")
    if topic.status in (TopicStatus.SCHEDULED, TopicStatus.DECIDED):
        raise SoegovError("topic_locked", f"议题已{topic.get_status_display()}，准备记录不能再改", "status", "topic is locked")
    before = snapshot(topic, TOPIC_FIELDS)
    prep = dict(topic.preparation or {})
    prep[step] = {"done": bool(done), "at": timezone.localtime().isoformat(), "by": getattr(actor, "username", "system"),
                  "note": str(note or "").strip()[:500]}
    topic.preparation = prep
    topic.status = _ready_status(topic)
    return _save_topic(topic, before, actor=actor, action="prepare_step")


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def set_dispute(*, actor: Any, topic: Topic, disputed: bool, emergency: bool = False, version: Any = None) -> Topic:
    """Record that a topic is seriously disputed; without an emergency it is postponed (art. 15)."""
    topic = _lock_topic(topic, version)
    before = snapshot(topic, TOPIC_FIELDS)
    topic.disputed, topic.emergency = bool(disputed), bool(emergency)
    if topic.disputed and not topic.emergency and topic.status in (TopicStatus.DRAFT, TopicStatus.PREPARED):
        topic.status = TopicStatus.POSTPONED
    elif not topic.disputed and topic.status == TopicStatus.POSTPONED:
        topic.status = _ready_status(topic)
    return _save_topic(topic, before, actor=actor, action="dispute")


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def link_prestudy(*, actor: Any, topic: Topic, item: AgendaItem, version: Any = None) -> Topic:
    """Link the party committee's pre-study item (its conclusion) to this later board / GM office topic."""
    topic = _lock_topic(topic, version)
    if item.meeting.body.kind != "party_committee" or item.meeting.enterprise_id != topic.enterprise_id:
        raise InputError("not_prestudy", "只能关联本企业党委（党工委）会的前置研究议题", "prestudy",
                         "only the enterprise's party committee item can be the pre-study")
    if item.passed is not True:
        # The link is what the later pages read as "党委前置研究：研究通过": it may only record a pass that happened.
        said = "未通过" if item.passed is False else "尚未计票"
        raise InputError("prestudy_not_passed", f"该党委会议题{said}，不能作为前置研究关联（须经党委会研究通过）",
                         "prestudy", "only an item the party committee passed can be the pre-study")
    before = snapshot(topic, TOPIC_FIELDS)
    topic.prestudy = item
    topic.status = TopicStatus.PREPARED if preparation.is_ready(topic) else topic.status
    return _save_topic(topic, before, actor=actor, action="link_prestudy")


# --- meetings ---------------------------------------------------------------------------------------------


@RUNNER_GATE.on("body.enterprise")
@transaction.atomic
def create_meeting(*, actor: Any, body: DecisionBody, title: str, held_at: Any, place: str = "",
                   host: Any = None, recorder: str = "", nonvoting_attendees: str = "",
                   form: str = "meeting") -> Meeting:
    """Schedule a meeting of a decision body."""
    meeting = Meeting(enterprise=body.enterprise, body=body, title=clean_text(title, "title", "会议名称", 200),
                      held_at=_aware(held_at, "held_at", "会议时间"), place=clean_text(place, "place", "会议地点", 200, False),
                      recorder=clean_text(recorder, "recorder", "记录人", 50, False),
                      nonvoting_attendees=str(nonvoting_attendees or "").strip(),
                      form=_choice(form, MeetingForm, "form", "决策形式"),
                      created_by=acting_user(actor))
    if host not in (None, ""):
        pk = host.pk if isinstance(host, BodyMember) else host
        if not BodyMember.objects.filter(pk=pk, body=body).exists():
            raise InputError("not_a_member", "主持人应为该决策机构成员", "host", "the host must be a member")
        meeting.host_id = int(pk)
    else:
        meeting.host = body.members.filter(is_principal=True).first()
    meeting.save()
    audit_record(actor=actor, action="meeting.create", obj=meeting, after=snapshot(meeting, MEETING_FIELDS))
    return meeting


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def send_notice(*, actor: Any, meeting: Meeting, channel: str = "系统通知", version: Any = None) -> Meeting:
    """Send the formal notice to every voting member (art. 11(2)(2)), one recorded notice each."""
    meeting = _lock_meeting(meeting, version)
    before = snapshot(meeting, MEETING_FIELDS)
    now = timezone.now()
    sent = []
    noticed = []
    for member in meeting.body.members.select_related("user"):
        _, created = Notice.objects.get_or_create(meeting=meeting, member=member, defaults={
            "sent_at": now, "channel": channel[:40], "sent_by": acting_user(actor)})
        if created:
            sent.append(member.name)
            if member.user_id:
                noticed.append(member.user)
                from soegov.matters.models import Notification

                transaction.on_commit(lambda uid=member.user_id: Notification.objects.create(
                    user_id=uid, text=f"会议通知：{meeting.title}，{timezone.localtime(meeting.held_at):%Y-%m-%d %H:%M}，"
                    f"{meeting.place or '地点另行通知'}。请提前阅研会议材料。"[:300]))
    if noticed:
        # Where members read it too (企业微信 / 钉钉 / SMS, each member's choice), with the materials listed.
        materials = list(TopicMaterial.objects.filter(topic__agenda_items__meeting=meeting)
                         .order_by("topic__agenda_items__order", "pk").values_list("original_name", flat=True))
        notice_events.meeting_notice(noticed, meeting, materials)
    meeting.notice_sent_at = meeting.notice_sent_at or now
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.NOTIFIED
    return _save_meeting(meeting, before, actor=actor, action="notice", extra={"sent_to": sent})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def add_item(*, actor: Any, meeting: Meeting, topic: Topic, voting_method: str | None = None,
             ad_hoc: bool = False, version: Any = None) -> AgendaItem:
    """Put a topic on the agenda: only a prepared one, unless it is recorded as an ad-hoc motion (临时动议)."""
    meeting = _lock_meeting(meeting, version)
    topic = _lock_topic(topic)
    if topic.enterprise_id != meeting.enterprise_id:
        raise InputError("wrong_enterprise", "该议题不属于本企业", "topic", "topic belongs to another enterprise")
    if meeting.items.filter(topic=topic).exists():
        raise InputError("duplicate_item", "该议题已在本次会议议程中", "topic", "topic already on the agenda")
    if topic.status in (TopicStatus.SCHEDULED, TopicStatus.DECIDED):
        raise InputError("topic_taken", f"该议题{topic.get_status_display()}，不能再列入本次会议", "topic",
                         "the topic is already scheduled or decided")
    if not ad_hoc:
        if meeting.status == MeetingStatus.IN_SESSION:
            raise InputError("agenda_fixed", "会议已开始，议程已确定；会上提出的议题只能作为临时动议记录（第十四条）",
                             "topic", "the agenda is fixed once the meeting has begun")
        missing = preparation.missing(topic, body_kind=meeting.body.kind)
        if topic.status == TopicStatus.POSTPONED:
            raise InputError("postponed", "该议题存在较大争议，已暂缓上会（《寻甸县县属国有及国有控股企业落实“三重一大”决策制度实施办法(试行)》第十五条）",
                             "topic", "the topic is disputed and postponed (art. 15)")
        if missing:
            raise InputError("not_prepared", "议题尚未完成会前准备，不能列入议程（第十一条、第十四条）。尚缺："
                             + "；".join(missing), "topic", "the topic is not prepared: " + ", ".join(missing))
    if voting_method in (None, ""):
        voting_method = "ballot" if topic.category == Category.PERSONNEL else "show_of_hands"
    method = _choice(voting_method, VotingMethod, "voting_method", "表决方式")
    before = snapshot(meeting, MEETING_FIELDS)
    order = (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, topic=topic, order=order, voting_method=method,
                                     on_agenda=not ad_hoc)
    topic_before = snapshot(topic, TOPIC_FIELDS)
    topic.status = TopicStatus.SCHEDULED
    _save_topic(topic, topic_before, actor=actor, action="schedule")
    _save_meeting(meeting, before, actor=actor, action="add_item",
                  extra={"item": item.pk, "topic": topic.pk, "ad_hoc": ad_hoc, "voting_method": method})
    return item


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def distribute_materials(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Record that the materials of every agenda item were sent to the members now (art. 11(2)(1))."""
    meeting = _lock_meeting(meeting, version)
    before = snapshot(meeting, MEETING_FIELDS)
    now = timezone.now()
    items = list(meeting.items.filter(materials_sent_at__isnull=True))
    for item in items:
        item.materials_sent_at = now
        item.save(update_fields=["materials_sent_at"])
    return _save_meeting(meeting, before, actor=actor, action="distribute", extra={"items": [i.pk for i in items]})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def open_meeting(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Open the session: from now the agenda is fixed and attendance and votes are recorded."""
    meeting = _lock_meeting(meeting, version)
    before = snapshot(meeting, MEETING_FIELDS)
    now = timezone.now()
    if now < meeting.held_at - EARLY_OPENING:
        raise SoegovError("too_early", f"会议定于{timezone.localtime(meeting.held_at, SHANGHAI):%Y-%m-%d %H:%M}召开；"
                          "如需提前，请先修改会议时间并重新通知", "held_at",
                          "the meeting is scheduled later; reschedule and notify again to hold it earlier")
    extra = None
    if now < meeting.held_at:
        # Opened a little early: the record (and every deadline counted from it) carries the actual time.
        extra = {"scheduled_at": meeting.held_at.isoformat(), "opened_at": now.isoformat()}
        meeting.held_at = now
    meeting.status = MeetingStatus.IN_SESSION
    ballots = list(meeting.items.filter(voting_method="ballot").select_related("topic").order_by("order"))
    if ballots:
        voters = [m.user for m in meeting.body.members.select_related("user") if m.user_id]
        notice_events.vote_waiting(voters, meeting, [i.topic.title for i in ballots])
    return _save_meeting(meeting, before, actor=actor, action="open", extra=extra)


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def record_attendance(*, actor: Any, meeting: Meeting, member: Any, present: bool, absence_reason: str = "",
                      written_opinion: str = "", opinion_item: Any = None, version: Any = None) -> Attendance:
    """Record one member present or absent (with reason and an optional written opinion, art. 11(2)(2)).

    A written opinion concerns one item (`opinion_item`; implied when the agenda has one item); recording him
    absent again with an opinion on another item adds it, so each item carries only what was written on it.
    """
    meeting = _lock_meeting(meeting, version)
    person = _member(meeting, member)
    reason = clean_text(absence_reason, "absence_reason", "缺席原因", 200, required=False)
    if not present and not reason:
        raise InputError("required", f"请填写{person.name}的缺席原因", "absence_reason", "absence reason is required")
    words = clean_text(written_opinion, "written_opinion", "书面意见", 5000, required=False)
    old = Attendance.objects.filter(meeting=meeting, member=person).first()
    if not present and Vote.objects.filter(item__meeting=meeting, member=person).exists():
        raise InputError("has_voted", f"已记录{person.name}在本次会议上的表决，不能再登记为缺席", "member",
                         "the member has voted at this meeting")
    opinions = dict(old.opinions or {}) if old is not None and not old.present else {}
    if words and not present:
        if opinion_item in (None, ""):
            items = list(meeting.items.all()[:2])
            if len(items) != 1:
                raise InputError("required", f"请选择{person.name}的书面意见所涉的议题", "opinion_item",
                                 "choose the item the written opinion concerns")
            target = items[0]
        else:
            target = _item(meeting, opinion_item)
        opinions[str(target.pk)] = words
    before = snapshot(meeting, MEETING_FIELDS)
    row, _ = Attendance.objects.update_or_create(meeting=meeting, member=person, defaults={
        "present": bool(present), "absence_reason": "" if present else reason, "written_opinion": "",
        "opinions": {} if present else opinions,
        "recorded_by": acting_user(actor), "recorded_at": timezone.now()})
    _save_meeting(meeting, before, actor=actor, action="attendance", extra={
        "member": person.name, "before": snapshot(old, ["present", "absence_reason", "opinions"]) if old else None,
        "present": row.present, "absence_reason": row.absence_reason, "opinions": row.opinions})
    return row


def nonvoting_list(meeting: Meeting) -> list[tuple[str, str]]:
    """The meeting's non-voting attendees (列席) as (name, position), from "姓名（职务）、…"."""
    return parse_nonvoting(meeting.nonvoting_attendees)


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def set_nonvoting(*, actor: Any, meeting: Meeting, name: str, position: str = "", remove: bool = False,
                  version: Any = None) -> Meeting:
    """Add (or remove) one non-voting attendee (列席, e.g. the legal counsel): minuted, not counted (art. 17)."""
    # Also after the session, while the record is still open: the record must name who attended.
    meeting = _lock_meeting(meeting, version, open_only=False)
    if meeting.status == MeetingStatus.ARCHIVED:
        raise SoegovError("archived", "会议记录已归档锁定，不能修改列席人员", "status", "the minutes are archived")
    who = clean_text(name, "nonvoting_name", "列席人员姓名", 50)
    role = clean_text(position, "nonvoting_position", "列席人员职务", 50, required=not remove)
    for bad in "、,，;；\n（）()":
        if bad in who + role:
            raise InputError("invalid_text", "列席人员姓名和职务中不能含有顿号、逗号、分号或括号", "nonvoting_name",
                             "name and position cannot contain separators or brackets")
    people = [p for p in nonvoting_list(meeting) if p[0] != who]
    if not remove:
        people.append((who, role))
    before = snapshot(meeting, MEETING_FIELDS)
    meeting.nonvoting_attendees = "、".join(f"{n}（{r}）" if r else n for n, r in people)
    return _save_meeting(meeting, before, actor=actor, action="nonvoting", extra={"name": who, "removed": remove})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def record_recusal(*, actor: Any, meeting: Meeting, item: Any, member: Any, recused: bool = True, reason: str = "",
                   version: Any = None) -> AgendaItem:
    """Record (or withdraw) a member's recusal from one item (art. 16); his vote on it, if any, is removed."""
    meeting = _lock_meeting(meeting, version)
    row = _item(meeting, item)
    person = _member(meeting, member)
    before = snapshot(meeting, MEETING_FIELDS)
    removed = None
    if recused:
        Recusal.objects.update_or_create(item=row, member=person, defaults={"reason": str(reason or "").strip()[:200]})
        old = Vote.objects.filter(item=row, member=person).first()
        if old is not None:
            secret = row.voting_method == VotingMethod.BALLOT
            removed = {"voted": True} if secret else {"choice": old.choice, "opinion": old.opinion}
            old.delete()
    else:
        Recusal.objects.filter(item=row, member=person).delete()
    _save_meeting(meeting, before, actor=actor, action="recusal",
                  extra={"item": row.pk, "member": person.name, "recused": bool(recused), "reason": reason,
                         "vote_removed": removed})
    return row


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def record_statements(*, actor: Any, meeting: Meeting, item: Any, order: list[Any], version: Any = None) -> AgendaItem:
    """Record the order in which members stated their views on an item (the principal should be last)."""
    meeting = _lock_meeting(meeting, version)
    row = _item(meeting, item)
    ids = [_member(meeting, m).pk for m in order]
    if len(set(ids)) != len(ids):
        raise InputError("duplicate_member", "表态顺序中有重复成员", "statements", "a member appears twice")
    before = snapshot(meeting, MEETING_FIELDS)
    old = list(row.statements or [])
    row.statements = ids
    row.save(update_fields=["statements"])
    _save_meeting(meeting, before, actor=actor, action="statements", extra={"item": row.pk, "before": old, "after": ids})
    return row


def _can_cast_own_ballot(actor: Any, person: BodyMember) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and person.user_id == actor.pk


@transaction.atomic
def record_vote(*, actor: Any, meeting: Meeting, item: Any, member: Any, choice: str, opinion: str = "",
                version: Any = None, key: Any = None) -> Vote:
    """Record one member's vote and his words on one item.

    The secretary records oral and show-of-hands votes; on a ballot item a member with an account (linked via
    BodyMember.user) casts his ballot himself and signs it with his SM2 key (`key`, opened with his PIN), so
    nobody can fill in or change his ballot; for a member without an account the secretary records his paper ballot.
    """
    meeting = _lock_meeting(meeting, version)
    row = _item(meeting, item)
    person = _member(meeting, member)
    own = _can_cast_own_ballot(actor, person)
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
    value = _choice(choice, Choice, "choice", "表决意见")
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
        sign_ballot(actor=actor, key=key, vote=vote)
    # A ballot stays secret in the audit trail of the meeting: the entry says that he voted, not how.
    detail: dict[str, Any] = {"item": row.pk, "member": person.name}
    if row.voting_method != VotingMethod.BALLOT:
        detail |= {"choice": value, "before": old.choice if old else None}
    if row.result_source == ResultSource.DECLARED:
        # The votes are the record: a result declared before this vote must be declared again against them.
        detail |= {"declared_cleared": {"passed": row.passed, "result_source": row.result_source}}
        row.passed, row.result, row.result_source = None, None, ""
        row.save(update_fields=["passed", "result", "result_source"])
    _save_meeting(meeting, before, actor=actor, action="vote", extra=detail)
    return vote


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def set_conclusion(*, actor: Any, meeting: Meeting, item: Any, conclusion: str, version: Any = None) -> AgendaItem:
    """Record the decision wording of one item (what the meeting decided)."""
    meeting = _lock_meeting(meeting, version)
    row = _item(meeting, item)
    before = snapshot(meeting, MEETING_FIELDS)
    row.conclusion = clean_text(conclusion, "conclusion", "决定事项", 5000, required=False)
    row.save(update_fields=["conclusion"])
    _save_meeting(meeting, before, actor=actor, action="conclusion", extra={"item": row.pk})
    return row


# --- results from the engine ------------------------------------------------------------------------------


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
    nonvoting += [n for n, _ in nonvoting_list(meeting) if n not in nonvoting and n not in by_id.values()]
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
    row = _item(meeting, item)
    return [f"{v['message']}（{v['citation']['document']} 第{v['citation']['article']}条）"
            for v in result["violations"] if v["item"] == str(row.pk) and v["code"] == "principal_not_last"]


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def compute_results(*, actor: Any, meeting: Meeting, version: Any = None) -> dict[str, Any] | None:
    """Run the engine on the records and store each item's passed / violations; None when no meeting rules."""
    meeting = _lock_meeting(meeting, version)
    unproven = ballot_problems(meeting)
    if unproven:
        raise SoegovError("ballot_signature", "以下选票无法以投票人本人的电子签名核验，不能计票：" + "；".join(unproven),
                          "votes", "a ballot's signature is missing or does not match")
    result = check(meeting)
    if result is None:
        return None
    before = snapshot(meeting, MEETING_FIELDS)
    by_id = {str(r["id"]): r for r in result["items"]}
    for item in meeting.items.all():
        r = by_id.get(str(item.pk))
        if r is None:
            continue
        item.passed, item.violations, item.result = bool(r["passed"]), list(r["violations"]), r
        item.result_source = ResultSource.ENGINE
        item.save(update_fields=["passed", "violations", "result", "result_source"])
    meeting.result, meeting.results_at = result, timezone.now()
    _save_meeting(meeting, before, actor=actor, action="results",
                  extra={"items": {k: v["passed"] for k, v in by_id.items()}})
    return result


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def declare_result(*, actor: Any, meeting: Meeting, item: Any, passed: Any, version: Any = None) -> AgendaItem:
    """Register the result the meeting announced for one item, where no meeting rules let the engine compute it.

    Only for a meeting the engine cannot check (a jurisdiction without meeting rules, or a body its rules do not
    name) and only while the meeting is in session; an engine result is never replaced. The recorded votes stay
    the record: "passed" is refused when more recorded votes are against than for, or when no vote for is recorded.
    """
    meeting = _lock_meeting(meeting, version)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise SoegovError("not_in_session", "会议尚未开始（或已结束），不能登记表决结果", "status", "the meeting is not in session")
    if meeting_policy(meeting) is not None:
        raise SoegovError("engine_has_rules", "本次会议适用的制度规定了会议规则，表决结果由规则引擎按会议记录计算，不能手工登记",
                          "passed", "the meeting rules apply: the engine computes the result")
    row = _item(meeting, item)
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
    _save_meeting(meeting, before, actor=actor, action="declare", extra={
        "item": row.pk, "before": old, "after": {"passed": value, "result_source": ResultSource.DECLARED}, "tally": counts})
    return row


@transaction.atomic
def close_meeting(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Close the session: results are computed one last time and the decided topics marked."""
    if Meeting.objects.filter(pk=meeting.pk).exclude(status=MeetingStatus.IN_SESSION).exists():
        raise SoegovError("not_in_session", "会议尚未开始（或已结束），不能结束会议", "status", "the meeting is not in session")
    compute_results(actor=actor, meeting=meeting, version=version)
    meeting = _lock_meeting(meeting)
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
        topic.status = TopicStatus.DECIDED if item.passed and not studied else _ready_status(topic)
        _save_topic(topic, t_before, actor=actor, action="decided" if item.passed else "not_passed")
    Minutes.objects.get_or_create(meeting=meeting)
    _record_on_matters(actor, meeting)
    return _save_meeting(meeting, before, actor=actor, action="close")


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


# --- minutes ----------------------------------------------------------------------------------------------


def _lock_minutes(meeting: Meeting, version: Any = None) -> Minutes:
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    minutes = lock_current(Minutes.objects.all(), minutes.pk, version, "会议记录", "minutes")
    if minutes.status == MinutesStatus.ARCHIVED:
        raise SoegovError("archived", "会议记录已归档锁定，不能修改（第十七条：存档备查）", "status", "the minutes are archived")
    return minutes


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def edit_minutes(*, actor: Any, meeting: Meeting, nonvoting_opinions: str = "", disagreements: str = "",
                 summary: str = "", doc_number: str = "", version: Any = None) -> Minutes:
    """Write the parts of the record the votes do not give (art. 17(4)(5)) and the summary text (art. 18)."""
    minutes = _lock_minutes(meeting, version)
    fields = ["nonvoting_opinions", "disagreements", "summary", "doc_number", "version"]
    before = snapshot(minutes, fields)
    minutes.nonvoting_opinions = str(nonvoting_opinions or "").strip()
    minutes.disagreements = str(disagreements or "").strip()
    minutes.summary = str(summary or "").strip()
    minutes.doc_number = clean_text(doc_number, "doc_number", "纪要编号", 60, required=False)
    minutes.version += 1
    minutes.save()
    audit_record(actor=actor, action="minutes.edit", obj=minutes, before=before, after=snapshot(minutes, fields))
    signed = list(minutes.signatures.select_related("member"))
    if signed:
        # Their signatures cover the text as it was; the changed record must be signed again.
        minutes.signatures.all().delete()
        audit_record(actor=actor, action="minutes.signatures_void", obj=minutes,
                     before={"signed": [s.member.name for s in signed]}, after={"signed": []})
    return minutes


def own_seat(actor: Any, meeting: Meeting) -> BodyMember:
    """The actor's own seat on the meeting's body; nobody acts in another member's name."""
    seat = (BodyMember.objects.filter(body=meeting.body, user=actor).first()
            if actor is not None and getattr(actor, "pk", None) else None)
    if seat is None:
        raise PermissionDenied("只有出席会议的成员本人登录后才能在会议记录上签字；秘书、管理员或其他任何人都不能代签")
    return seat


@transaction.atomic
def sign_minutes(*, actor: Any, meeting: Meeting, key: Any) -> Any:
    """A present member signs the record himself: his SM2 key (opened with his own PIN) signs the frozen record."""
    person = own_seat(actor, meeting)
    if meeting.status != MeetingStatus.CLOSED:
        raise SoegovError("not_closed", "会议结束后才能签署会议记录", "status", "sign after the meeting is closed")
    minutes = _lock_minutes(meeting)
    if not meeting.attendance.filter(member=person, present=True).exists():
        raise InputError("not_present", f"{person.name}未出席本次会议，不在会议记录上签字（第十七条：由参加会议的人员签字）",
                         "member", "only those present sign")
    earlier = Signature.objects.filter(minutes=minutes, member=person).first()
    if earlier is not None:
        raise InputError("already_signed", f"{person.name}已于{timezone.localtime(earlier.signed_at):%Y-%m-%d %H:%M}签字，"
                         "不能重复签字", "member", "already signed")
    document = freeze_record(actor=actor, meeting=meeting, minutes=minutes)
    record = signing.sign_as_person(actor=actor, key=key, purpose="minutes.sign", ref=document.ref,
                                    document=document)
    sig = Signature.objects.create(minutes=minutes, member=person, signed_at=record.signed_at,
                                   recorded_by=acting_user(actor))
    audit_record(actor=actor, action="minutes.sign", obj=minutes, after={
        "member": person.name, "signed_at": sig.signed_at.isoformat(), "document": document.ref,
        "revision": document.revision, "certificate": record.certificate.serial})
    return sig


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def archive_minutes(*, actor: Any, meeting: Meeting, version: Any = None) -> Minutes:
    """Archive and lock the record once every present member has signed (art. 17)."""
    minutes = _lock_minutes(meeting, version)
    present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    signed = set(minutes.signatures.values_list("member_id", flat=True))
    unsigned = BodyMember.objects.filter(pk__in=present - signed).values_list("name", flat=True)
    if unsigned:
        raise InputError("unsigned", "以下出席人员尚未签字，不能归档：" + "、".join(unsigned), "signatures",
                         "not every member present has signed")
    before = snapshot(minutes, ["status", "version"])
    minutes.status, minutes.archived_at = MinutesStatus.ARCHIVED, timezone.now()
    minutes.archived_by = acting_user(actor)
    minutes.version += 1
    minutes.save()
    m_before = snapshot(meeting, MEETING_FIELDS)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    meeting.status = MeetingStatus.ARCHIVED
    _save_meeting(meeting, m_before, actor=actor, action="archive")
    audit_record(actor=actor, action="minutes.archive", obj=minutes, before=before, after=snapshot(minutes, ["status", "version"]))
    return minutes


# --- materials --------------------------------------------------------------------------------------------


@ORGANISER_GATE.on("topic.enterprise")
def upload_material(*, actor: Any, topic: Topic, name: str, data: bytes) -> Any:
    """Store a topic's material by its hash (same store and content checks as matter attachments)."""
    from pathlib import Path

    with file_scope(), transaction.atomic():
        stored = file_store(data, label="决策材料")
        locked = _lock_topic(topic)
        if locked.status == TopicStatus.DECIDED:
            raise SoegovError("topic_locked", "议题已决策，材料不能再改", "status", "topic is decided")
        before = snapshot(locked, TOPIC_FIELDS)
        base = Path(str(name or "")).stem[:200] or "决策材料"
        material = TopicMaterial.objects.create(topic=locked, original_name=f"{base}.{stored.extension}",
                                                content_type=stored.content_type, size=stored.size,
                                                sha256=stored.sha256, uploaded_by=acting_user(actor))
        if locked.status == TopicStatus.DRAFT and preparation.is_ready(locked):
            locked.status = TopicStatus.PREPARED
        _save_topic(locked, before, actor=actor, action="material")
        audit_record(actor=actor, action="topic.material_upload", obj=material,
                     after={"topic": locked.pk, "sha256": stored.sha256, "size": stored.size})
    return material


# --- numbered copies (art. 19) ----------------------------------------------------------------------------


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def issue_copy(*, actor: Any, meeting: Meeting, holder: str, what: str = "会议材料") -> Any:
    """Issue the next numbered paper copy of the meeting's materials or minutes to a person."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    number = (meeting.copies.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    copy = MaterialCopy.objects.create(meeting=meeting, number=number, holder=clean_text(holder, "holder", "领取人", 50),
                                       what=clean_text(what, "what", "材料", 100, required=False) or "会议材料")
    audit_record(actor=actor, action="meeting.copy_issue", obj=copy,
                 after={"meeting": meeting.pk, "number": number, "holder": copy.holder, "what": copy.what})
    return copy


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def copy_step(*, actor: Any, meeting: Meeting, copy: Any, step: str) -> Any:
    """Record a numbered copy recovered or destroyed (a copy is recovered before it is destroyed)."""
    try:
        row = MaterialCopy.objects.select_for_update().get(pk=int(copy), meeting=meeting)
    except (MaterialCopy.DoesNotExist, ValueError, TypeError):
        raise InputError("unknown_copy", "没有这一份材料", "copy", "no such copy") from None
    before = snapshot(row, ["recovered_at", "destroyed_at"])
    if step == "recover" and row.recovered_at is None:
        row.recovered_at = timezone.now()
    elif step == "destroy":
        if row.recovered_at is None:
            raise InputError("not_recovered", f"第{row.number}份尚未回收，不能登记销毁", "copy", "recover it first")
        row.destroyed_at = row.destroyed_at or timezone.now()
    else:
        raise InputError("invalid_step", "无效的操作", "step", "recover or destroy")
    row.save()
    audit_record(actor=actor, action=f"meeting.copy_{step}", obj=row, before=before,
                 after=snapshot(row, ["recovered_at", "destroyed_at"]))
    return row
