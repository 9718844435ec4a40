"""Meeting results through the services, computed by the engine's meeting_check (xundian-2020).

Quorum and majority are checked at exactly half and one either side, for the party committee ("半数以上",
at least half, art. 11(2)(2)/(4)) and the board (Company Law art. 73: more than half).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from soegov.core.errors import InputError, SoegovError
from soegov.meetings import results, sessions, topics, voting
from soegov.meetings.ballots import ballot_problems
from soegov.meetings.models import AgendaItem, Meeting
from soegov.meetings.selectors import item_positions
from tests.factories import UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    make_body,
    member,
    prepared_topic,
    run_meeting,
    xundian_enterprise,
)
from tests.signatures.factories import signature_key

pytestmark = pytest.mark.django_db
FOUR = ["甲书记", "乙委员", "丙委员", "丁委员"]


def _meeting(kind: str, names: list[str] = FOUR) -> Meeting:
    body = make_body(xundian_enterprise(), kind=kind, names=names)
    return MeetingFactory(body=body, held_at=timezone.now() + dt.timedelta(minutes=45))


def _codes(item: AgendaItem) -> set[str]:
    return {v["code"] for v in item.violations}


@pytest.mark.parametrize(("kind", "present", "met"), [
    ("party_committee", 1, False), ("party_committee", 2, True), ("party_committee", 3, True),
    ("board", 1, False), ("board", 2, False), ("board", 3, True),
])
def test_quorum_at_exactly_half_and_either_side(kind: str, present: int, met: bool) -> None:
    meeting = _meeting(kind)
    item = AgendaItemFactory(meeting=meeting)
    names = FOUR[-present:]  # the principal (甲书记) is present only when all are
    meeting = run_meeting(meeting, present=names, votes={item: dict.fromkeys(names, "for")})
    assert meeting.result is not None
    assert meeting.result["quorum"]["met"] is met
    item.refresh_from_db()
    assert ("no_quorum" in _codes(item)) is (not met)
    if not met:
        assert item.passed is False
        v = next(v for v in item.violations if v["code"] == "no_quorum")
        assert v["voids"] is True and v["citation"]["article"] in (11, 73)


# A 2–2 party committee does not carry: the national layer counts more than half of the members due to attend,
# and a tie never carries (少数服从多数, xundian arts. 2(4), 11(二)4) — issue 15.
@pytest.mark.parametrize(("kind", "ayes", "passed"), [
    ("party_committee", 1, False), ("party_committee", 2, False), ("party_committee", 3, True),
    ("board", 1, False), ("board", 2, False), ("board", 3, True),
])
def test_majority_at_exactly_half_and_either_side(kind: str, ayes: int, passed: bool) -> None:
    meeting = _meeting(kind)
    item = AgendaItemFactory(meeting=meeting)
    votes = {name: ("for" if n < ayes else "against") for n, name in enumerate(["乙委员", "丙委员", "丁委员", "甲书记"])}
    run_meeting(meeting, present=FOUR, votes={item: votes}, statements={item: ["乙委员", "丙委员", "丁委员", "甲书记"]})
    item.refresh_from_db()
    assert item.passed is passed
    assert item.result is not None and item.result["for"] == ayes and item.result["base"] == 4
    assert item.violations == []


def test_a_recused_member_leaves_the_base_and_cannot_vote() -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    sessions.notice_send(actor=None, meeting=meeting)
    sessions.materials_distribute(actor=None, meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    sessions.attendance_record(actor=None, meeting=meeting, member=member(meeting.body, "丁委员"), present=True)
    voting.vote_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, "丁委员"), choice="for")
    sessions.recusal_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, "丁委员"), reason="亲属任职")
    with pytest.raises(InputError, match="回避"):
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, "丁委员"), choice="for")
    # 1 of 3 (base without the recused member) is less than half: not passed; his earlier vote is gone.
    run_meeting(meeting, present=FOUR, votes={item: {"乙委员": "for", "丙委员": "against", "甲书记": "against"}})
    item.refresh_from_db()
    assert item.result is not None and item.result["base"] == 3 and item.passed is False
    rows = {r["name"]: r for r in item_positions(item)}
    assert rows["丁委员"]["recused"] is True and rows["丁委员"]["vote"] is None


def test_an_ad_hoc_item_is_recorded_and_flagged_as_not_passed() -> None:
    meeting = _meeting("party_committee")
    regular = AgendaItemFactory(meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    raw = topics.topic_create(actor=None, enterprise=meeting.enterprise, title="临时提出的采购事项",
                              category="major_project", route=["party_committee"])
    with pytest.raises(InputError, match="临时动议"):
        sessions.item_add(actor=None, meeting=meeting, topic=raw)
    adhoc = sessions.item_add(actor=None, meeting=meeting, topic=raw, ad_hoc=True)
    run_meeting(meeting, present=FOUR, votes={regular: dict.fromkeys(FOUR, "for"), adhoc: dict.fromkeys(FOUR, "for")},
                statements={regular: FOUR[1:] + FOUR[:1], adhoc: FOUR[1:] + FOUR[:1]})
    adhoc.refresh_from_db()
    regular.refresh_from_db()
    assert regular.passed is True
    assert adhoc.passed is False and {"ad_hoc_item", "unprepared_item"} <= _codes(adhoc)
    v = next(v for v in adhoc.violations if v["code"] == "ad_hoc_item")
    assert v["citation"]["article"] == 14 and "临时动议" in v["message"]


@pytest.mark.parametrize(("method", "voided"), [("show_of_hands", True), ("oral", True), ("ballot", False)])
def test_personnel_must_be_decided_by_ballot(method: str, voided: bool) -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting, category="personnel", voting_method=method, title="任免中层干部")
    assert item.voting_method == method
    run_meeting(meeting, present=FOUR, votes={item: dict.fromkeys(FOUR, "for")},
                statements={item: FOUR[1:] + FOUR[:1]})
    item.refresh_from_db()
    assert ("personnel_not_ballot" in _codes(item)) is voided
    assert item.passed is (not voided)


def test_personnel_items_default_to_ballot() -> None:
    meeting = _meeting("party_committee")
    assert AgendaItemFactory(meeting=meeting, category="personnel").voting_method == "ballot"


@pytest.mark.parametrize(("order", "flagged"), [
    (["甲书记", "乙委员", "丙委员", "丁委员"], True),
    (["乙委员", "甲书记", "丙委员", "丁委员"], True),
    (["乙委员", "丙委员", "丁委员", "甲书记"], False),
])
def test_principal_must_state_last(order: list[str], flagged: bool) -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    run_meeting(meeting, present=FOUR, votes={item: dict.fromkeys(FOUR, "for")}, statements={item: order})
    item.refresh_from_db()
    assert ("principal_not_last" in _codes(item)) is flagged
    assert item.passed is True  # the pack does not void the decision for it; it is shown as a violation


def test_a_principal_first_and_again_last_is_not_recorded_as_last() -> None:
    """Issue 13.8: speaking first and again at the end is not stating last; one place per member is recorded,
    so the order is refused with a message, and the principal-first order is flagged (above)."""
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    with pytest.raises(InputError) as exc:
        run_meeting(meeting, present=FOUR, votes={item: dict.fromkeys(FOUR, "for")},
                    statements={item: ["甲书记", "乙委员", "丙委员", "丁委员", "甲书记"]})
    assert exc.value.code == "duplicate_member"
    item.refresh_from_db()
    assert not item.statements


def test_an_absent_members_written_opinion_is_kept_and_not_counted() -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    run_meeting(meeting, present=FOUR[:3], votes={item: {"乙委员": "for", "丙委员": "for", "甲书记": "for"}},
                statements={item: ["乙委员", "丙委员", "甲书记"]})
    sessions.attendance_record(actor=None, meeting=meeting, member=member(meeting.body, "丁委员"), present=False,
                               absence_reason="出差", written_opinion="我同意该方案，但建议加强风险控制。")
    with pytest.raises(InputError, match="缺席原因"):
        sessions.attendance_record(actor=None, meeting=meeting, member=member(meeting.body, "丁委员"), present=False)
    result = results.results_compute(actor=None, meeting=meeting)
    assert result is not None and result["items"][0]["for"] == 3
    assert meeting.attendance.get(member__name="丁委员").opinions_text.startswith("议题1：我同意")


def test_an_unprepared_topic_cannot_go_on_the_agenda() -> None:
    meeting = _meeting("board")
    topic = topics.topic_create(actor=None, enterprise=meeting.enterprise, title="资产转让", category="major_decision")
    assert topic.route == ["party_committee", "board"]  # the pack's route: party committee studies first
    with pytest.raises(InputError) as err:
        sessions.item_add(actor=None, meeting=meeting, topic=topic)
    assert "调研论证" in err.value.message and "党委（党工委）会前置研究" in err.value.message
    ready = prepared_topic(meeting.enterprise, body_kind="board")
    assert sessions.item_add(actor=None, meeting=meeting, topic=ready).on_agenda is True


def test_a_disputed_topic_is_postponed() -> None:
    enterprise = xundian_enterprise()
    meeting = MeetingFactory(body=make_body(enterprise))
    topic = prepared_topic(enterprise)
    topic = topics.dispute_set(actor=None, topic=topic, disputed=True)
    assert topic.status == "postponed"
    with pytest.raises(InputError, match="第十五条"):
        sessions.item_add(actor=None, meeting=meeting, topic=topic)


def test_a_ballot_is_cast_by_the_member_himself() -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting, category="personnel")
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    voter = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise)
    m = member(meeting.body, "乙委员")
    m.user = voter
    m.save()
    sessions.meeting_open(actor=secretary, meeting=meeting)
    for seat in (m, member(meeting.body, "丙委员")):
        sessions.attendance_record(actor=secretary, meeting=meeting, member=seat, present=True)
    with pytest.raises(PermissionDenied, match="本人"):
        voting.vote_record(actor=secretary, meeting=meeting, item=item, member=m, choice="for")
    with pytest.raises(InputError, match="签名密码"):
        voting.vote_record(actor=voter, meeting=meeting, item=item, member=m, choice="against")
    key = signature_key(voter)
    voting.vote_record(actor=voter, meeting=meeting, item=item, member=m, choice="against", opinion="人选资历不足",
                       key=key)
    with pytest.raises(PermissionDenied):
        voting.vote_record(actor=voter, meeting=meeting, item=item, member=member(meeting.body, "丙委员"), choice="for",
                           key=key)
    # A member without an account votes on paper; the secretary records that ballot.
    voting.vote_record(actor=secretary, meeting=meeting, item=item, member=member(meeting.body, "丙委员"), choice="for")
    rows = {r["name"]: r for r in item_positions(item)}
    assert rows["乙委员"]["vote"] == "against" and rows["乙委员"]["opinion"] == "人选资历不足"
    # His ballot is signed: a change made to it in the database stops the count.
    from soegov.meetings.models import Vote

    assert ballot_problems(meeting) == []
    Vote.objects.filter(item=item, member=m).update(choice="for")
    assert "选票可能被改动" in ballot_problems(meeting)[0]
    with pytest.raises(SoegovError, match="不能计票"):
        results.results_compute(actor=secretary, meeting=meeting)


def test_a_non_ballot_vote_by_the_member_himself_or_the_secretary() -> None:
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    outsider = UserFactory(role="enterprise_filer", enterprise=xundian_enterprise())
    sessions.meeting_open(actor=None, meeting=meeting)
    with pytest.raises(PermissionDenied):
        voting.vote_record(actor=outsider, meeting=meeting, item=item, member=member(meeting.body, "乙委员"), choice="for")


def test_a_passed_item_from_a_matter_records_the_matters_collective_decision() -> None:
    from soegov.matters import editing

    enterprise = xundian_enterprise()
    body = make_body(enterprise, kind="board", names=FOUR)
    matter = editing.matter_create(actor=None, enterprise=enterprise, matter_type="asset_transfer",
                                   title="转让闲置厂房", amount="3000000", occurred_on=timezone.localdate())
    assert matter.needs_collective_decision
    topic = topics.topic_from_matter(actor=None, matter=matter)
    assert topic.route == ["party_committee", "board"] and topic.amount == matter.amount
    from soegov.meetings.preparation import STEPS

    for step in STEPS:
        if step != "prestudy":
            topic = topics.topic_step_mark(actor=None, topic=topic, step=step)
    from tests.meetings.factories import PDF

    topics.material_upload(actor=None, topic=topic, name="方案", data=PDF)
    topic.refresh_from_db()
    assert topic.status == "prepared"  # for its next body, the party committee
    early = MeetingFactory(body=body)
    with pytest.raises(InputError, match="党委（党工委）会前置研究"):  # the board needs the pre-study first
        sessions.item_add(actor=None, meeting=early, topic=topic)
    party = make_body(enterprise, kind="party_committee", names=["戊", "己", "庚"])
    pre = MeetingFactory(body=party, held_at=timezone.now() + dt.timedelta(hours=1))
    pre_item = sessions.item_add(actor=None, meeting=pre, topic=prepared_topic(enterprise, title="转让闲置厂房（前置研究）"))
    run_meeting(pre, present=["戊", "己", "庚"], votes={pre_item: {"己": "for", "庚": "for", "戊": "for"}},
                statements={pre_item: ["己", "庚", "戊"]})
    topic = topics.prestudy_link(actor=None, topic=topics.topic_step_mark(actor=None, topic=topic, step="research"),
                                 item=AgendaItem.objects.get(pk=pre_item.pk))
    assert topic.status == "prepared"
    meeting = MeetingFactory(body=body, held_at=timezone.now() + dt.timedelta(minutes=1))
    item = sessions.item_add(actor=None, meeting=meeting, topic=topic)
    run_meeting(meeting, present=FOUR, votes={item: dict.fromkeys(FOUR, "for")}, statements={item: FOUR[1:] + FOUR[:1]})
    Meeting.objects.filter(pk=meeting.pk).update(held_at=timezone.now() - dt.timedelta(minutes=1))
    meeting.refresh_from_db()
    voting.conclusion_set(actor=None, meeting=meeting, item=item, conclusion="同意公开挂牌转让")
    results.meeting_close(actor=None, meeting=meeting)
    matter.refresh_from_db()
    assert matter.status == "decided" and matter.decision_body == body.name
    assert matter.decision_summary == "同意公开挂牌转让" and matter.decided_at == meeting.held_at


def test_the_party_committees_pre_study_goes_with_the_topic_to_the_board() -> None:
    enterprise = xundian_enterprise()
    party = make_body(enterprise, kind="party_committee", names=FOUR)
    board = make_body(enterprise, kind="board", names=["子", "丑", "寅"])
    topic = topics.topic_create(actor=None, enterprise=enterprise, title="资产重组方案", category="major_decision")
    from soegov.meetings.preparation import STEPS
    from tests.meetings.factories import PDF

    for step in STEPS:
        if step != "prestudy":
            topic = topics.topic_step_mark(actor=None, topic=topic, step=step)
    topics.material_upload(actor=None, topic=topic, name="方案", data=PDF)
    topic.refresh_from_db()
    assert topic.route == ["party_committee", "board"] and topic.status == "prepared"
    pre = MeetingFactory(body=party, held_at=timezone.now() + dt.timedelta(hours=1))
    item = sessions.item_add(actor=None, meeting=pre, topic=topic)
    other = MeetingFactory(body=party, held_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(InputError, match="已列入会议议程"):
        sessions.item_add(actor=None, meeting=other, topic=topic)
    run_meeting(pre, present=FOUR, votes={item: dict.fromkeys(FOUR, "for")}, statements={item: FOUR[1:] + FOUR[:1]})
    results.meeting_close(actor=None, meeting=pre)
    topic.refresh_from_db()
    assert topic.prestudy_id == item.pk and topic.status == "prepared"
    meeting = MeetingFactory(body=board, held_at=timezone.now() + dt.timedelta(hours=1))
    board_item = sessions.item_add(actor=None, meeting=meeting, topic=topic)
    run_meeting(meeting, present=["子", "丑", "寅"], votes={board_item: {"丑": "for", "寅": "for", "子": "for"}},
                statements={board_item: ["丑", "寅", "子"]})
    results.meeting_close(actor=None, meeting=meeting)
    topic.refresh_from_db()
    assert topic.status == "decided"
    board_item.refresh_from_db()
    assert board_item.passed is True and board_item.violations == []


def test_a_stale_version_is_refused_not_lost() -> None:
    from soegov.core.errors import SoegovError

    meeting = _meeting("party_committee")
    seen = meeting.version
    sessions.notice_send(actor=None, meeting=meeting, version=seen)
    with pytest.raises(SoegovError, match="已被他人更新"):
        sessions.meeting_open(actor=None, meeting=meeting, version=seen)
    meeting.refresh_from_db()
    assert meeting.status == "notified"


def test_only_the_enterprises_secretary_runs_its_meetings() -> None:
    meeting = _meeting("party_committee")
    filer = UserFactory(role="enterprise_filer", enterprise=meeting.enterprise)
    with pytest.raises(PermissionDenied, match="秘书"):
        sessions.meeting_open(actor=filer, meeting=meeting)
    with pytest.raises(PermissionDenied, match="秘书"):
        sessions.meeting_create(actor=filer, body=meeting.body, title="x", held_at=timezone.now())
    other = UserFactory(role="secretary", enterprise=xundian_enterprise())
    with pytest.raises(PermissionDenied, match="范围"):
        sessions.meeting_open(actor=other, meeting=meeting)
    # The filer still raises topics.
    assert topics.topic_create(actor=filer, enterprise=meeting.enterprise, title="议题", category="major_decision").pk


def test_only_a_member_recorded_present_votes() -> None:
    """INV-MEET-4 (found by the meetings state machine): a vote for a member not recorded present is refused,
    and a member who has voted is not then recorded absent."""
    meeting = _meeting("party_committee")
    item = AgendaItemFactory(meeting=meeting)
    sessions.meeting_open(actor=None, meeting=meeting)
    ding = member(meeting.body, "丁委员")
    with pytest.raises(InputError) as exc:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=ding, choice="for")
    assert exc.value.code == "not_present" and "丁委员" in exc.value.message
    sessions.attendance_record(actor=None, meeting=meeting, member=ding, present=False, absence_reason="出差")
    with pytest.raises(InputError):
        voting.vote_record(actor=None, meeting=meeting, item=item, member=ding, choice="for")
    sessions.attendance_record(actor=None, meeting=meeting, member=ding, present=True)
    voting.vote_record(actor=None, meeting=meeting, item=item, member=ding, choice="for")
    with pytest.raises(InputError) as exc:
        sessions.attendance_record(actor=None, meeting=meeting, member=ding, present=False, absence_reason="出差")
    assert exc.value.code == "has_voted"
    assert item.votes.filter(member=ding).exists()
