"""Demo collective decisions for 寻甸县城乡建设投资开发有限公司 (xundian-2020 has the meeting rules); idempotent.

A filed decision list, a past party committee meeting complete with archived minutes (its investment-plan item is
the pre-study the topic now carries to the board), and a party committee meeting with two prepared topics (one raised from a
reported matter), noticed and ready to run, plus the accounts xd_secretary and xd_member (a member of the board and the party committee).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.core.rendering import stand_in_pdf
from soegov.demo.accounts import demo_account, demo_user_create
from soegov.enterprises.models import BodyMember, DecisionBody, Enterprise
from soegov.meetings import decision_lists, minutes, results, sessions, topics, voting
from soegov.meetings.models import DecisionList, Meeting, Topic
from soegov.meetings.preparation import STEPS

ENTERPRISE = "寻甸县城乡建设投资开发有限公司"


def _prepared(actor: User, enterprise: Enterprise, title: str, category: str, description: str,
              amount: str | None = None) -> Topic:
    topic = topics.topic_create(actor=actor, enterprise=enterprise, title=title, category=category,
                                description=description, amount=amount)
    for step in STEPS:
        if step != "prestudy":
            topic = topics.topic_step_mark(actor=actor, topic=topic, step=step, note="演示")
    topics.material_upload(actor=actor, topic=topic, name=f"{title}决策方案", data=stand_in_pdf(f"{title}决策方案"))
    topic.refresh_from_db()
    return topic


def _from_matter(actor: User, enterprise: Enterprise) -> Topic:
    """A reported matter that needs a collective decision, raised as a topic and prepared."""
    from soegov.matters import editing

    filer = User.objects.get(username="xd_filer")
    matter = editing.matter_create(
        actor=filer, enterprise=enterprise, matter_type="investment_project", title="城北片区污水管网改造项目",
        amount="8600000", occurred_on=timezone.localdate(), description="总投资 860 万元，列入年度投资计划。",
        attributes={"within_annual_plan": True})
    topic = topics.topic_from_matter(actor=actor, matter=matter, category="major_project")
    for step in STEPS:
        if step != "prestudy":
            topic = topics.topic_step_mark(actor=actor, topic=topic, step=step, note="演示")
    topics.material_upload(actor=actor, topic=topic, name="可行性研究报告", data=stand_in_pdf("可行性研究报告"))
    topic.refresh_from_db()
    return topic


def _accounts(enterprise: Enterprise) -> list[tuple[str, str, str]]:
    party = DecisionBody.objects.get(enterprise=enterprise, kind="party_committee")
    deputy = party.members.get(role="deputy_secretary")
    rows = [demo_account("xd_secretary", Role.SECRETARY, "孙丽娟", enterprise=enterprise),
            demo_account("xd_member", Role.ENTERPRISE_LEADER, deputy.name, enterprise=enterprise)]
    member = User.objects.get(username="xd_member")
    # The same person sits on the party committee and the board (and the GM office): link every seat.
    BodyMember.objects.filter(body__enterprise=enterprise, name=deputy.name, user__isnull=True).update(user=member)
    return rows


def _half_past_nine(days: int) -> dt.datetime:
    """09:30 Beijing time, days from today: demo meetings sit in office hours whenever the demo is loaded."""
    return timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) + dt.timedelta(days=days)


def _past_meeting(secretary: User, party: DecisionBody, topic: Topic) -> Meeting:
    """A party committee meeting a week ago: every member present but one, principal last, one dissent."""
    held = _half_past_nine(days=-7)
    meeting = sessions.meeting_create(actor=secretary, body=party, title="2026年第9次党委会", held_at=held,
                                      place="公司三楼会议室", recorder="孙丽娟",
                                      nonvoting_attendees="周明（法律顾问）")
    item = sessions.item_add(actor=secretary, meeting=meeting, topic=topic)
    sessions.notice_send(actor=secretary, meeting=meeting)
    sessions.materials_distribute(actor=secretary, meeting=meeting)
    # The demo happened last week: its notice and materials went out two days before it.
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=held - dt.timedelta(days=2))
    meeting.items.update(materials_sent_at=held - dt.timedelta(days=2))
    meeting.refresh_from_db()
    sessions.meeting_open(actor=secretary, meeting=meeting)
    members = list(party.members.filter(voting=True).order_by("-is_principal", "id"))
    principal, others = members[0], members[1:]
    absent = others[-1]
    for m in members:
        sessions.attendance_record(actor=secretary, meeting=meeting, member=m, present=m != absent,
                                   absence_reason="" if m != absent else "外出学习",
                                   written_opinion="" if m != absent else "同意投资计划，建议控制融资成本。")
    voters = [m for m in others if m != absent]
    sessions.statements_record(actor=secretary, meeting=meeting, item=item, order=[*voters, principal])
    words = {0: ("for", "同意，计划与县十四五规划衔接。"), 1: ("for", "同意。"), 2: ("against", "城北片区项目融资方案尚不成熟，建议暂缓列入。")}
    for n, m in enumerate(voters):
        choice, opinion = words.get(n, ("for", ""))
        voting.vote_record(actor=secretary, meeting=meeting, item=item, member=m, choice=choice, opinion=opinion)
    voting.vote_record(actor=secretary, meeting=meeting, item=item, member=principal, choice="for",
                       opinion="同意，会后由计划财务部细化融资方案。")
    voting.conclusion_set(actor=secretary, meeting=meeting, item=item,
                          conclusion="原则同意2027年度投资计划，提交董事会审议。")
    results.meeting_close(actor=secretary, meeting=meeting)
    meeting.refresh_from_db()
    minutes.minutes_edit(actor=secretary, meeting=meeting, doc_number="〔2026〕第9期",
                         disagreements="对城北片区项目融资方案存在不同意见。", summary="会议要求计划财务部会后细化融资方案。")
    _sign_as_members(meeting, [m for m in members if m != absent])
    minutes.minutes_archive(actor=secretary, meeting=meeting)
    return meeting


def _sign_as_members(meeting: Meeting, present: list[BodyMember]) -> None:
    """Each present member signs the record himself with his own SM2 key (the demo signing PIN).

    Members without a login get one for the purpose; their seats are unlinked again afterwards, so that in the
    live demo meeting the secretary still records those members' paper ballots.
    """
    from soegov.demo.signatures import demo_key

    for m in present:
        user = m.user
        made = user is None
        if user is None:
            user = User.objects.filter(username=f"xd_seat{m.pk}").first() or demo_user_create(
                username=f"xd_seat{m.pk}", role=Role.ENTERPRISE_LEADER,
                full_name=m.name, enterprise=meeting.enterprise)
            BodyMember.objects.filter(pk=m.pk).update(user=user)
        minutes.minutes_sign(actor=user, meeting=meeting, key=demo_key(user))
        if made:
            BodyMember.objects.filter(pk=m.pk).update(user=None)


def load_demo_meetings() -> list[tuple[str, str, str]]:
    """Load (or reuse) the Xundian demo: accounts, filed list, a finished meeting and one ready to run."""
    enterprise = Enterprise.objects.filter(name=ENTERPRISE).first()
    if enterprise is None:
        return []
    accounts = _accounts(enterprise)
    from soegov.demo.signatures import demo_key

    # xd_member signs his ballots and the record himself with the demo signing PIN.
    demo_key(User.objects.get(username="xd_member"))
    if DecisionList.objects.filter(enterprise=enterprise).exists():
        return accounts
    secretary = User.objects.get(username="xd_secretary")
    dlist = decision_lists.decision_list_create(actor=secretary, enterprise=enterprise)
    # A stricter threshold than the pack: non-production spending goes collective from 20,000 yuan.
    dlist = decision_lists.decision_list_entry_edit(actor=secretary, dlist=dlist, rule="x21-2-non-production", threshold="20000")
    decision_lists.decision_list_file(actor=secretary, dlist=dlist)

    party = DecisionBody.objects.get(enterprise=enterprise, kind="party_committee")
    plan = _prepared(secretary, enterprise, "2027年度投资计划", "major_project",
                     "2027年度计划投资 3.2 亿元，含城北片区道路改造等 6 个项目。", "320000000")
    # Passed by the party committee, the plan now waits for the board with the pre-study linked.
    _past_meeting(secretary, party, plan)

    staffing = _prepared(secretary, enterprise, "任免工程管理部经理", "personnel", "拟任命李卫东为工程管理部经理。")
    sewage = _from_matter(secretary, enterprise)
    # Runnable right after loading: scheduled this hour, noticed and materials sent two days ago.
    held = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    meeting = sessions.meeting_create(actor=secretary, body=party, title="2026年第10次党委会", held_at=held,
                                      place="公司三楼会议室", recorder="孙丽娟")
    sessions.item_add(actor=secretary, meeting=meeting, topic=staffing)
    sessions.item_add(actor=secretary, meeting=meeting, topic=sewage)
    sessions.notice_send(actor=secretary, meeting=meeting)
    sessions.materials_distribute(actor=secretary, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=held - dt.timedelta(days=2))
    meeting.notices.update(sent_at=held - dt.timedelta(days=2))
    meeting.items.update(materials_sent_at=held - dt.timedelta(days=2))
    return accounts
