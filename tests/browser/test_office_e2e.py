"""Issue 18's office day at 1440 px and on a 390 px phone: a reviewer starts from his 待办, finds matters with the
header's search, signs for and files several at once (with the confirmation and each refusal named); a board
member votes his ballot from his 待办; a reviewer approves a request. Screenshots go to $SOEGOV_SCREENSHOT_DIR."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.matters import editing, lifecycle
from soegov.matters.models import Matter, Status
from soegov.meetings import results, sessions
from tests.browser.conftest import login
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import APPROVAL_SASAC, POST_FILING, attach_all, decide
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member, xundian_enterprise
from tests.signatures.factories import PIN, signature_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1440, 390]


def _submitted(filer: Any, enterprise: Any, kind: Any, title: str) -> Matter:
    matter_type, amount, attributes = kind
    m = editing.matter_create(actor=filer, enterprise=enterprise, matter_type=matter_type, title=title, amount=amount,
                              attributes=dict(attributes), occurred_on=dt.date(2026, 3, 2), description="说明",
                              date_confirmed=True)
    m = attach_all(filer, decide(filer, m))
    return lifecycle.matter_submit(actor=filer, matter=m, version=m.version)


def _yining() -> tuple[Any, Any]:
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", name="伊宁市", policy_packs=["yining-2024"]),
                          name="伊宁市供排水有限责任公司")
    return e, UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _shot(page: Any, tmp_path: Path, name: str) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reviewer_works_from_his_inbox_searches_and_files_several_at_once(browser: Any, live_server: Any,
                                                                            tmp_path: Path, width: int) -> None:
    from playwright.sync_api import expect

    e, filer = _yining()
    for title in ("任命工程管理部副经理", "任命财务部经理", "任命办公室主任"):
        _submitted(filer, e, POST_FILING, title)
    _submitted(filer, e, APPROVAL_SASAC, "对外捐赠用于抗洪救灾")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction, username="reviewer", full_name="周文斌")

    page = login(browser, live_server.url, "reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    expect(page.locator("#inbox-h .count")).to_have_text("4")
    expect(page.locator("tr.todo")).to_have_count(4)
    expect(page.locator("tr.todo").first.get_by_role("link", name="开始审核")).to_be_visible()
    _fits(page, width)
    _shot(page, tmp_path, f"office-inbox-{width}")

    # The header's box: two words, one from the titles and one from the enterprise's name.
    box = page.locator("#top-q")
    expect(box).to_be_visible()
    box.fill("任命 供排水")
    box.press("Enter")
    group = page.locator("#kind-matters")
    expect(group.locator("h2")).to_contain_text("3 条")
    expect(group.locator(".hit-title")).to_have_count(3)
    expect(page.locator("#results")).not_to_contain_text("抗洪救灾")
    _fits(page, width)
    _shot(page, tmp_path, f"office-search-{width}")
    group.get_by_role("link", name="任命财务部经理").click()
    expect(page.locator("h1")).to_contain_text("任命财务部经理")

    # 签收 all four at once: not final, so no confirmation; each is its own state change.
    page.goto(f"{live_server.url}/matters/review/")
    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="签收（开始审核）").click()
    expect(page.locator("#batch-summary")).to_contain_text("办理成功 4 项")
    assert set(Matter.objects.values_list("status", flat=True)) == {Status.UNDER_REVIEW}

    # 予以备案 is final: the chosen matters are listed first; the approval request is refused with its reason.
    page.goto(f"{live_server.url}/matters/review/")
    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="予以备案…").click()
    expect(page.locator("h1")).to_have_text("确认予以备案")
    expect(page.locator(".warn-box")).to_contain_text("办理后不能撤回")
    assert not Matter.objects.filter(status=Status.FILED).exists()
    _fits(page, width)
    _shot(page, tmp_path, f"office-batch-confirm-{width}")
    page.get_by_label("备案意见（可不填，将写入每一份备案回执）").fill("材料齐备，予以备案")
    page.get_by_role("button", name="确认予以备案（4 项）").click()
    summary = page.locator("#batch-summary")
    expect(summary).to_contain_text("办理成功 3 项")
    expect(summary).to_contain_text("未办理 1 项")
    refused = page.locator("tr.refused")
    expect(refused).to_contain_text("对外捐赠用于抗洪救灾")
    expect(refused).to_contain_text("审核批准事项应作出批准或不予批准的答复，不能备案")
    expect(page.locator("tr.done")).to_have_count(3)
    _fits(page, width)
    _shot(page, tmp_path, f"office-batch-result-{width}")
    assert Matter.objects.filter(status=Status.FILED, answer_comment="材料齐备，予以备案").count() == 3

    page.goto(f"{live_server.url}/")
    expect(page.locator("#inbox-h .count")).to_have_text("1")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_votes_and_a_reviewer_approves_from_the_inbox(browser: Any, live_server: Any, tmp_path: Path,
                                                               width: int) -> None:
    from playwright.sync_api import expect

    body = make_body(xundian_enterprise(name="寻甸县城乡建设投资开发有限公司"), names=["甲书记", "乙委员", "丙委员"])
    voter = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise, username="member", full_name="丙委员")
    type(member(body, "丙委员")).objects.filter(pk=member(body, "丙委员").pk).update(user=voter)
    signature_key(voter)  # his signing certificate, activated with his PIN
    meeting = MeetingFactory(body=body, title="2026年第11次党委会")
    AgendaItemFactory(meeting=meeting, title="任免工程部经理", category="personnel")
    meeting = sessions.meeting_open(actor=None, meeting=sessions.notice_send(actor=None, meeting=meeting))
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)

    page = login(browser, live_server.url, "member")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/")
    row = page.locator("tr.todo[data-kind='ballots']")
    expect(row).to_contain_text("2026年第11次党委会：任免工程部经理")
    row.get_by_role("link", name="投票", exact=True).click()
    page.get_by_role("link", name="去投票").click()
    ballot = page.locator("form.my-ballot").first
    ballot.get_by_label("我的意见").fill("同意该人选。")
    ballot.locator("input[name=pin]").fill(PIN)
    button = ballot.get_by_role("button", name="赞成")
    bounds = button.bounding_box()
    assert bounds and bounds["x"] + bounds["width"] <= width and bounds["height"] >= 36  # reachable by a thumb
    _fits(page, width)
    _shot(page, tmp_path, f"office-vote-{width}")
    button.click()
    expect(page.locator("form.my-ballot").first).to_contain_text("已表决")
    page.goto(f"{live_server.url}/")
    expect(page.locator("tr.todo[data-kind='ballots']")).to_have_count(0)
    page.close()

    e, filer = _yining()
    _submitted(filer, e, APPROVAL_SASAC, "对外捐赠用于抗洪救灾")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction, username="reviewer")
    page = login(browser, live_server.url, "reviewer")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/")
    page.locator("tr.todo", has_text="对外捐赠用于抗洪救灾").get_by_role("link", name="开始审核").click()
    page.get_by_role("button", name="开始审核").click()
    expect(page.locator("#status")).to_have_text("审核中")
    page.get_by_role("button", name="登记研究通过").click()
    page.select_option("#id_outcome", "approve")
    page.fill("#id_comment", "同意")
    _fits(page, width)
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("#status")).to_have_text("已批准")
    _fits(page, width)
    _shot(page, tmp_path, f"office-approved-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_signs_two_records_with_one_pin(browser: Any, live_server: Any, tmp_path: Path, width: int) -> None:
    from playwright.sync_api import expect

    from soegov.meetings.models import Meeting, Signature
    from tests.meetings.factories import run_meeting

    names = ["甲书记", "乙委员", "丙委员"]
    body = make_body(xundian_enterprise(name="寻甸县城乡建设投资开发有限公司"), names=names)
    me = UserFactory(role=Role.ENTERPRISE_LEADER, enterprise=body.enterprise, username="member", full_name="丙委员")
    type(member(body, "丙委员")).objects.filter(pk=member(body, "丙委员").pk).update(user=me)
    signature_key(me)
    for n in (8, 9):
        meeting = MeetingFactory(body=body, title=f"2026年第{n}次党委会")
        item = AgendaItemFactory(meeting=meeting, title=f"第{n}次会议议题")
        run_meeting(meeting, present=names, votes={item: dict.fromkeys(names, "for")})
        results.meeting_close(actor=None, meeting=Meeting.objects.get(pk=meeting.pk))

    page = login(browser, live_server.url, "member")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/meetings/my-votes/")
    page.get_by_role("link", name="待本人签字的会议记录").click()
    expect(page.locator("h1")).to_have_text("待签字的会议记录")
    page.get_by_label("全选").check()
    page.get_by_role("button", name="签署所选会议记录…").click()
    expect(page.locator("h1")).to_have_text("确认签署会议记录")
    page.get_by_label("我已阅读以上会议记录，内容与会议情况一致").check()
    page.get_by_label("签名密码").fill(PIN)
    _fits(page, width)
    _shot(page, tmp_path, f"office-sign-confirm-{width}")
    page.get_by_role("button", name="本人签字（2 份）").click()
    expect(page.locator("#batch-summary")).to_contain_text("办理成功 2 项")
    expect(page.locator("tr.done")).to_have_count(2)
    _fits(page, width)
    _shot(page, tmp_path, f"office-sign-result-{width}")
    assert Signature.objects.filter(member__user=me).count() == 2
