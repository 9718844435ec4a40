"""Every main form marks its required fields and, when it refuses what was typed, marks the field at fault with its
own message under it and keeps what was typed (the shared web/_invalid.html and web/_field_error.html)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from soegov.meetings.models import Meeting, Topic
from tests.factories import UserFactory
from tests.meetings.factories import logged_in, make_body, xundian_enterprise

pytestmark = pytest.mark.django_db


def marked(page: str, field: str, words: str) -> bool:
    """The control named `field` is marked in error and its own message, saying `words`, is under it."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*name="{field}"[^>]*aria-invalid="true" '
                        rf'aria-describedby="err_([a-z_]+)"', page)
    said = control and re.search(rf'<span class="field-error" id="err_{control.group(1)}">([^<]+)</span>', page)
    return bool(said) and words in said.group(1)


def required(page: str, *ids: str) -> bool:
    """Each of these controls has a label marked required and says so itself; the form says what the mark means."""
    return "标 * 的为必填项" in page and all(
        re.search(rf'<label for="{i}" class="required">', page) and re.search(rf'id="{i}" aria-required="true"', page)
        for i in ids)


@pytest.fixture
def secretary() -> Any:
    enterprise = xundian_enterprise()
    make_body(enterprise, names=["甲书记", "乙委员", "丙委员"])
    return UserFactory(role="secretary", enterprise=enterprise)


def test_meeting_form(secretary: Any) -> None:
    c = logged_in(secretary)
    page = c.get("/meetings/").content.decode()
    assert required(page, "m_body", "m_title", "m_at")
    body = secretary.enterprise.bodies.get()
    r = c.post("/meetings/new/", {"body": body.pk, "title": "", "held_at": "2026-03-10T09:30", "place": "三楼会议室"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "title", "会议名称")
    # What was typed is still there, the form open; nothing else is marked.
    assert 'value="三楼会议室"' in page and 'value="2026-03-10T09:30"' in page and page.count('aria-invalid="true"') == 1
    assert not Meeting.objects.exists()
    r = c.post("/meetings/new/", {"body": body.pk, "title": "第一次党委会", "held_at": "明天"})
    assert r.status_code == 400 and marked(r.content.decode(), "held_at", "会议时间")
    assert 'value="第一次党委会"' in r.content.decode()
    r = c.post("/meetings/new/", {"body": body.pk, "title": "第一次党委会", "held_at": "2026-03-10T09:30"})
    assert r.status_code == 302 and Meeting.objects.get().title == "第一次党委会"


def test_topic_form(secretary: Any) -> None:
    c = logged_in(secretary)
    assert required(c.get("/meetings/topics/").content.decode(), "t_title", "t_cat")
    r = c.post("/meetings/topics/new/", {"title": "办公楼维修", "category": "large_fund", "amount": "十五万",
                                         "description": "三号楼屋面"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "amount", "金额")
    assert 'value="办公楼维修"' in page and "三号楼屋面</textarea>" in page and not Topic.objects.exists()
    r = c.post("/meetings/topics/new/", {"title": "", "category": "large_fund"})
    assert r.status_code == 400 and marked(r.content.decode(), "title", "议题名称")


@pytest.fixture
def xundian_user() -> Any:
    def make(role: str, **where: Any) -> Any:
        from tests.factories import EnterpriseFactory, JurisdictionFactory

        e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd", name="寻甸县", policy_packs=["xundian-2020"]),
                              name="寻甸县城乡建设投资开发有限公司", ownership="sole")
        return UserFactory(role=role, **({"enterprise": e} if where.get("own") else {"jurisdiction": e.jurisdiction})), e
    return make


def test_case_form(xundian_user: Any) -> None:
    from soegov.oversight.models import Case

    inspector, e = xundian_user("supervisor_inspector")
    c = logged_in(inspector)
    assert required(c.get("/oversight/cases/new/").content.decode(), "id_enterprise", "id_title", "id_facts", "id_violation")
    r = c.post("/oversight/cases/new/", {"enterprise": e.pk, "title": "办公楼维修未经集体研究", "facts": "",
                                         "violation": "xd31_1", "responsibility": "individual"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "facts", "违规事实")
    assert 'value="办公楼维修未经集体研究"' in page and not Case.objects.exists()
    r = c.post("/oversight/cases/new/", {"enterprise": "", "title": "t", "facts": "f", "violation": "xd31_1"})
    assert r.status_code == 400 and marked(r.content.decode(), "enterprise", "请选择企业")


def test_regulation_form(xundian_user: Any) -> None:
    filer, e = xundian_user("enterprise_filer", own=True)
    c = logged_in(filer)
    form = c.get("/exchange/regulations/").content.decode()
    assert required(form, "id_enterprise", "id_name", "id_type", "id_vote", "id_formal")
    vote_mode = re.search(r'id="id_vote"[^>]*><option value="([^"]+)"', form)
    assert vote_mode
    r = c.post("/exchange/regulations/", {"enterprise": e.pk, "name": "党委会议事规则", "type_name": "议事规则",
                                         "approval_date": "2026-03-01", "effective_date": "2026-03-01", "rate": "1/2",
                                         "audit_flag": "是", "vote_mode": vote_mode.group(1), "remark": "第二版"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "formal_file", "正式文件")
    assert 'value="第二版"' in page


def test_leader_form(xundian_user: Any) -> None:
    from soegov.leaders.models import Leader

    reviewer, e = xundian_user("supervisor_reviewer")
    c = logged_in(reviewer)
    assert required(c.get(f"/leaders/enterprise/{e.pk}/").content.decode(), "l_name", "l_post")
    r = c.post(f"/leaders/enterprise/{e.pk}/act/leader/", {"name": "钱立新", "post": "general_manager",
                                                             "term_start": "2026-13-01"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "term_start", "任期开始日期")
    assert 'value="钱立新"' in page and not Leader.objects.exists()
    # The other forms of the page, with fields of the same names, are not marked.
    assert page.count('aria-invalid="true"') == 1


def test_appointment_form_marks_the_field_at_fault() -> None:
    # Its refusal used to show only at the top of the page, far above the form (a newcomer looked for it).
    from soegov.leaders.models import Appointment
    from tests.factories import EnterpriseFactory, JurisdictionFactory

    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", name="伊宁市", policy_packs=["yining-2024"]),
                          name="伊宁市供排水有限责任公司", ownership="sole")
    c = logged_in(UserFactory(role="supervisor_reviewer", jurisdiction=e.jurisdiction))
    assert 'id="a_name"' in c.get(f"/leaders/enterprise/{e.pk}/").content.decode()
    r = c.post(f"/leaders/enterprise/{e.pk}/act/appoint/", {"kind": "appoint", "person_name": "", "post": "general_manager"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "person_name", "人选姓名")
    assert page.count('aria-invalid="true"') == 1 and not Appointment.objects.exists()
    r = c.post(f"/leaders/enterprise/{e.pk}/act/appoint/", {"kind": "appoint", "person_name": "张伟",
                                                             "post": "general_manager", "term_start": "2026-13-40"})
    page = r.content.decode()
    assert r.status_code == 400 and marked(page, "term_start", "任期开始日期") and 'value="张伟"' in page
