"""Demo execution tracking, an emergency decision and one imported package for 寻甸 (idempotent).

Builds its own small meeting of 寻甸县城乡建设投资开发有限公司's party committee through the meetings
services (so it does not depend on the meetings demo), then: an overdue action item on its passed topic,
an emergency decision awaiting ratification, and the enterprise's 0004/0005/0006 packages imported by
xd_reviewer so the supervisor's page has a meeting with anomalies to drill into.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from soegov.accounts.models import User
from soegov.core.rendering import stand_in_pdf
from soegov.enterprises.models import DecisionBody, Enterprise

ENTERPRISE = "寻甸县城乡建设投资开发有限公司"
TITLE = "督办演示：党委会研究城区供水管网改造"


def _meeting(body: DecisionBody, held_at: dt.datetime) -> Any:
    from soegov.meetings import results, sessions, topics, voting
    from soegov.meetings.preparation import STEPS

    topic = topics.topic_create(actor=None, enterprise=body.enterprise, title="城区供水管网改造工程", category="major_project",
                                route=["party_committee", "board"])
    for step in STEPS:
        topic = topics.topic_step_mark(actor=None, topic=topic, step=step)
    topics.material_upload(actor=None, topic=topic, name="可行性研究报告.pdf", data=stand_in_pdf("城区供水管网改造可行性研究报告"))
    meeting = sessions.meeting_create(actor=None, body=body, title=TITLE, held_at=held_at, place="公司三楼会议室")
    item = sessions.item_add(actor=None, meeting=meeting, topic=topic)
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    members = list(body.members.filter(voting=True).order_by("-is_principal", "id"))
    for m in members:
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    # The principal states his view last (art. 11 (二) 3).
    sessions.statements_record(actor=None, meeting=meeting, item=item, order=members[1:] + members[:1])
    for m in members:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=m, choice="for")
    voting.conclusion_set(actor=None, meeting=meeting, item=item, conclusion="同意实施城区供水管网改造，提交董事会决策")
    results.meeting_close(actor=None, meeting=meeting)
    item.refresh_from_db()
    return item


def load_demo_followup() -> None:
    """An overdue action item, an emergency decision awaiting ratification, packages imported by xd_reviewer."""
    from soegov.exchange import exports, imports
    from soegov.exchange.meeting_export import meeting_record
    from soegov.exchange.models import ReceivedPackage
    from soegov.followup import services
    from soegov.followup.models import ActionItem

    enterprise = Enterprise.objects.filter(name=ENTERPRISE).first()
    reviewer = User.objects.filter(username="xd_reviewer").first()
    body = DecisionBody.objects.filter(enterprise=enterprise, kind="party_committee").first()
    if enterprise is None or reviewer is None or body is None or ActionItem.objects.filter(enterprise=enterprise).exists():
        return
    now = timezone.now()
    item = _meeting(body, now - dt.timedelta(days=20))
    action = services.action_create(actor=None, agenda_item=item, title="完成管网改造施工招标", owner_name="工程部 张伟",
                                    department="工程管理部", due_date=timezone.localdate() - dt.timedelta(days=6))
    services.action_report(actor=None, action=action, text="招标文件已编制，待法律审核", percent=40)
    services.action_create(actor=None, agenda_item=item, title="报县财政局（县国资委）备案", owner_name="办公室 李娜",
                           due_working_days=30)
    # The general manager decided the repair payment alone; his office (总经理办公会) ratifies it. Not the party
    # committee: README workflow 2 holds the party committee's next meeting, which would make it late (issue 13.6).
    office = DecisionBody.objects.filter(enterprise=enterprise, kind="gm_office").first() or body
    services.emergency_record(
        actor=None, body=office, title="先行支付爆管抢修费用", content="同意先行支付抢修费用 8.6 万元",
        reason="主干管爆裂，城区停水，须当日抢修", form="individual", decided_by=office.members.filter(
            is_principal=True).values_list("name", flat=True).first() or "主要负责人",
        decided_at=now - dt.timedelta(days=2))
    if ReceivedPackage.objects.filter(enterprise=enterprise).exists():
        return
    reg = exports.regulation_create(
        actor=None, enterprise=enterprise, name="党委会议事规则", approval_date=timezone.localdate() - dt.timedelta(days=300),
        effective_date=timezone.localdate() - dt.timedelta(days=290), audit_flag=True, rate="1/2",
        vote_mode="赞成票超过应到会成员人数的1/2", formal_name="党委会议事规则.pdf", formal_data=stand_in_pdf("党委会议事规则"))
    day = timezone.localdate()
    # Through the enterprise's own export, so what it records as sent agrees with what the supervisor holds
    # (the secretary's next 0004 download then sends 修改, not a second 新增).
    files = [(name.replace(".zip", f"_{i}.zip"), data)
             for i, (name, data, _) in enumerate(exports.items_export(actor=None, enterprise=enterprise, day=day))]
    files.append(exports.export_zip(actor=None, enterprise=enterprise, record=exports.regulation_package(reg)))
    files.append(exports.export_zip(actor=None, enterprise=enterprise, record=meeting_record(item.meeting),
                                    day=timezone.localtime(item.meeting.held_at).date()))
    imports.import_packages(actor=reviewer, files=files)
