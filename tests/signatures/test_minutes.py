"""会议记录: each present member signs the record himself; no one signs for him; an edit voids the signatures."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from soegov.audit.models import AuditEntry
from soegov.meetings import minutes, results
from soegov.meetings.documents import signed_record
from soegov.meetings.models import Meeting
from soegov.signatures.downloads import signed_response
from soegov.signatures.verify import verify_bytes
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    make_body,
    member,
    run_meeting,
    xundian_enterprise,
)
from tests.signatures.factories import signature_key

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员"]


@pytest.fixture
def closed() -> tuple[Meeting, dict[str, Any]]:
    body = make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting)
    run_meeting(meeting, present=NAMES, votes={item: dict.fromkeys(NAMES, "for")})
    results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))
    people = {}
    for name in NAMES:
        seat = member(body, name)
        seat.user = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise, full_name=name)
        seat.save()
        people[name] = seat.user
    return Meeting.objects.get(pk=meeting.pk), people


def test_nobody_signs_for_a_member(closed: tuple[Meeting, dict[str, Any]]) -> None:
    meeting, people = closed
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    admin = UserFactory(role="system_admin")
    for intruder in (secretary, admin, None):
        with pytest.raises(PermissionDenied, match="不能代签"):
            minutes.minutes_sign(actor=intruder, meeting=meeting, key=signature_key(people["乙委员"]))
    # A member's key does not sign in another member's name either: the seat is always the actor's own.
    minutes.minutes_sign(actor=people["甲书记"], meeting=meeting, key=signature_key(people["甲书记"]))
    with pytest.raises(PermissionDenied):
        minutes.minutes_sign(actor=people["乙委员"], meeting=meeting, key=signature_key(people["甲书记"]))
    assert [s.member.name for s in meeting.minutes.signatures.all()] == ["甲书记"]


def test_all_sign_and_the_downloaded_record_names_them(closed: tuple[Meeting, dict[str, Any]]) -> None:
    meeting, people = closed
    for name in NAMES:
        minutes.minutes_sign(actor=people[name], meeting=meeting, key=signature_key(people[name]))
    minutes.minutes_archive(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    document = signed_record(meeting.minutes)
    assert document is not None and document.revision == 1
    for fmt in ("pdf", "docx"):
        data = signed_response(document, fmt, "记录").content
        report = verify_bytes(data)
        assert report.ok, report.problems
        assert sorted((s.signer, s.purpose) for s in report.signatures) == sorted(
            (n, "会议记录出席人员签字") for n in NAMES)
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 0x08
        assert not verify_bytes(bytes(changed)).ok


def test_editing_the_record_voids_the_signatures_and_the_next_text_is_signed_again(
        closed: tuple[Meeting, dict[str, Any]]) -> None:
    meeting, people = closed
    minutes.minutes_sign(actor=people["甲书记"], meeting=meeting, key=signature_key(people["甲书记"]))
    first = signed_record(meeting.minutes)
    minutes.minutes_edit(actor=None, meeting=meeting, disagreements="补充：对工期有不同意见。")
    meeting.refresh_from_db()
    assert not meeting.minutes.signatures.exists() and signed_record(meeting.minutes) is None
    assert AuditEntry.objects.filter(action="minutes.signatures_void").exists()
    minutes.minutes_sign(actor=people["乙委员"], meeting=meeting, key=signature_key(people["乙委员"]))
    second = signed_record(meeting.minutes)
    assert second is not None and first is not None and second.revision == first.revision + 1
    report = verify_bytes(signed_response(second, "pdf", "记录").content)
    assert report.ok and [s.signer for s in report.signatures] == ["乙委员"]
