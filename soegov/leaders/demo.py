"""Demo leaders of 伊宁市: teams from the decision bodies, a listed level-2 group, a sanction (idempotent).

The click path in the README has yn_reviewer appoint 张伟 general manager of 伊宁市供排水有限责任公司 (a level-2
group on the city's list: yining art. 7 item 1 — proposed by the supervisor, examined by the organisation
department, decided by the city party standing committee, then the appointment document), sign and score his
annual contract, set his pay and deduct the accountability sanction preloaded here.

The group's party committee meeting preloaded here (yining-2024 has no meeting rules) voted by ballot on a personnel
item whose result the meeting announced and the secretary registered ("declared", labelled as not verified by the
system): yn_reviewer can choose it as the decision basis of the unlisted route (伊宁市城投建设工程有限公司, level 2,
yining art. 7 item 2).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.utils import timezone

from soegov.accounts.models import User
from soegov.enterprises.models import Enterprise
from soegov.leaders import services
from soegov.leaders.models import Leader, Post

GROUP = "伊宁市城市建设投资集团有限公司"
SUBSIDIARY = "伊宁市供排水有限责任公司"
CANDIDATE = "张伟"
# Body member roles that are leadership posts (yining art. 7); the GM of SUBSIDIARY is left vacant for the demo.
ROLE_POSTS: dict[str, str] = {"secretary": "party_secretary", "chair": "chair", "general_manager": "general_manager",
                              "deputy_gm": "deputy_gm"}


def load_demo_leaders() -> None:
    """Leaders of the Yining enterprises, the permission of yn_reviewer, the listing and a sanction."""
    reviewer = User.objects.filter(username="yn_reviewer").first()
    group = Enterprise.objects.filter(name=GROUP).first()
    sub = Enterprise.objects.filter(name=SUBSIDIARY).first()
    if reviewer is None or group is None or sub is None or Leader.objects.filter(enterprise=group).exists():
        return
    reviewer.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="leaders"))
    reviewer = User.objects.get(pk=reviewer.pk)
    _declared_meeting(group)
    leader_user = User.objects.filter(username="yn_leader").first()
    for e in Enterprise.objects.filter(jurisdiction=group.jurisdiction, level__lte=2):
        for body in e.bodies.all():
            for m in body.members.all():
                post = ROLE_POSTS.get(m.role)
                if post is None or (e == sub and post == Post.GENERAL_MANAGER):
                    continue
                if Leader.objects.filter(enterprise=e, name=m.name, post=post).exists():
                    continue
                leader = services.leader_create(actor=None, enterprise=e, name=m.name, post=post,
                                                term_start=m.term_start, term_end=m.term_end)
                leader.body_member = m
                leader.save()
    if leader_user is not None:
        # yn_leader (王建国) is the group's chief accountant: he sees his own pay and contracts, no one else's.
        own = services.leader_create(actor=None, enterprise=group, name=leader_user.full_name or "王建国",
                                     post="chief_accountant", term_start=dt.date(2024, 1, 1), term_end=dt.date(2026, 12, 31))
        own.user = leader_user
        own.save()
    services.listing_set(actor=None, enterprise=sub, listed=True, basis="市委组织部关于市管企业名单的通知（演示）")
    _sanction(sub, timezone.localdate().year)
    _group_pay(reviewer, group)


def _sanction(sub: Enterprise, year: int) -> None:
    """An accountability case against the candidate (as GM-designate) with a 5 % performance-pay deduction."""
    from soegov.oversight.models import Case, CaseParty, Sanction

    case = Case.objects.create(enterprise=sub, policy="yining-2024", title=f"{SUBSIDIARY}管网工程款支付未按规定程序决策问责案",
                               facts="一笔工程款支付未经总经理办公会集体研究（演示）", violation="yn29_2",
                               citation={"document": "yining-2024", "article": 29, "item": 2})
    party = CaseParty.objects.create(case=case, name=CANDIDATE, position="总经理", enterprise=sub)
    Sanction.objects.create(case_party=party, tier="accountability", tier_label="问责处理（扣减绩效年薪10%以内）",
                            citation={"document": "xundian-2020", "article": 32}, year=year, rate="0.05")


def _group_pay(reviewer: User, group: Enterprise) -> None:
    """Last year's pay of the group's party secretary and chief accountant, so the ledger is not empty."""
    from soegov.matters.demo import _pdf

    year = timezone.localdate().year - 1
    decision = services.document_upload(actor=reviewer, enterprise=group, title="关于市属企业负责人薪酬的决定",
                                        doc_number=f"伊国资发〔{year + 1}〕2号", name="薪酬决定.pdf",
                                        data=_pdf("关于市属企业负责人薪酬的决定"))
    for post, base, perf in ((Post.PARTY_SECRETARY, "280000", "220000"), (Post.CHIEF_ACCOUNTANT, "210000", "150000")):
        leader = Leader.objects.filter(enterprise=group, post=post).first()
        if leader is not None:
            services.pay_set(actor=reviewer, leader=leader, year=year, base_pay=base, performance_pay=perf,
                             tenure_incentive="0", decision_number=decision.doc_number, decision=decision)


UNLISTED = "伊宁市城投建设工程有限公司"
DECLARED_MEETING = "2026年第5次党委会（人事任免）"


def _declared_meeting(group: Enterprise) -> None:
    """A group party committee meeting run through the meetings services: a personnel item voted by ballot whose
    announced result is registered as declared (no meeting rules in yining-2024), so it can ground the decision
    step of the unlisted route of UNLISTED."""
    from soegov.enterprises.models import DecisionBody
    from soegov.matters.demo import _pdf
    from soegov.meetings import services as meetings
    from soegov.meetings.models import Meeting
    from soegov.meetings.preparation import STEPS

    party = DecisionBody.objects.filter(enterprise=group, kind="party_committee").first()
    if party is None or Meeting.objects.filter(body=party, title=DECLARED_MEETING).exists():
        return
    topic = meetings.create_topic(actor=None, enterprise=group, title=f"推荐刘洋为{UNLISTED}副总经理人选",
                                  category="personnel", description=f"集团党委研究提出{UNLISTED}副总经理建议人选（演示）。")
    for step in STEPS:
        if step != "prestudy":
            topic = meetings.mark_step(actor=None, topic=topic, step=step, note="演示")
    meetings.upload_material(actor=None, topic=topic, name="干部考察材料.pdf", data=_pdf("干部考察材料"))
    topic.refresh_from_db()
    held = timezone.now() - dt.timedelta(days=3)
    meeting = meetings.create_meeting(actor=None, body=party, title=DECLARED_MEETING, held_at=held,
                                      place="集团五楼会议室", recorder="集团党委办公室")
    item = meetings.add_item(actor=None, meeting=meeting, topic=topic, voting_method="ballot")
    meetings.send_notice(actor=None, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=held - dt.timedelta(days=2))
    meeting.refresh_from_db()
    meetings.open_meeting(actor=None, meeting=meeting)
    members = list(party.members.filter(voting=True).order_by("id"))
    for m in members:
        meetings.record_attendance(actor=None, meeting=meeting, member=m, present=True)
    # Paper ballots registered by the party office: all for but one abstention.
    for n, m in enumerate(members):
        meetings.record_vote(actor=None, meeting=meeting, item=item, member=m, choice="abstain" if n == 1 else "for")
    meetings.set_conclusion(actor=None, meeting=meeting, item=item,
                            conclusion=f"同意推荐刘洋为{UNLISTED}副总经理人选，报市国资委审核。")
    meetings.declare_result(actor=None, meeting=meeting, item=item, passed=True)
    meetings.close_meeting(actor=None, meeting=meeting)
