"""The dashboard's 决策违规 figure and 三重一大数据 read one computation (issue 13, INV-DASH-2): a decision the
supervisor's import flagged (anomaly types 1–5, stored per subject) is a row of the figure, a soegov decision
both the engine and the import flag is one row naming both, and the figure equals the rows it links to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.exchange import exports, imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange import selectors as exchange_selectors
from soegov.exchange.meeting_export import meeting_record
from soegov.exchange.models import ReceivedSubject
from soegov.meetings import results as meetings_results
from soegov.meetings import sessions, voting
from soegov.oversight import dashboard
from tests.exchange import samples
from tests.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member
from tests.oversight.test_dashboard_counts import figures_equal_their_rows

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


def _zip(ent: Any, record: Any, day: dt.date = DAY) -> tuple[str, bytes]:
    return rec.zip_name(rec.kind_of(record), day, ent.uscc), p.build_zip(record, day)


def _adhoc_meeting(xd: Any) -> Any:
    """A soegov party-committee meeting whose one item was an ad hoc motion (the engine flags 临时动议)."""
    body = make_body(xd, kind="party_committee", names=["张书记", "李委员", "王委员"])
    meeting = MeetingFactory(body=body)
    for step in (sessions.notice_send, sessions.materials_distribute, sessions.meeting_open):
        meeting = step(actor=None, meeting=meeting)
    item = AgendaItemFactory(meeting=meeting, ad_hoc=True)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name in ["李委员", "王委员", "张书记"]:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice="for")
    meetings_results.results_compute(actor=None, meeting=meeting)
    return meeting, item


def _flagged_in_the_received_view(user: Any) -> int:
    """Subjects with an anomaly, as 三重一大数据 lists them (its meetings and each meeting's subjects)."""
    n = 0
    for m in exchange_selectors.received_meetings(user=user, anomalous=True):
        n += sum(1 for s in m.subjects.filter(active=True) if s.anomalies.exists())
    return n


def test_imported_anomalies_are_rows_of_the_figure_and_the_figure_counts_its_rows(inspector: Any, xd: Any) -> None:
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=xd.jurisdiction)
    meeting, item = _adhoc_meeting(xd)
    # Planted: a subject without a legal counsel in the room (type 1) and with no party pre-study (type 3), and a
    # clean one; then the soegov meeting's own 0006, whose ad hoc item the engine flagged already.
    items = [(name, data) for name, data, _ in exports.items_export(actor=None, enterprise=xd, day=DAY)]
    code = exports.decision_items(xd)[0].item_code
    party = samples.meeting(name="2026年第7次党委会", subjects=[
        samples.subject(sid="p1", name="研究购置设备", codes=(code,), counsel=False),
        samples.subject(sid="p2", name="购置车辆", codes=(code,))])
    own = meeting_record(meeting, files=False)
    results = imports.import_packages(actor=reviewer, files=[*items, _zip(xd, party), _zip(xd, own)])
    assert all(r.ok for r in results), [r.message for r in results]
    flagged = _flagged_in_the_received_view(inspector)
    assert flagged >= 2
    rows = dashboard.rows(user=inspector, kind="decision_violations")
    figures = figures_equal_their_rows(inspector)  # counted in SQL: in total, per enterprise and per month
    assert figures["decision_violations"] == len(rows)
    # Every flagged subject is one row: the soegov item is not counted twice (engine and import name it once).
    assert len(rows) == flagged
    external = [r for r in rows if r["title"].startswith("2026年第7次党委会：")]
    stored = {f"2026年第7次党委会：{s.name}": {a.label for a in s.anomalies.all()}
              for s in ReceivedSubject.objects.filter(meeting__name="2026年第7次党委会") if s.anomalies.exists()}
    assert {r["title"] for r in external} == set(stored) and "2026年第7次党委会：研究购置设备" in stored
    for r in external:
        assert all(label in r["note"] for label in stored[r["title"]]) and r["url"].startswith("/exchange/meetings/")
    assert "未经合法合规审查" in stored["2026年第7次党委会：研究购置设备"]
    [mine] = [r for r in rows if r["url"] == f"/meetings/{meeting.pk}/"]
    assert "临时动议" in mine["note"] and f"agenda_item={item.pk}" in mine["case_url"]
    c = Client()
    c.force_login(inspector)
    page = c.get("/oversight/rows/decision_violations/").content.decode()
    assert page.count("立案追责") == len(rows)


def test_a_clean_import_adds_no_row(inspector: Any, xd: Any) -> None:
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=xd.jurisdiction)
    clean = samples.meeting(subjects=[samples.subject(codes=("F01-001",))])
    results = imports.import_packages(actor=reviewer, files=[
       _zip(xd, samples.item(meetings=("党委会",))), _zip(xd, clean), _zip(xd, samples.regulation())])
    assert all(r.ok for r in results)
    assert _flagged_in_the_received_view(inspector) == 0
    assert dashboard.rows(user=inspector, kind="decision_violations") == []
