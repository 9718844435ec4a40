"""Results declared by the meeting where the engine has no meeting rules (yining-2024; a body the rules do not name).

The secretary registers the result announced at the meeting; the recorded votes stay the record, so a "passed"
against them is refused; it is audited, labelled everywhere as not verified, and never replaces an engine result.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError, SoegovError
from soegov.meetings import results, sessions, voting
from soegov.meetings.models import DECLARED_LABEL, AgendaItem, Meeting
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    member,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员", "丁委员"]
HX = {"HTTP_HX_REQUEST": "true"}


def _meeting(where: str) -> Meeting:
    if where == "no_rules":
        j = JurisdictionFactory(code="yn-declared", policy_packs=["yining-2024"])
        body = make_body(EnterpriseFactory(jurisdiction=j), names=NAMES)
    elif where == "unnamed_body":
        body = make_body(xundian_enterprise(), kind="party_branch", names=NAMES)
    else:
        body = make_body(xundian_enterprise(), names=NAMES)
    return MeetingFactory(body=body, held_at=timezone.now() + dt.timedelta(hours=1))


def _in_session(meeting: Meeting, votes: dict[str, str], category: str = "personnel",
                method: str | None = "ballot") -> AgendaItem:
    item = AgendaItemFactory(meeting=meeting, category=category, title="任命工程部经理", voting_method=method)
    sessions.notice_send(actor=None, meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    for m in meeting.body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name, choice in votes.items():
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, name), choice=choice)
    return item


@pytest.mark.parametrize("where", ["no_rules", "unnamed_body"])
def test_declared_result_is_stored_labelled_and_audited(where: str) -> None:
    meeting = _meeting(where)
    assert results.meeting_policy(meeting) is None
    item = _in_session(meeting, {"甲书记": "for", "乙委员": "for", "丙委员": "against", "丁委员": "abstain"})
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    row = results.result_declare(actor=secretary, meeting=meeting, item=item.pk, passed=True)
    assert (row.passed, row.result_source, row.declared_label) == (True, "declared", DECLARED_LABEL)
    assert (row.result["for"], row.result["against"], row.result["abstain"]) == (2, 1, 1)
    entry = AuditEntry.objects.filter(action="meeting.declare", actor=secretary).get()
    detail = entry.after["detail"]
    assert detail["before"] == {"passed": None, "result_source": ""}
    assert detail["after"] == {"passed": True, "result_source": "declared"}
    # Corrected at the meeting: the latest declaration stands, its before is the earlier one.
    results.result_declare(actor=secretary, meeting=meeting, item=item.pk, passed="0")
    last = AuditEntry.objects.filter(action="meeting.declare").order_by("-id").first()
    assert last is not None and last.after["detail"]["before"] == {"passed": True, "result_source": "declared"}
    results.result_declare(actor=secretary, meeting=meeting, item=item.pk, passed="1")
    # Closing keeps the declared result (the engine has nothing to compute) and marks the topic decided.
    results.meeting_close(actor=secretary, meeting=meeting)
    item.refresh_from_db()
    assert (item.passed, item.result_source) == (True, "declared")
    assert item.topic.status == "decided"
    with pytest.raises(SoegovError) as exc:
        results.result_declare(actor=secretary, meeting=meeting, item=item.pk, passed=False)
    assert exc.value.code == "meeting_closed"


def test_refused_where_the_engine_has_rules() -> None:
    meeting = _meeting("rules")
    item = _in_session(meeting, {"甲书记": "for", "乙委员": "for", "丙委员": "for"})
    with pytest.raises(SoegovError) as exc:
        results.result_declare(actor=None, meeting=meeting, item=item.pk, passed=True)
    assert exc.value.code == "engine_has_rules"
    results.results_compute(actor=None, meeting=meeting)
    item.refresh_from_db()
    assert (item.passed, item.result_source) == (True, "engine")
    assert not AuditEntry.objects.filter(action="meeting.declare").exists()


def test_an_engine_result_is_never_replaced() -> None:
    meeting = _meeting("no_rules")
    item = _in_session(meeting, {"甲书记": "for"})
    # E.g. computed while the pack still had rules for the body.
    AgendaItem.objects.filter(pk=item.pk).update(passed=False, result_source="engine")
    with pytest.raises(SoegovError) as exc:
        results.result_declare(actor=None, meeting=meeting, item=item.pk, passed=True)
    assert exc.value.code == "engine_result"
    assert AgendaItem.objects.get(pk=item.pk).passed is False


@pytest.mark.parametrize(("votes", "passed", "code"), [
    ({"甲书记": "for", "乙委员": "against", "丙委员": "against"}, True, "declared_contradicts_votes"),
    ({"甲书记": "abstain"}, True, "declared_without_votes"),
    ({}, True, "declared_without_votes"),
    ({"甲书记": "for", "乙委员": "against"}, True, None),  # a tie: the enterprise's own rule decides, not refused
    ({"甲书记": "for", "乙委员": "against", "丙委员": "against"}, False, None),
    ({}, "maybe", "invalid_choice"),
])
def test_declared_passed_must_not_contradict_the_recorded_votes(votes: dict[str, str], passed: Any, code: str | None) -> None:
    meeting = _meeting("no_rules")
    item = _in_session(meeting, votes)
    if code is None:
        assert results.result_declare(actor=None, meeting=meeting, item=item.pk, passed=passed).passed is passed
        return
    with pytest.raises(InputError) as exc:
        results.result_declare(actor=None, meeting=meeting, item=item.pk, passed=passed)
    assert exc.value.code == code and exc.value.path == "passed"
    assert AgendaItem.objects.get(pk=item.pk).passed is None


def test_only_the_secretary_declares() -> None:
    meeting = _meeting("no_rules")
    item = _in_session(meeting, {"甲书记": "for"})
    filer = UserFactory(role="enterprise_filer", enterprise=meeting.enterprise)
    with pytest.raises(PermissionDenied):
        results.result_declare(actor=filer, meeting=meeting, item=item.pk, passed=True)
    assert AgendaItem.objects.get(pk=item.pk).passed is None


def test_pages_minutes_and_api_show_the_label() -> None:
    from docx import Document
    from pypdf import PdfReader

    meeting = _meeting("no_rules")
    item = _in_session(meeting, {"甲书记": "for", "乙委员": "for", "丙委员": "against"})
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    c = logged_in(secretary)
    page = c.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "宣布通过" in page and "已记录：赞成 2 · 反对 1 · 弃权 0" in page and DECLARED_LABEL not in page
    r = c.post(f"/meetings/{meeting.pk}/act/declare/", {"item": item.pk, "passed": "1"}, **HX)
    html = r.content.decode()
    assert r.status_code == 200 and DECLARED_LABEL in html and "会议宣布：通过" in html
    api = c.get(f"/api/v1/meetings/{meeting.pk}").json()["items"][0]
    assert (api["passed"], api["result_source"], api["result_note"]) == (True, "declared", DECLARED_LABEL)
    c.post(f"/meetings/{meeting.pk}/act/close/")
    for kind in ("record", "summary"):
        r = c.get(f"/meetings/{meeting.pk}/documents/{kind}.docx")
        text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
        assert DECLARED_LABEL in text, kind
        pdf = c.get(f"/meetings/{meeting.pk}/documents/{kind}.pdf")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert DECLARED_LABEL in text.replace("\n", "").replace(" ", ""), kind
    reviewer = UserFactory(role="supervisor_reviewer", jurisdiction=meeting.enterprise.jurisdiction)
    browse = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    assert "任命工程部经理" in browse and DECLARED_LABEL in browse


def test_declare_by_api() -> None:
    meeting = _meeting("unnamed_body")
    item = _in_session(meeting, {"甲书记": "against", "乙委员": "for"}, category="major_decision", method=None)
    c = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise))
    r = c.post(f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/declare", {"passed": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert (r.json()["result_source"], r.json()["voting_method"]) == ("declared", "show_of_hands")
    voting.vote_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, "丙委员"), choice="against")
    # A vote after the declaration clears it (audited): it must be declared again against the votes.
    item.refresh_from_db()
    assert (item.passed, item.result_source) == (None, "")
    assert AuditEntry.objects.filter(action="meeting.vote").order_by("-id")[0].after["detail"]["declared_cleared"]["passed"]
    r = c.post(f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/declare", {"passed": True}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "declared_contradicts_votes"
