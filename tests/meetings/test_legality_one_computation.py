"""Issue 13.6: every view of a decision's legality comes from one computation, and the secretary is warned
before the act that causes a flag — before 结束会议 and 归档, and about an emergency decision's 追认 deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.exchange.meeting_export import anomalies_by_item, meeting_record, preview_anomalies
from soegov.exchange.models import Regulation, SubjectAnomaly
from soegov.followup import services as followup
from soegov.followup.selectors import late_ratifications
from soegov.meetings import results as meetings_results
from soegov.meetings import sessions
from soegov.meetings.models import Meeting
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    report_meeting,
    run_meeting,
    voted_meeting,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db

NAMES = ["张书记", "李委员", "王委员", "赵委员", "钱委员"]


def _flags(anomalies: list) -> set[tuple[str, int]]:
    return {(a.subject_name, a.type) for a in anomalies}


def test_the_secretary_is_warned_before_closing_the_meeting() -> None:
    meeting, _ = voted_meeting(NAMES)
    assert meeting.status == "in_session" and preview_anomalies(meeting)
    page = logged_in(UserFactory(role=Role.SECRETARY, enterprise=meeting.enterprise)).get(f"/meetings/{meeting.pk}/")
    body = page.content.decode()
    warnings = body.split('id="close-warnings"')[1].split("</div>")[0]
    assert "结束会议前请核对" in warnings and "未经合法合规审查" in warnings and "年度投资计划" in warnings
    assert body.index('id="close"') < body.index('id="close-warnings"')  # beside the button that causes it


def test_the_reviewers_list_the_meeting_page_and_the_supervisors_import_agree() -> None:
    meeting, item = voted_meeting(NAMES)
    meetings_results.meeting_close(actor=None, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    shown = _flags(preview_anomalies(meeting))
    assert shown and _flags(anomalies_by_item([meeting])[item.pk]) == shown
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=meeting.enterprise.jurisdiction)
    listed = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    for _, kind in shown:
        assert f'class="anomaly prediction" data-type="{kind}"' in listed
    # The supervisor imports the package the enterprise sends: the same findings, no more, no fewer.
    results = report_meeting(meeting, reviewer)
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    imported = {(a.subject.name, a.type) for a in SubjectAnomaly.objects.select_related("subject")}
    assert imported == shown


def test_the_warnings_beside_close_follow_the_attendance_recorded_on_the_live_section() -> None:
    """The walk of issue 13: after 其余未登记成员均出席 (an htmx swap of the live section) the box beside 结束会议
    still said 实到 0 人 until the page was reloaded; it now comes back with every live change."""
    body = make_body(xundian_enterprise(), names=NAMES)
    # The body's rules of procedure (0005) set the attendance the import checks (anomaly type 4).
    Regulation.objects.create(enterprise=body.enterprise, name="党委会议事规则", approval_date=dt.date(2026, 1, 5),
                              effective_date=dt.date(2026, 1, 10), rate="1/2",
                              vote_modes=[{"item_code": "默认", "vote_mode": "赞成票超过应到会成员人数的1/2"}])
    meeting = MeetingFactory(body=body)
    AgendaItemFactory(meeting=meeting, title="年度投资计划")
    for step in (sessions.notice_send, sessions.materials_distribute, sessions.meeting_open):
        meeting = step(actor=None, meeting=meeting)
    secretary = logged_in(UserFactory(role=Role.SECRETARY, enterprise=body.enterprise))
    page = secretary.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "不符合会议召开条件" in page.split('id="close-warnings"')[1].split("</div>")[0]
    live = secretary.post(f"/meetings/{meeting.pk}/act/all_present/", HTTP_HX_REQUEST="true").content.decode()
    box = live.split('id="close-warnings"')[1].split("</div>")[0]
    assert 'hx-swap-oob="true"' in box and "年度投资计划" in box and "不符合会议召开条件" not in box
    assert not any(a.type == 4 for a in preview_anomalies(Meeting.objects.get(pk=meeting.pk)))


def test_once_imported_the_decisions_list_shows_the_imports_findings_as_recorded_not_as_a_prediction() -> None:
    """The walk of issue 13: a meeting whose 0006 the supervisor imported was still listed with 报送前提示
    （尚未报送导入，不计入看板） while the dashboard counted the same findings and 三重一大数据 listed them."""
    meeting, item = voted_meeting(NAMES)
    meetings_results.meeting_close(actor=None, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=meeting.enterprise.jurisdiction)
    before = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    assert "anomaly prediction" in before and "anomaly imported" not in before
    assert all(r.ok for r in report_meeting(meeting, reviewer))
    stored = {(a.type, a.cause) for a in SubjectAnomaly.objects.filter(subject__sid=str(item.pk))}
    assert stored
    listed = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    assert "anomaly prediction" not in listed and "尚未报送导入" not in listed
    for kind, cause in stored:
        assert f'class="anomaly imported" data-type="{kind}"' in listed and cause in listed
    secretary = logged_in(UserFactory(role=Role.SECRETARY, enterprise=meeting.enterprise))
    page = secretary.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "国资监管机构已导入本次会议数据" in page.split('id="import-warnings"')[1].split("</div>")[0]


def test_the_secretary_is_told_of_a_pending_ratification_before_the_meeting_ends() -> None:
    body = make_body(xundian_enterprise(), names=NAMES)
    decision = followup.emergency_record(actor=None, body=body, title="先行支付爆管抢修费用", content="同意先行支付 8.6 万元",
                                         reason="主干管爆裂", form="individual", decided_by="张书记",
                                         decided_at=timezone.now() - dt.timedelta(days=2))
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    secretary = logged_in(UserFactory(role=Role.SECRETARY, enterprise=body.enterprise))
    page = secretary.get(f"/meetings/{meeting.pk}/").content.decode()
    warning = page.split('id="ratification-warnings"')[1].split("</div>")[0]
    assert "先行支付爆管抢修费用" in warning and decision.ratify_due.isoformat() in warning and "未及时追认" in warning
    # What it announced is what happens if the meeting ends without ratifying it.
    run_meeting(meeting, present=NAMES, votes={item: dict.fromkeys(NAMES, "for")})
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.held_at = timezone.now() - dt.timedelta(minutes=1)
    meeting.save(update_fields=["held_at"])
    meetings_results.meeting_close(actor=None, meeting=meeting)
    assert decision.pk in set(late_ratifications(_scope(body)).values_list("pk", flat=True))
    page = secretary.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="ratification-warnings"' not in page  # a closed meeting warns of nothing it can still prevent


def _scope(body: object) -> object:
    from django.db.models import Q

    return Q(pk=body.enterprise_id)  # type: ignore[attr-defined]


def test_a_party_committee_item_the_topic_goes_on_from_relates_to_nothing_before_it_not_to_itself() -> None:
    """The walk of issue 13: closing the committee's meeting makes its item the topic's pre-study, and its own 0006
    then said 关联议题：2026年第10次党委会／任免工程管理部经理 — the subject related to itself. The board's item on
    the same topic is the one that relates to the committee's."""
    from tests.meetings.factories import prepared_topic

    ent = xundian_enterprise()
    topic = prepared_topic(ent, title="城北片区污水管网改造项目", route=["party_committee", "board"])
    committee = MeetingFactory(body=make_body(ent, names=NAMES), title="2026年第10次党委会")
    item = AgendaItemFactory(meeting=committee, topic=topic)
    run_meeting(committee, present=NAMES, votes={item: dict.fromkeys(NAMES, "for")})
    meetings_results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=committee.pk))
    topic.refresh_from_db()
    assert topic.prestudy_id == item.pk
    [subject] = meeting_record(Meeting.objects.get(pk=committee.pk), files=False).subjects
    assert subject.relations == []
    board = MeetingFactory(body=make_body(ent, kind="board", names=["董事甲", "董事乙", "董事丙"]), title="2026年第3次董事会")
    AgendaItemFactory(meeting=board, topic=topic)
    [later] = meeting_record(board, files=False).subjects
    assert later.relations == [("2026年第10次党委会", "城北片区污水管网改造项目")]


def test_a_meeting_held_without_notice_is_named_on_every_view_of_its_decisions() -> None:
    """The walk of issue 13: the demo's 督办演示 meeting page said 会前未向与会人员发出正式通知, a breach of the whole
    meeting the engine keeps apart from the items, while 决策事项一览, the dashboard's 决策违规 rows and a leader's
    compliance line (which read the items) never named it."""
    from soegov.meetings import voting
    from soegov.oversight.decision_figures import enterprise_decision_violations
    from tests.meetings.factories import member

    body = make_body(xundian_enterprise(), names=NAMES)
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    meeting = sessions.meeting_open(actor=None, meeting=sessions.materials_distribute(actor=None, meeting=meeting))
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name in NAMES:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice="for")
    meetings_results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert any(v["code"] == "no_notice" and v["item"] is None for v in meeting.result["violations"])
    item.refresh_from_db()
    assert [v["code"] for v in item.violations].count("no_notice") == 1
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=meeting.enterprise.jurisdiction)
    listed = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    assert "会前未向与会人员发出正式通知" in listed
    rows = enterprise_decision_violations(meeting.enterprise, timezone.localtime(meeting.held_at).year)
    assert any("未发会议通知" in r["labels"] for r in rows if r["title"].endswith("年度投资计划"))
