"""Writes on a meeting's session: scheduling, the notice, the agenda, materials and their numbered copies
(art. 19), opening, attendance, non-voting attendees, recusals and the order of statements.

Writes are keyword-only, one transaction each, the actor checked (meetings.gates), audited. Meeting writes
lock the meeting row (select_for_update) and, where a form carries it, check the version the actor saw, so
two people recording at once never lose an update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.time import SHANGHAI
from soegov.enterprises.models import BodyMember, DecisionBody
from soegov.meetings import preparation
from soegov.meetings.gates import RUNNER_GATE
from soegov.meetings.models import (
    AgendaItem,
    Attendance,
    Category,
    MaterialCopy,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Notice,
    Recusal,
    Topic,
    TopicMaterial,
    TopicStatus,
    Vote,
    VotingMethod,
)
from soegov.meetings.nonvoting import RESERVED, join_nonvoting, parse_nonvoting
from soegov.meetings.saving import (
    MEETING_FIELDS,
    TOPIC_FIELDS,
    choice_value,
    item_of,
    meeting_lock,
    meeting_save,
    member_of,
    topic_lock,
    topic_save,
)
from soegov.notices import events as notice_events
from soegov.user_input import clean_datetime, clean_text

# How long before its scheduled time a meeting may be opened; earlier it must be rescheduled and noticed again.
EARLY_OPENING = dt.timedelta(hours=1)


@RUNNER_GATE.on("body.enterprise")
@transaction.atomic
def meeting_create(*, actor: Any, body: DecisionBody, title: str, held_at: Any, place: str = "",
                   host: Any = None, recorder: str = "", nonvoting_attendees: str = "",
                   form: str = "meeting") -> Meeting:
    """Schedule a meeting of a decision body."""
    meeting = Meeting(enterprise=body.enterprise, body=body, title=clean_text(title, "title", "会议名称", 200),
                      held_at=clean_datetime(held_at, "held_at", "会议时间"), place=clean_text(place, "place", "会议地点", 200, False),
                      recorder=clean_text(recorder, "recorder", "记录人", 50, False),
                      nonvoting_attendees=str(nonvoting_attendees or "").strip(),
                      form=choice_value(form, MeetingForm, "form", "决策形式"),
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
def notice_send(*, actor: Any, meeting: Meeting, channel: str = "系统通知", version: Any = None) -> Meeting:
    """Send the formal notice to every voting member (art. 11(2)(2)), one recorded notice each."""
    meeting = meeting_lock(meeting, version)
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
    if noticed:
        from soegov.matters.models import Notification

        # One in-app message each, written in one statement after the transaction commits.
        text = (f"会议通知：{meeting.title}，{timezone.localtime(meeting.held_at):%Y-%m-%d %H:%M}，"
                f"{meeting.place or '地点另行通知'}。请提前阅研会议材料。")[:300]
        ids = [u.pk for u in noticed]
        transaction.on_commit(lambda: Notification.objects.bulk_create([Notification(user_id=i, text=text) for i in ids]))
        # Where members read it too (企业微信 / 钉钉 / SMS, each member's choice), with the materials listed.
        materials = list(TopicMaterial.objects.filter(topic__agenda_items__meeting=meeting)
                         .order_by("topic__agenda_items__order", "pk").values_list("original_name", flat=True))
        notice_events.meeting_notice(noticed, meeting, materials)
    meeting.notice_sent_at = meeting.notice_sent_at or now
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.NOTIFIED
    return meeting_save(meeting, before, actor=actor, action="notice", extra={"sent_to": sent})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def item_add(*, actor: Any, meeting: Meeting, topic: Topic, voting_method: str | None = None,
             ad_hoc: bool = False, version: Any = None) -> AgendaItem:
    """Put a topic on the agenda: only a prepared one, unless it is recorded as an ad-hoc motion (临时动议)."""
    meeting = meeting_lock(meeting, version)
    topic = topic_lock(topic)
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
    method = choice_value(voting_method, VotingMethod, "voting_method", "表决方式")
    before = snapshot(meeting, MEETING_FIELDS)
    order = (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, topic=topic, order=order, voting_method=method,
                                     on_agenda=not ad_hoc)
    topic_before = snapshot(topic, TOPIC_FIELDS)
    topic.status = TopicStatus.SCHEDULED
    topic_save(topic, topic_before, actor=actor, action="schedule")
    meeting_save(meeting, before, actor=actor, action="add_item",
                  extra={"item": item.pk, "topic": topic.pk, "ad_hoc": ad_hoc, "voting_method": method})
    return item


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def materials_distribute(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Record that the materials of every agenda item were sent to the members now (art. 11(2)(1))."""
    meeting = meeting_lock(meeting, version)
    before = snapshot(meeting, MEETING_FIELDS)
    now = timezone.now()
    items = list(meeting.items.filter(materials_sent_at__isnull=True))
    for item in items:
        item.materials_sent_at = now
        item.save(update_fields=["materials_sent_at"])
    return meeting_save(meeting, before, actor=actor, action="distribute", extra={"items": [i.pk for i in items]})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def meeting_open(*, actor: Any, meeting: Meeting, version: Any = None) -> Meeting:
    """Open the session: from now the agenda is fixed and attendance and votes are recorded."""
    meeting = meeting_lock(meeting, version)
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
    return meeting_save(meeting, before, actor=actor, action="open", extra=extra)


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def attendance_record(*, actor: Any, meeting: Meeting, member: Any, present: bool, absence_reason: str = "",
                      written_opinion: str = "", opinion_item: Any = None, version: Any = None) -> Attendance:
    """Record one member present or absent (with reason and an optional written opinion, art. 11(2)(2)).

    A written opinion concerns one item (`opinion_item`; implied when the agenda has one item); recording him
    absent again with an opinion on another item adds it, so each item carries only what was written on it.
    """
    meeting = meeting_lock(meeting, version)
    person = member_of(meeting, member)
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
            target = item_of(meeting, opinion_item)
        opinions[str(target.pk)] = words
    before = snapshot(meeting, MEETING_FIELDS)
    row, _ = Attendance.objects.update_or_create(meeting=meeting, member=person, defaults={
        "present": bool(present), "absence_reason": "" if present else reason, "written_opinion": "",
        "opinions": {} if present else opinions,
        "recorded_by": acting_user(actor), "recorded_at": timezone.now()})
    meeting_save(meeting, before, actor=actor, action="attendance", extra={
        "member": person.name, "before": snapshot(old, ["present", "absence_reason", "opinions"]) if old else None,
        "present": row.present, "absence_reason": row.absence_reason, "opinions": row.opinions})
    return row


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def attendance_record_all_present(*, actor: Any, meeting: Meeting) -> list[Attendance]:
    """Record every member not yet recorded as present, in one transaction: all of them, or none on a refusal."""
    meeting = meeting_lock(meeting)
    recorded = set(meeting.attendance.values_list("member_id", flat=True))
    return [attendance_record(actor=actor, meeting=meeting, member=person, present=True)
            for person in meeting.body.members.exclude(pk__in=recorded)]


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def nonvoting_set(*, actor: Any, meeting: Meeting, name: str, position: str = "", remove: bool = False,
                  version: Any = None) -> Meeting:
    """Add (or remove) one non-voting attendee (列席, e.g. the legal counsel): minuted, not counted (art. 17)."""
    # Also after the session, while the record is still open: the record must name who attended.
    meeting = meeting_lock(meeting, version, open_only=False)
    if meeting.status == MeetingStatus.ARCHIVED:
        raise SoegovError("archived", "会议记录已归档锁定，不能修改列席人员", "status", "the minutes are archived")
    who = clean_text(name, "nonvoting_name", "列席人员姓名", 50)
    role = clean_text(position, "nonvoting_position", "列席人员职务", 50, required=not remove)
    for bad in RESERVED:
        if bad in who + role:
            raise InputError("invalid_text", "列席人员姓名和职务中不能含有顿号、逗号、分号或括号", "nonvoting_name",
                             "name and position cannot contain separators or brackets")
    people = [p for p in parse_nonvoting(meeting.nonvoting_attendees) if p[0] != who]
    if not remove:
        people.append((who, role))
    before = snapshot(meeting, MEETING_FIELDS)
    meeting.nonvoting_attendees = join_nonvoting(people)
    return meeting_save(meeting, before, actor=actor, action="nonvoting", extra={"name": who, "removed": remove})


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def recusal_record(*, actor: Any, meeting: Meeting, item: Any, member: Any, recused: bool = True, reason: str = "",
                   version: Any = None) -> AgendaItem:
    """Record (or withdraw) a member's recusal from one item (art. 16); his vote on it, if any, is removed."""
    meeting = meeting_lock(meeting, version)
    row = item_of(meeting, item)
    person = member_of(meeting, member)
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
    meeting_save(meeting, before, actor=actor, action="recusal",
                  extra={"item": row.pk, "member": person.name, "recused": bool(recused), "reason": reason,
                         "vote_removed": removed})
    return row


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def statements_record(*, actor: Any, meeting: Meeting, item: Any, order: list[Any], version: Any = None) -> AgendaItem:
    """Record the order in which members stated their views on an item (the principal should be last)."""
    meeting = meeting_lock(meeting, version)
    row = item_of(meeting, item)
    ids = [member_of(meeting, m).pk for m in order]
    if len(set(ids)) != len(ids):
        raise InputError("duplicate_member", "表态顺序中有重复成员", "statements", "a member appears twice")
    before = snapshot(meeting, MEETING_FIELDS)
    old = list(row.statements or [])
    row.statements = ids
    row.save(update_fields=["statements"])
    meeting_save(meeting, before, actor=actor, action="statements", extra={"item": row.pk, "before": old, "after": ids})
    return row


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def copy_issue(*, actor: Any, meeting: Meeting, holder: str, what: str = "会议材料") -> Any:
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
def copy_step_record(*, actor: Any, meeting: Meeting, copy: Any, step: str) -> Any:
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
