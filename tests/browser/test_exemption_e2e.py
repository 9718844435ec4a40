"""End to end in headless chromium: xundian art. 30 "可免除" — the minutes' dissent is proposed, the inspector decides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soegov.accounts.roles import Role
from soegov.enterprises import services as ent_services
from soegov.oversight import cases
from soegov.oversight.models import Case
from tests.browser.conftest import login
from tests.factories import BodyFactory, EnterpriseFactory, JurisdictionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recorded_dissent_is_proposed_and_the_inspector_grants_it(browser: Any, live_server: Any,
                                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    xd = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xundian", name="寻甸县", policy_packs=["xundian-2020"]),
                           ownership="sole", name="寻甸县城乡建设投资开发有限公司")
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=xd.jurisdiction, username="xd_inspector")
    body = BodyFactory(enterprise=xd, kind="board")
    members = [ent_services.member_add(actor=None, body=body, name=n, role=r, is_principal=p, voting=True)
               for n, r, p in (("张董事长", "chair", True), ("李董事", "member", False), ("王董事", "member", False))]
    votes = {"张董事长": ("for", ""), "李董事": ("against", "超出授权，应报董事会"), "王董事": ("for", "")}
    positions = [{"member": m, "name": m.name, "present": True, "recused": False, "vote": votes[m.name][0],
                  "opinion": votes[m.name][1]} for m in members]
    # The minutes of the item (the meetings app's record; its own tests cover how they are read).
    monkeypatch.setattr(cases, "item_positions", lambda item_id: positions)
    case = cases.case_open(actor=inspector, enterprise=xd, title="超授权决策问责", facts="董事会超出授权作出决定",
                           violation="xd31_1", responsibility="collective")
    Case.objects.filter(pk=case.pk).update(agenda_item_id=7)

    page = login(browser, live_server.url, "xd_inspector")
    page.goto(f"{live_server.url}/oversight/cases/{case.pk}/")
    page.get_by_role("button", name="按会议记录登记全部表决成员（反对并记录意见者列为拟免责，由办案人员决定）").click()
    expect(page.locator(".messages, .message, body").first).not_to_contain_text("parties_from_item")
    proposal = page.locator(".exemption-proposal")
    expect(proposal).to_have_count(1)
    expect(proposal).to_contain_text("拟免除责任，待决定")
    expect(proposal).to_contain_text("超出授权，应报董事会")
    expect(page.locator("#id_party option", has_text="李董事")).to_have_count(0)   # no sanction while it waits
    page.screenshot(path=str(shots / "x1-exemption-proposed.png"), full_page=True)
    page.get_by_role("button", name="准予免除责任").click()
    expect(page.locator(".exemption-proposal")).to_have_count(0)
    expect(page.locator("#parties")).to_contain_text("免除责任")
    expect(page.locator("#parties")).to_contain_text("会议记录：议题 7，表决反对")
    page.screenshot(path=str(shots / "x2-exemption-granted.png"), full_page=True)


def test_a_removal_under_yining_art_30_shows_its_consequences_beside_the_pay(browser: Any, live_server: Any,
                                                                            tmp_path: Path) -> None:
    from soegov.leaders import pay
    from tests.leaders.factories import doc, leader, reviewer, sanction, tree

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    t = tree()
    rev = reviewer(t["j"], username="yn_reviewer")
    gm = leader(t["l2"], "张三")
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="180000", tenure_incentive="0",
                decision_number="伊国资发〔2025〕8号", decision=doc(t["l2"]))
    sanction(t["l2"], "张三", 2025, tier="removal", rate="0", policy="yining-2024")
    page = login(browser, live_server.url, "yn_reviewer")
    page.goto(f"{live_server.url}/leaders/{gm.pk}/")
    expect(page.locator("#not-deducted")).to_contain_text("自免职或解聘之日起不再享受原职务工资和相关待遇")
    page.locator("#pay").screenshot(path=str(shots / "x3-removal-consequences.png"))
