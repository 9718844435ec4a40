"""In chromium: the security administrator issues a key, the member activates it, a reviewer checks a document."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.signatures import issuing, packages, signing
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.signatures.factories import PIN
from tests.signatures.test_signing import frozen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_activate_sign_and_verify(browser: Any, live_server: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    UserFactory(role=Role.SECURITY_ADMIN, username="secadmin", full_name="安全管理员")
    member = UserFactory(role=Role.ENTERPRISE_LEADER, username="zhang", full_name="张三")
    UserFactory(role=Role.SUPERVISOR_REVIEWER, username="reviewer", full_name="审核人")

    page = login(browser, live_server.url, "secadmin")
    page.get_by_role("link", name="签名证书管理").click()
    page.fill("#id_username", "zhang")
    page.get_by_role("button", name="签发").first.click()
    assert "已为张三签发证书" in page.locator(".messages").inner_text()
    assert "待本人设置签名密码启用" in page.locator("table").inner_text()
    page.screenshot(path=str(shots / "signatures-1-issued.png"), full_page=True)

    page = login(browser, live_server.url, "zhang")
    page.get_by_role("link", name="我的签名证书").click()
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=pin_again]", PIN)
    page.get_by_role("button", name="生成密钥并启用").click()
    assert "签名证书已启用" in page.locator(".messages").inner_text()
    assert "有效期" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "signatures-2-activated.png"), full_page=True)

    document = frozen()
    signing.sign_as_person(actor=member, key=signing.unlock_own_key(actor=member, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    good = tmp_path / "批复.pdf"
    good.write_bytes(packages.signed_file(document, "pdf"))
    bad = tmp_path / "批复-改.pdf"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))

    page = login(browser, live_server.url, "reviewer")
    page.get_by_role("link", name="签名验证").click()
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="核验").click()
    sheet = page.locator("#sheet").inner_text()
    assert "通过" in sheet and "张三" in sheet and "签名时有效" in sheet and "未被改动" in sheet
    page.screenshot(path=str(shots / "signatures-3-verified.png"), full_page=True)
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="核验").click()
    sheet = page.locator("#sheet").inner_text()
    assert "未通过" in sheet and "已被改动" in sheet
    page.screenshot(path=str(shots / "signatures-4-changed.png"), full_page=True)


def test_the_enterprise_downloads_a_signed_reply_and_checks_it(browser: Any, live_server: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from soegov.matters import lifecycle
    from tests.factories import EnterpriseFactory, JurisdictionFactory
    from tests.matters.conftest import submitted

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    jurisdiction = JurisdictionFactory(code="yn", policy_packs=["yining-2024"], supervisor="伊宁市国资委")
    enterprise = EnterpriseFactory(jurisdiction=jurisdiction, name="伊宁市城市建设投资集团有限公司", ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise, username="filer", full_name="马晓东")
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=jurisdiction, username="reviewer")
    issuing.issue_organisation(actor=UserFactory(role=Role.SECURITY_ADMIN), jurisdiction=jurisdiction)
    m = submitted(filer, enterprise)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve", comment="同意")

    page = login(browser, live_server.url, "filer")
    page.goto(f"{live_server.url}/matters/{m.pk}/")
    expect(page.locator("#documents")).to_contain_text("已由伊宁市国资委电子签章（SM2")
    page.locator("#documents").screenshot(path=str(shots / "signatures-5-matter-documents.png"))
    with page.expect_download() as info:
        page.locator("#documents a", has_text="PDF").last.click()
    reply = tmp_path / "批复.pdf"
    reply.write_bytes(Path(info.value.path()).read_bytes())
    page.get_by_role("link", name="签名验证").first.click()
    page.set_input_files("#id_file", str(reply))
    page.get_by_role("button", name="核验").click()
    sheet = page.locator("#sheet").inner_text()
    assert "通过" in sheet and "伊宁市国资委" in sheet and "批复发文机关签章" in sheet
    page.screenshot(path=str(shots / "signatures-6-reply-verified.png"), full_page=True)
