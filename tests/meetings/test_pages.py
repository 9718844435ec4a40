"""The meeting pages driven over HTTP as the secretary, a member, a bystander and the supervisor."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soegov.audit.models import AuditEntry
from soegov.core.errors import SoegovError
from soegov.meetings import sessions, topics
from soegov.meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    logged_in,
    make_body,
    member,
    prepared_topic,
    xundian_enterprise,
    xundian_meeting,
)
from tests.signatures.factories import PIN, signature_key

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员", "丁委员", "戊委员"]
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting() -> Meeting:
    return xundian_meeting(NAMES, title="第三次党委会", held_at=timezone.now() + dt.timedelta(hours=1), place="三楼会议室")


@pytest.fixture
def secretary(meeting: Meeting) -> Any:
    return UserFactory(role="secretary", enterprise=meeting.enterprise)


def _post(c: Client, meeting: Meeting, action: str, **data: Any) -> Any:
    return c.post(f"/meetings/{meeting.pk}/act/{action}/", data, **HX)


def _run(c: Client, meeting: Meeting, item: AgendaItem, adhoc: AgendaItem | None = None) -> None:
    for action in ("notice", "distribute", "open"):
        assert c.post(f"/meetings/{meeting.pk}/act/{action}/").status_code == 302
    for name in NAMES[:2]:
        r = _post(c, meeting, "attendance", member=member(meeting.body, name).pk, present="1")
        assert r.status_code == 200 and "出席 " in r.content.decode()
    r = _post(c, meeting, "attendance", member=member(meeting.body, "戊委员").pk, present="0")
    assert "请填写戊委员的缺席原因" in r.content.decode()
    _post(c, meeting, "attendance", member=member(meeting.body, "戊委员").pk, present="0", absence_reason="病假",
          written_opinion="同意。")
    assert "出席 4 / 5" in _post(c, meeting, "all_present").content.decode()
    order = [member(meeting.body, n).pk for n in ["乙委员", "丙委员", "丁委员", "甲书记"]]
    for it in [item] + ([adhoc] if adhoc else []):
        _post(c, meeting, "statements", item=it.pk, order=order)
        for name, choice, words in [("乙委员", "for", ""), ("丙委员", "against", "风险评估不充分，我反对。"),
                                    ("丁委员", "for", ""), ("甲书记", "for", "同意。")]:
            r = _post(c, meeting, "vote", item=it.pk, member=member(meeting.body, name).pk, choice=choice, opinion=words)
            assert r.status_code == 200


def test_secretary_runs_a_meeting_and_the_page_shows_the_engines_result(meeting: Meeting, secretary: Any) -> None:
    c = logged_in(secretary)
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    raw = topics.topic_create(actor=None, enterprise=meeting.enterprise, title="会上提出的捐赠", category="large_fund",
                              route=["party_committee"])
    _run(c, meeting, item)
    assert c.post(f"/meetings/{meeting.pk}/act/add_item/", {"topic": raw.pk, "ad_hoc": "1"}).status_code == 302
    adhoc = meeting.items.get(topic=raw)
    for name in ["乙委员", "丙委员", "丁委员", "甲书记"]:
        _post(c, meeting, "vote", item=adhoc.pk, member=member(meeting.body, name).pk, choice="for")
    html = _post(c, meeting, "results").content.decode()
    assert "已由规则引擎计票" in html
    item.refresh_from_db()
    adhoc.refresh_from_db()
    assert item.passed is True and adhoc.passed is False
    assert "临时动议" in html and "不能视为通过" in html and "第14条" in html
    assert "风险评估不充分，我反对。" in html
    page = c.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "实到 4" in page and "须至少 3 人" in page
    assert AuditEntry.objects.filter(action="meeting.read", object_id=str(meeting.pk)).exists()
    assert AuditEntry.objects.filter(action="meeting.vote").count() >= 8


def test_all_present_records_every_member_or_none(meeting: Meeting, secretary: Any, monkeypatch: Any) -> None:
    # 其余成员出席 is one service in one transaction: a refusal at the third member leaves no one recorded.
    c = logged_in(secretary)
    AgendaItemFactory(meeting=meeting, title="年度投资计划")
    for action in ("notice", "distribute", "open"):
        assert c.post(f"/meetings/{meeting.pk}/act/{action}/").status_code == 302
    real, seen = sessions.attendance_record, []

    def third_refused(**kwargs: Any) -> Any:
        seen.append(kwargs["member"])
        if len(seen) == 3:
            raise SoegovError("refused", "第三位成员无法登记", "member")
        return real(**kwargs)

    monkeypatch.setattr(sessions, "attendance_record", third_refused)
    html = _post(c, meeting, "all_present").content.decode()
    assert "第三位成员无法登记" in html and len(seen) == 3
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert not AuditEntry.objects.filter(action="meeting.attendance").exists()
    monkeypatch.undo()
    assert "出席 5 / 5" in _post(c, meeting, "all_present").content.decode()
    assert AuditEntry.objects.filter(action="meeting.attendance").count() == 5


def test_an_absent_member_gets_no_recusal_buttons(meeting: Meeting, secretary: Any) -> None:
    c = logged_in(secretary)
    AgendaItemFactory(meeting=meeting, title="年度投资计划")
    for action in ("notice", "distribute", "open"):
        assert c.post(f"/meetings/{meeting.pk}/act/{action}/").status_code == 302
    _post(c, meeting, "attendance", member=member(meeting.body, "戊委员").pk, present="0", absence_reason="病假")
    html = _post(c, meeting, "all_present").content.decode()
    assert 'aria-label="乙委员回避"' in html  # present: may recuse himself from an item
    assert 'aria-label="戊委员回避"' not in html and 'aria-label="戊委员回避原因"' not in html


def test_minutes_docx_carries_the_six_elements_and_is_locked_after_archiving(meeting: Meeting, secretary: Any) -> None:
    from docx import Document

    c = logged_in(secretary)
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    _run(c, meeting, item)
    c.post(f"/meetings/{meeting.pk}/act/close/")
    c.post(f"/meetings/{meeting.pk}/act/minutes/", {"disagreements": "对融资方案有分歧。", "nonvoting_opinions": "监事：无意见。",
                                                    "version": meeting.minutes.version})
    r = c.post(f"/meetings/{meeting.pk}/act/archive/", {"version": Meeting.objects.get(pk=meeting.pk).minutes.version},
               follow=True)
    assert "以下出席人员尚未签字，不能归档" in r.content.decode()
    # The secretary cannot sign for anyone; each member signs himself, logged in, with his own PIN.
    r = c.post(f"/meetings/{meeting.pk}/act/sign/", {"member": member(meeting.body, NAMES[0]).pk, "pin": PIN},
               follow=True)
    assert "不能代签" in r.content.decode()
    for name in NAMES[:4]:
        seat = member(meeting.body, name)
        seat.user = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise, full_name=name)
        seat.save()
        signature_key(seat.user)
        r = logged_in(seat.user).post(f"/meetings/{meeting.pk}/act/sign/", {"pin": PIN}, follow=True)
        assert "已以本人电子签名（SM2）签署会议记录" in r.content.decode()
    c.post(f"/meetings/{meeting.pk}/act/archive/", {"version": Meeting.objects.get(pk=meeting.pk).minutes.version})
    meeting.refresh_from_db()
    assert meeting.status == "archived" and meeting.minutes.status == "archived"
    r = c.get(f"/meetings/{meeting.pk}/documents/record.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    for heading in ["一、基本情况", "二、会议决策的主要议题", "三、决策机构成员本人的意见和表态", "四、其他列席会议人员的意见",
                    "五、主要分歧意见", "六、会议最终决定"]:
        assert heading in text
    assert "缺席人员：戊委员（病假）" in text and "书面意见：“同意。”" in text
    assert "丙委员：反对，意见：“风险评估不充分，我反对。”" in text
    assert "赞成3票、反对1票" in text and "通过" in text
    assert "出席人员签字：甲书记" in text and "以本记录所附本人 SM2 电子签名为准" in text and "监事：无意见。" in text
    from soegov.signatures.verify import verify_bytes

    report = verify_bytes(r.content)
    assert report.ok and sorted(s.signer for s in report.signatures) == sorted(NAMES[:4])
    summary = c.get(f"/meetings/{meeting.pk}/documents/summary.pdf")
    assert summary.status_code == 200 and summary.content.startswith(b"%PDF")
    # Archived: nothing more can be written.
    c.post(f"/meetings/{meeting.pk}/act/minutes/", {"summary": "改动", "version": meeting.minutes.version})
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.summary == ""


def test_minutes_are_refused_to_the_not_entitled_and_the_refusal_audited(meeting: Meeting, secretary: Any) -> None:
    item = AgendaItemFactory(meeting=meeting)
    _run(logged_in(secretary), meeting, item)
    logged_in(secretary).post(f"/meetings/{meeting.pk}/act/close/")
    filer = UserFactory(role="enterprise_filer", enterprise=meeting.enterprise)
    r = logged_in(filer).get(f"/meetings/{meeting.pk}/documents/record.docx")
    assert r.status_code == 403
    denied = AuditEntry.objects.get(action="meeting.minutes_denied")
    assert denied.actor == filer and denied.object_id == str(meeting.pk)
    page = logged_in(filer).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "风险评估不充分" not in page and "仅限该决策机构成员" in page
    stranger = UserFactory(role="secretary", enterprise=EnterpriseFactory())
    assert logged_in(stranger).get(f"/meetings/{meeting.pk}/documents/record.docx").status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=stranger).exists()
    reviewer = UserFactory(role="supervisor_reviewer", jurisdiction=meeting.enterprise.jurisdiction)
    assert logged_in(reviewer).get(f"/meetings/{meeting.pk}/documents/record.docx").status_code == 200
    assert AuditEntry.objects.filter(action="meeting.minutes_read", actor=reviewer).exists()
    m = member(meeting.body, "乙委员")
    m.user = filer
    m.save()
    assert logged_in(filer).get(f"/meetings/{meeting.pk}/documents/summary.docx").status_code == 200


def test_supervisor_browses_decisions_of_the_jurisdiction(meeting: Meeting, secretary: Any) -> None:
    item = AgendaItemFactory(meeting=meeting, title="城北片区道路改造")
    _run(logged_in(secretary), meeting, item)
    logged_in(secretary).post(f"/meetings/{meeting.pk}/act/close/")
    reviewer = UserFactory(role="supervisor_reviewer", jurisdiction=meeting.enterprise.jurisdiction)
    html = logged_in(reviewer).get("/meetings/decisions/").content.decode()
    assert "城北片区道路改造" in html and "通过" in html
    other = UserFactory(role="supervisor_reviewer", jurisdiction=JurisdictionFactory())
    assert "城北片区道路改造" not in logged_in(other).get("/meetings/decisions/").content.decode()


def test_a_member_casts_his_own_ballot_on_the_page(meeting: Meeting, secretary: Any) -> None:
    item = AgendaItemFactory(meeting=meeting, category="personnel", title="任免部门经理")
    hands = AgendaItemFactory(meeting=meeting, title="购置办公设备", voting_method="show_of_hands")
    leader = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise)
    m = member(meeting.body, "乙委员")
    m.user = leader
    m.save()
    c = logged_in(secretary)
    for action in ("notice", "open"):
        c.post(f"/meetings/{meeting.pk}/act/{action}/")
    _post(c, meeting, "all_present")  # only a member recorded present votes (INV-MEET-4)
    r = _post(c, meeting, "vote", item=item.pk, member=m.pk, choice="for")
    assert "须由乙委员本人登录投票" in r.content.decode()
    page = logged_in(leader).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "我的表决（乙委员）" in page
    signature_key(leader)
    r = _post(logged_in(leader), meeting, "vote", item=item.pk, choice="against", opinion="人选资历不足", pin="wrong-pin")
    assert "签名密码错误" in r.content.decode() and not item.votes.filter(member=m).exists()
    assert 'name="pin"' in page
    r = _post(logged_in(leader), meeting, "vote", item=item.pk, choice="against", opinion="人选资历不足", pin=PIN)
    assert "已投票并以本人电子签名签署" in r.content.decode()
    assert item.votes.get(member=m).choice == "against"
    # The ballot's content stays out of the meeting's audit trail.
    entry = AuditEntry.objects.filter(action="meeting.vote").last()
    assert entry is not None and "choice" not in entry.after["detail"]
    # A show-of-hands item is the secretary's to record: no 我的表决 form for it, and the member's own post is refused.
    page = logged_in(leader).get(f"/meetings/{meeting.pk}/").content.decode()
    assert page.count("我的表决（乙委员）") == 1
    r = _post(logged_in(leader), meeting, "vote", item=hands.pk, member=m.pk, choice="for")
    assert not hands.votes.filter(member=m).exists(), r.content.decode()[:300]


def test_a_jurisdiction_without_meeting_rules_says_so() -> None:
    yining = JurisdictionFactory(code="yn-test", policy_packs=["yining-2024"])
    body = make_body(EnterpriseFactory(jurisdiction=yining))
    meeting = MeetingFactory(body=body)
    AgendaItemFactory(meeting=meeting)
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    c = logged_in(secretary)
    page = c.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "没有“三重一大”会议决策规则" in page
    r = _post(c, meeting, "results")
    assert "不计算结果" in r.content.decode()
    assert meeting.items.get().passed is None


def test_topic_preparation_on_the_page(secretary: Any, meeting: Meeting) -> None:
    c = logged_in(secretary)
    r = c.post("/meetings/topics/new/", {"title": "办公楼维修", "category": "large_fund", "amount": "150,000"})
    assert r.status_code == 302
    url = r["Location"]
    page = c.get(url).content.decode()
    assert "上会前还须完成" in page and "调研论证和风险评估" in page
    r = c.post(f"/meetings/{meeting.pk}/act/add_item/", {"topic": url.rstrip("/").split("/")[-1]}, follow=True)
    assert "议题尚未完成会前准备" in r.content.decode()
    ready = prepared_topic(meeting.enterprise, title="准备好的议题")
    r = c.post(f"/meetings/{meeting.pk}/act/add_item/", {"topic": ready.pk}, follow=True)
    assert "议题已列入议程" in r.content.decode()


def test_decision_list_is_edited_within_limits_and_filed(secretary: Any) -> None:
    c = logged_in(secretary)
    r = c.post("/meetings/lists/")
    url = r["Location"]
    ver = secretary.enterprise.decision_lists.get().version
    r = c.post(url, {"rule": "x21-2-non-production", "threshold": "50000", "version": ver}, follow=True)
    assert "限额只能比制度更严" in r.content.decode()
    r = c.post(url, {"rule": "x21-2-non-production", "threshold": "20000", "version": ver,
                     "bodies": ["party_committee", "gm_office"]}, follow=True)
    assert "决策机构及顺序不得少于制度要求" in r.content.decode()
    r = c.post(url, {"rule": "x21-2-non-production", "threshold": "20000", "version": ver,
                     "bodies": ["party_committee", "board", "gm_office"]}, follow=True)
    assert "已保存" in r.content.decode()
    reviewer = UserFactory(role="supervisor_reviewer", jurisdiction=secretary.enterprise.jurisdiction)
    assert logged_in(reviewer).get(url).status_code == 404  # a draft is not the supervisor's yet
    c.post(url, {"action": "file", "version": ver + 1})
    html = logged_in(reviewer).get(url).content.decode()
    assert "已报国资监管机构备案" in html and "20000" in html
    topic = topics.topic_create(actor=None, enterprise=secretary.enterprise, title="办公用品采购", category="large_fund",
                                amount="25000")
    assert topic.route == ["party_committee", "board", "gm_office"]


def test_a_member_reads_the_materials_and_each_read_is_audited(meeting: Meeting, secretary: Any) -> None:
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    leader = UserFactory(role="enterprise_leader", enterprise=meeting.enterprise)
    m = member(meeting.body, "乙委员")
    m.user = leader
    m.save()
    page = logged_in(leader).get(f"/meetings/{meeting.pk}/").content.decode()
    material = item.topic.materials.get()
    assert f"/meetings/materials/{material.pk}/" in page
    r = logged_in(leader).get(f"/meetings/materials/{material.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="topic.material_read", actor=leader).exists()
    outsider = UserFactory(role="supervisor_inspector", jurisdiction=JurisdictionFactory())
    assert logged_in(outsider).get(f"/meetings/materials/{material.pk}/").status_code == 404
    r = logged_in(secretary).post(f"/meetings/{meeting.pk}/act/add_item/", {"topic": "99999"}, follow=True)
    assert "请选择本企业的议题" in r.content.decode()


def test_a_party_branch_meeting_in_xundian_is_recorded_without_results() -> None:
    body = make_body(xundian_enterprise(), kind="party_branch", names=["甲", "乙", "丙"])
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting)
    secretary = UserFactory(role="secretary", enterprise=meeting.enterprise)
    c = logged_in(secretary)
    for action in ("notice", "open", "all_present"):
        c.post(f"/meetings/{meeting.pk}/act/{action}/")
    _post(c, meeting, "vote", item=item.pk, member=member(body, "乙").pk, choice="for")
    assert "不适用于党支部委员会" in c.get(f"/meetings/{meeting.pk}/").content.decode()
    r = c.post(f"/meetings/{meeting.pk}/act/close/", follow=True)
    assert r.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "closed" and meeting.items.get().passed is None


def test_paper_copies_are_issued_recovered_and_destroyed_one_by_one(meeting: Meeting, secretary: Any) -> None:
    c = logged_in(secretary)
    c.post(f"/meetings/{meeting.pk}/act/copy_issue/", {"holder": "乙委员", "what": "会议纪要"})
    c.post(f"/meetings/{meeting.pk}/act/copy_issue/", {"holder": "丙委员", "what": "会议纪要"})
    first, second = meeting.copies.order_by("number")
    assert (first.number, second.number) == (1, 2)
    r = c.post(f"/meetings/{meeting.pk}/act/copy_destroy/", {"copy": first.pk}, follow=True)
    assert "第1份尚未回收，不能登记销毁" in r.content.decode()
    c.post(f"/meetings/{meeting.pk}/act/copy_recover/", {"copy": first.pk})
    c.post(f"/meetings/{meeting.pk}/act/copy_destroy/", {"copy": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.recovered_at and first.destroyed_at and second.recovered_at is None
    assert AuditEntry.objects.filter(action="meeting.copy_destroy", object_id=str(first.pk)).count() == 1
    filer = UserFactory(role="enterprise_filer", enterprise=meeting.enterprise)
    logged_in(filer).post(f"/meetings/{meeting.pk}/act/copy_recover/", {"copy": second.pk})
    second.refresh_from_db()
    assert second.recovered_at is None


def test_a_statement_order_with_the_principal_before_the_others_is_flagged_on_the_page(meeting: Meeting,
                                                                                        secretary: Any) -> None:
    # Issue 13 item 8: the order is recorded as spoken, and the page says at once that it breaks 末位表态,
    # from the engine's one meeting check (xundian art. 11(二)3).
    c = logged_in(secretary)
    item = AgendaItemFactory(meeting=meeting, title="年度投资计划")
    for action in ("notice", "distribute", "open"):
        assert c.post(f"/meetings/{meeting.pk}/act/{action}/").status_code == 302
    _post(c, meeting, "all_present")
    early = [member(meeting.body, n).pk for n in ["乙委员", "甲书记", "丙委员", "丁委员", "戊委员"]]
    page = _post(c, meeting, "statements", item=item.pk, order=early).content.decode()
    assert 'class="msg error"' in page and "已登记表态顺序。请注意：" in page
    assert "主要负责人甲书记在其他出席成员发表意见之前表态" in page and "第11条" in page and "xundian-2020" not in page
    item.refresh_from_db()
    assert len(item.statements) == 5  # recorded as it happened, not refused
    last = [member(meeting.body, n).pk for n in ["乙委员", "丙委员", "丁委员", "戊委员", "甲书记"]]
    page = _post(c, meeting, "statements", item=item.pk, order=last).content.decode()
    assert 'class="msg success"' in page and "请注意" not in page
