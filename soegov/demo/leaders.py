"""Demo leaders of 伊宁市: teams from the decision bodies, a listed level-2 group, a sanction (idempotent).

The click path in the README has yn_reviewer appoint 张伟 general manager of 伊宁市供排水有限责任公司 (a level-2
group on the city's list: yining art. 7 item 1 — proposed by the supervisor, examined by the organisation
department, decided by the city party standing committee, then the appointment document), sign and score his
annual contract and set his pay. Preloaded through the services: the group GM's 通报批评 (yining art. 30, no pay
deduction) beside his score, and 寻甸县城乡建设投资开发有限公司's team with its GM's decided, not yet applied art. 32
deduction, which xd_reviewer applies on the GM's page.

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
from soegov.core.rendering import stand_in_pdf
from soegov.enterprises.models import Enterprise
from soegov.leaders import contracts, pay, records
from soegov.leaders.models import Leader, Post

GROUP = "伊宁市城市建设投资集团有限公司"
SUBSIDIARY = "伊宁市供排水有限责任公司"
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
                leader = records.leader_create(actor=None, enterprise=e, name=m.name, post=post,
                                               term_start=m.term_start, term_end=m.term_end)
                leader.body_member = m
                leader.save()
    if leader_user is not None:
        # yn_leader (王建国) is the group's chief accountant: he sees his own pay and contracts, no one else's.
        own = records.leader_create(actor=None, enterprise=group, name=leader_user.full_name or "王建国",
                                    post="chief_accountant", term_start=dt.date(2024, 1, 1), term_end=dt.date(2026, 12, 31))
        own.user = leader_user
        own.save()
    records.listing_set(actor=None, enterprise=sub, listed=True, basis="市委组织部关于市管企业名单的通知（演示）")
    _sanction(timezone.localdate().year)
    _group_pay(reviewer, group)
    _xundian()


def _sanction(year: int) -> None:
    """A Yining case against the group's general manager, through oversight's services as yn_inspector.

    Yining art. 29 item 2 (不按规定程序决策), measure 通报批评 of art. 30: the Yining rules set no pay deduction,
    so nothing is deducted (only xundian art. 32 deducts pay).
    """
    from soegov.oversight import cases

    inspector = User.objects.filter(username="yn_inspector").first()
    group = Enterprise.objects.filter(name=GROUP).first()
    gm = Leader.objects.filter(enterprise=group, post=Post.GENERAL_MANAGER).first()
    if inspector is None or group is None or gm is None:
        return
    case = cases.case_open(actor=inspector, enterprise=group, title=f"{GROUP}办公楼维修项目未按规定程序决策问责案",
                           facts="办公楼维修项目（合同价 46 万元）未经总经理办公会集体研究，由总经理个人审批后实施（演示）",
                           violation="yn29_2")
    party = cases.party_add(actor=inspector, case=case, name=gm.name, position="总经理", responsibility="leadership")
    cases.sanction_add(actor=inspector, party=party, tier="circulated_criticism", year=year,
                       note="伊宁办法第三十条：情节较轻，由国资监管机构通报批评；该办法未规定扣减薪酬")
    case = cases.case_step(actor=inspector, case=case, action="decide",
                           decision=f"给予{gm.name}通报批评（伊宁办法第二十九条第二项、第三十条）。")
    cases.case_step(actor=inspector, case=case, action="close")


def _group_pay(reviewer: User, group: Enterprise) -> None:
    """Last year's pay of the group's party secretary, general manager and chief accountant, so the ledger is
    not empty; then the general manager's contract of this year, scored with the Yining measure beside it."""
    year = timezone.localdate().year - 1
    decision = records.document_upload(actor=reviewer, enterprise=group, title="关于市属企业负责人薪酬的决定",
                                       doc_number=f"伊国资发〔{year + 1}〕2号", name="薪酬决定.pdf",
                                       data=stand_in_pdf("关于市属企业负责人薪酬的决定"))
    for post, base, perf in ((Post.PARTY_SECRETARY, "280000", "220000"), (Post.GENERAL_MANAGER, "270000", "210000"),
                             (Post.CHIEF_ACCOUNTANT, "210000", "150000")):
        leader = Leader.objects.filter(enterprise=group, post=post).first()
        if leader is not None:
            pay.pay_set(actor=reviewer, leader=leader, year=year, base_pay=base, performance_pay=perf,
                        tenure_incentive="0", decision_number=decision.doc_number, decision=decision)
    _group_gm(reviewer, group)


def _group_gm(reviewer: User, group: Enterprise) -> None:
    """The group GM's pay of this year and annual contract of the last year whose end has come, scored after his case so the score keeps the 通报批评
    beside it (and applying that measure to his pay is refused: the Yining rules deduct nothing)."""
    gm = Leader.objects.filter(enterprise=group, post=Post.GENERAL_MANAGER).first()
    if gm is None:
        return
    today = timezone.localdate()
    decision = records.document_upload(actor=reviewer, enterprise=group, title="关于集团总经理年度薪酬的决定",
                                       doc_number=f"伊国资发〔{today.year}〕5号", name="薪酬决定.pdf",
                                       data=stand_in_pdf("关于集团总经理年度薪酬的决定"))
    pay.pay_set(actor=reviewer, leader=gm, year=today.year, base_pay="270000", performance_pay="210000",
                tenure_incentive="0", decision_number=decision.doc_number, decision=decision)
    targets = [{"name": "利润总额", "unit": "万元", "weight": "50", "target": "3000", "direction": "higher"},
               {"name": "营业收入", "unit": "万元", "weight": "30", "target": "20000", "direction": "higher"},
               {"name": "资产负债率", "unit": "%", "weight": "20", "target": "65", "direction": "lower"}]
    # A year is scored from its last month on (issue 13.10): this year's contract in December, else last year's.
    year = today.year if today.month == 12 else today.year - 1
    contract = contracts.contract_sign(actor=reviewer, leader=gm, kind="annual", year=year, targets=targets,
                                       signed_on=dt.date(year, 1, 15))
    contracts.contract_score(actor=reviewer, contract=contract, results=["2850", "21000", "63"], scored_on=today,
                             reward="通报批评一次（伊宁办法第三十条），该办法未规定扣减薪酬")


XD_ENTERPRISE = "寻甸县城乡建设投资开发有限公司"
XD_CASE_TITLE = "新区道路绿化工程款拆分支付规避集体决策问责案"
XD_GM_PAY = ("240000", "180000")  # base, performance pay of this year (yuan)
XD_RATE = "0.05"


def _xundian() -> None:
    """寻甸县城乡建设投资开发有限公司: its team, xd_reviewer's permission, this year's pay of the general manager
    and an accountability case against him (xundian art. 31 item 2, art. 32 问责处理 5 %), decided through
    oversight's services as xd_inspector and left NOT applied: xd_reviewer deducts it on the leader's page."""
    from soegov.oversight import cases

    reviewer = User.objects.filter(username="xd_reviewer").first()
    inspector = User.objects.filter(username="xd_inspector").first()
    xd = Enterprise.objects.filter(name=XD_ENTERPRISE).first()
    if reviewer is None or inspector is None or xd is None or Leader.objects.filter(enterprise=xd).exists():
        return
    reviewer.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="leaders"))
    reviewer = User.objects.get(pk=reviewer.pk)
    for body in xd.bodies.all():
        for m in body.members.all():
            post = ROLE_POSTS.get(m.role)
            if post is None or Leader.objects.filter(enterprise=xd, name=m.name, post=post).exists():
                continue
            leader = records.leader_create(actor=reviewer, enterprise=xd, name=m.name, post=post,
                                           term_start=m.term_start, term_end=m.term_end)
            leader.body_member = m
            leader.save()
    gm = Leader.objects.filter(enterprise=xd, post=Post.GENERAL_MANAGER).first()
    if gm is None:
        return
    year = timezone.localdate().year
    decision = records.document_upload(actor=reviewer, enterprise=xd, title="关于县属企业负责人薪酬的决定",
                                       doc_number=f"寻财国资〔{year}〕3号", name="薪酬决定.pdf",
                                       data=stand_in_pdf("关于县属企业负责人薪酬的决定"))
    pay.pay_set(actor=reviewer, leader=gm, year=year, base_pay=XD_GM_PAY[0], performance_pay=XD_GM_PAY[1],
                tenure_incentive="0", decision_number=decision.doc_number, decision=decision)
    case = cases.case_open(actor=inspector, enterprise=xd, title=XD_CASE_TITLE, violation="xd31_2",
                           facts="新区道路绿化工程款 8.6 万元分三笔支付给同一施工单位，每笔均低于 3 万元，"
                                 "规避总经理办公会集体决策，由总经理个人审批（演示）")
    party = cases.party_add(actor=inspector, case=case, name=gm.name, position="总经理", responsibility="direct")
    cases.sanction_add(actor=inspector, party=party, tier="accountability", year=year, rate=XD_RATE,
                       note="寻甸办法第三十二条：问责处理，扣减当年绩效年薪 5%")
    case = cases.case_step(actor=inspector, case=case, action="decide",
                           decision=f"给予{gm.name}问责处理，扣减{year}年度绩效年薪 5%（寻甸办法第三十一条第二项、第三十二条）。")
    cases.case_step(actor=inspector, case=case, action="close")


UNLISTED = "伊宁市城投建设工程有限公司"
DECLARED_MEETING = "2026年第5次党委会（人事任免）"


def _declared_meeting(group: Enterprise) -> None:
    """A group party committee meeting run through the meetings services: a personnel item voted by ballot whose
    announced result is registered as declared (no meeting rules in yining-2024), so it can ground the decision
    step of the unlisted route of UNLISTED."""
    from soegov.enterprises.models import DecisionBody
    from soegov.meetings import results, sessions, topics, voting
    from soegov.meetings.models import Meeting
    from soegov.meetings.preparation import STEPS

    party = DecisionBody.objects.filter(enterprise=group, kind="party_committee").first()
    if party is None or Meeting.objects.filter(body=party, title=DECLARED_MEETING).exists():
        return
    topic = topics.topic_create(actor=None, enterprise=group, title=f"推荐刘洋为{UNLISTED}副总经理人选",
                                category="personnel", description=f"集团党委研究提出{UNLISTED}副总经理建议人选（演示）。")
    for step in STEPS:
        if step != "prestudy":
            topic = topics.topic_step_mark(actor=None, topic=topic, step=step, note="演示")
    topics.material_upload(actor=None, topic=topic, name="干部考察材料.pdf", data=stand_in_pdf("干部考察材料"))
    topic.refresh_from_db()
    held = timezone.now() - dt.timedelta(days=3)
    meeting = sessions.meeting_create(actor=None, body=party, title=DECLARED_MEETING, held_at=held,
                                      place="集团五楼会议室", recorder="集团党委办公室")
    item = sessions.item_add(actor=None, meeting=meeting, topic=topic, voting_method="ballot")
    sessions.notice_send(actor=None, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=held - dt.timedelta(days=2))
    meeting.refresh_from_db()
    sessions.meeting_open(actor=None, meeting=meeting)
    members = list(party.members.filter(voting=True).order_by("id"))
    for m in members:
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    # Paper ballots registered by the party office: all for but one abstention.
    for n, m in enumerate(members):
        voting.vote_record(actor=None, meeting=meeting, item=item, member=m, choice="abstain" if n == 1 else "for")
    voting.conclusion_set(actor=None, meeting=meeting, item=item,
                          conclusion=f"同意推荐刘洋为{UNLISTED}副总经理人选，报市国资委审核。")
    results.result_declare(actor=None, meeting=meeting, item=item, passed=True)
    results.meeting_close(actor=None, meeting=meeting)
