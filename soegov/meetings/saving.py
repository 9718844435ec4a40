"""What every write on a meeting or topic shares: locking the row at the version the actor saw, reading a
typed choice, member or item, and saving with the audit entry."""

from __future__ import annotations

from typing import Any

from soegov.audit.services import audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.locking import lock_current
from soegov.enterprises.models import BodyMember
from soegov.meetings import preparation
from soegov.meetings.models import AgendaItem, Meeting, MeetingStatus, Topic, TopicStatus

MEETING_FIELDS = ["status", "version", "held_at", "place", "form", "notice_sent_at", "results_at", "nonvoting_attendees"]
TOPIC_FIELDS = ["status", "version", "title", "category", "preparation", "disputed", "emergency", "prestudy"]
OPEN_STATES = (MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION)


def meeting_lock(meeting: Meeting, version: Any = None, *, open_only: bool = True) -> Meeting:
    """The meeting re-read under a row lock at the version the actor saw; refused once closed unless open_only is False."""
    locked: Meeting = lock_current(Meeting.objects.select_related("enterprise", "body"), meeting.pk, version, "会议",
                                   "meeting")
    if open_only and locked.status not in OPEN_STATES:
        raise SoegovError("meeting_closed", f"会议已{locked.get_status_display()}，不能再修改会议记录的内容", "status",
                          "the meeting is closed; its records can no longer change")
    return locked


def topic_lock(topic: Topic, version: Any = None) -> Topic:
    """The topic re-read under a row lock at the version the actor saw."""
    locked: Topic = lock_current(Topic.objects.select_related("enterprise"), topic.pk, version, "议题", "topic")
    return locked


def meeting_save(meeting: Meeting, before: dict[str, Any], *, actor: Any, action: str, extra: Any = None) -> Meeting:
    """Raise the meeting's version, save it and audit the change (with its detail)."""
    meeting.version += 1
    meeting.save()
    after = snapshot(meeting, MEETING_FIELDS)
    audit_record(actor=actor, action=f"meeting.{action}", obj=meeting, before=before,
                 after=after | ({"detail": extra} if extra is not None else {}))
    return meeting


def topic_ready_status(topic: Topic) -> Any:
    """Prepared when the topic may go on an agenda (art. 11), else back to draft."""
    return TopicStatus.PREPARED if preparation.is_ready(topic) else TopicStatus.DRAFT


def topic_save(topic: Topic, before: dict[str, Any], *, actor: Any, action: str) -> Topic:
    """Raise the topic's version, save it and audit the change."""
    topic.version += 1
    topic.save()
    audit_record(actor=actor, action=f"topic.{action}", obj=topic, before=before, after=snapshot(topic, TOPIC_FIELDS))
    return topic


def choice_value(value: Any, choices: Any, path: str, label: str) -> str:
    """A typed value of a choices enumeration; InputError naming the field and the allowed labels."""
    text = str(value or "").strip()
    if text not in choices.values:
        allowed = "、".join(str(lbl) for lbl in choices.labels)
        raise InputError("invalid_choice", f"{label}无效：{value!r}（可选：{allowed}）", path, f"{path} must be one of {choices.values}")
    return text


def member_of(meeting: Meeting, member: Any) -> BodyMember:
    """A member of the meeting's body, by row or id; InputError when he is not one."""
    pk = member.pk if isinstance(member, BodyMember) else member
    try:
        return BodyMember.objects.get(pk=int(pk), body_id=meeting.body_id)
    except (BodyMember.DoesNotExist, ValueError, TypeError):
        raise InputError("not_a_member", f"成员 {member} 不是{meeting.body.name}的成员", "member",
                         "not a member of the meeting's body") from None


def item_of(meeting: Meeting, item: Any) -> AgendaItem:
    """An agenda item of this meeting, by row or id; InputError when it is not one."""
    pk = item.pk if isinstance(item, AgendaItem) else item
    try:
        return AgendaItem.objects.select_related("topic").get(pk=int(pk), meeting_id=meeting.pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise InputError("unknown_item", f"议程事项 {item} 不属于本次会议", "item", "not an item of this meeting") from None
