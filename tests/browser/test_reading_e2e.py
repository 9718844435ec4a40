"""A reviewer reads a matter's 请示 (PDF, drawn by the locally served pdf.js) and a .docx attachment in the page, on
a desktop and on a 390 px phone. Screenshots go to $SOEGOV_SCREENSHOT_DIR."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.matters import attachments, lifecycle
from tests.browser.conftest import login
from tests.documents import real_docx, real_pdf
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import make_matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_a_reviewer_reads_a_pdf_and_a_docx_in_the_page(browser: Any, live_server: Any, tmp_path: Path,
                                                      width: int) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("SOEGOV_SCREENSHOT_DIR") or tmp_path)
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]),
                          name="伊宁市城市建设投资集团有限公司")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=e.jurisdiction, username="reviewer")
    matter = make_matter(filer, e)
    first, second = lifecycle.missing_attachments(matter)[:2]
    attachments.attachment_upload(actor=filer, matter=matter, kind=first, name="请示.pdf", data=real_pdf())
    attachments.attachment_upload(actor=filer, matter=matter, kind=second, name="决议.docx",
                                  data=real_docx("经研究，同意公开挂牌转让。"))

    page = login(browser, live_server.url, "reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    page.locator("#attachments tr", has_text="请示.pdf").get_by_role("link", name="在线阅读").click()
    viewer = page.locator("#pdf-viewer")
    expect(viewer).to_have_attribute("data-state", "done", timeout=20000)
    expect(viewer.locator("canvas")).to_have_count(1)
    box = viewer.locator("canvas").bounding_box()
    assert box and 0 < box["width"] <= width and box["height"] > box["width"]  # a portrait page, within the screen
    # Something is drawn: the canvas is not blank white.
    inked = page.evaluate("""() => { const c = document.querySelector('#pdf-viewer canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n; }""")
    assert inked > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"read-pdf-{width}.png"), full_page=True)

    page.go_back()
    page.locator("#attachments tr", has_text="决议.docx").get_by_role("link", name="在线阅读").click()
    expect(page.locator("#docx-preview h1")).to_have_text("关于转让闲置办公楼的请示")
    expect(page.locator("#docx-preview")).to_contain_text("经研究，同意公开挂牌转让。")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"read-docx-{width}.png"), full_page=True)
