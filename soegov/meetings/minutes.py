"""Writes on the minutes (会议记录): the parts the votes do not give, members' signatures, archiving.

Writes are keyword-only, one transaction each, the actor checked (meetings.gates), audited. Meeting writes
lock the meeting row (select_for_update) and, where a form carries it, check the version the actor saw, so
two people recording at once never lose an update.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.locking import lock_current
from soegov.enterprises.models import BodyMember
from soegov.meetings.documents import record_freeze
from soegov.meetings.gates import RUNNER_GATE
from soegov.meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus, Signature
from soegov.meetings.saving import MEETING_FIELDS, meeting_save
from soegov.meetings.selectors import seat_of
from soegov.signatures import signing
from soegov.user_input import clean_text


def _lock_minutes(meeting: Meeting, version: Any = None) -> Minutes:
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    minutes = lock_current(Minutes.objects.all(), minutes.pk, version, "会议记录", "minutes")
    if minutes.status == MinutesStatus.ARCHIVED:
        raise SoegovError("archived", "会议记录已归档锁定，不能修改（第十七条：存档备查）", "status", "the minutes are archived")
    return minutes


@RUNNER_GATE.on("meeting.enterprise")
@transaction.atomic
def minutes_edit(*, actor: Any, meeting: Meeting, nonvoting_opinions: str = "", disagreements: str = "",
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
    seat = seat_of(actor, meeting)
    if seat is None:
        raise PermissionDenied("只有出席会议的成员本人登录后才能在会议记录上签字；秘书、管理员或其他任何人都不能代签")
    return seat


@transaction.atomic
def minutes_sign(*, actor: Any, meeting: Meeting, key: Any) -> Any:
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
    document = record_freeze(actor=actor, meeting=meeting, minutes=minutes)
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
def minutes_archive(*, actor: Any, meeting: Meeting, version: Any = None) -> Minutes:
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
    meeting_save(meeting, m_before, actor=actor, action="archive")
    audit_record(actor=actor, action="minutes.archive", obj=minutes, before=before, after=snapshot(minutes, ["status", "version"]))
    return minutes
