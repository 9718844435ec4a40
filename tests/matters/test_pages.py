"""The pages: list, new matter with the advisor inline, detail with actions, queue, ledger, documents, calendar."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from soegov.accounts.roles import Role
from soegov.matters import lifecycle
from soegov.matters.models import Matter
from tests.factories import UserFactory
from tests.matters.conftest import POST_FILING, make_matter, submitted

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_new_matter_with_the_advisor_inline(filer: Any, enterprise: Any) -> None:
    c = _client(filer)
    assert "事项顾问" in c.get("/matters/new/").content.decode()
    form = {"enterprise": enterprise.pk, "type": "asset_transfer", "amount": "5000000", "occurred_on": "2026-03-02", "date_confirmed": "1",
            "title": "转让闲置办公楼"}
    preview = c.post("/matters/preview/", form, HTTP_HX_REQUEST="true").content.decode()
    assert "市政府" in preview and "400 万元及以上的资产转让事项" in preview
    r = c.post("/matters/new/", form)
    m = Matter.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/matters/{m.pk}/"
    page = c.get(f"/matters/{m.pk}/").content.decode()
    assert "报送国资监管机构（转报市政府）" not in page  # not before the decision is recorded
    assert "记录集体决策" in page and "企业法律顾问出具的法律意见书" in page


def test_new_matter_error_is_shown_in_chinese(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/matters/new/", {"enterprise": enterprise.pk, "type": "donation", "amount": "abc",
                                              "occurred_on": "2026-03-02", "date_confirmed": "1", "title": "捐赠"})
    assert r.status_code == 400 and "金额“abc”不是有效数字（单位：元）" in r.content.decode()


def test_detail_actions_and_stale_form(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = submitted(filer, enterprise, POST_FILING)
    rev = _client(reviewer)
    page = rev.get(f"/matters/{m.pk}/").content.decode()
    assert "开始审核" in page and "第15条第3项" in page
    rev.post(f"/matters/{m.pk}/act/start_review/", {"version": m.version})
    r = rev.post(f"/matters/{m.pk}/act/decide/", {"version": m.version, "outcome": "file"}, follow=True)
    assert "该事项已被他人更新" in r.content.decode()
    m.refresh_from_db()
    r = rev.post(f"/matters/{m.pk}/act/decide/", {"version": m.version, "outcome": "file", "comment": "予以备案"}, follow=True)
    m.refresh_from_db()
    assert m.status == "filed" and "备案回执" in r.content.decode()


def test_queue_sorted_by_due_and_overdue_flagged(filer: Any, reviewer: Any, enterprise: Any) -> None:
    a = submitted(filer, enterprise, POST_FILING)
    b = submitted(filer, enterprise, POST_FILING)
    c = submitted(filer, enterprise)  # an approval: no clock until the party committee passes it
    Matter.objects.filter(pk=b.pk).update(review_due_at=a.review_due_at.replace(year=2025))  # type: ignore[union-attr]
    page = _client(reviewer).get("/matters/review/").content.decode()
    assert page.index(f"/matters/{b.pk}/") < page.index(f"/matters/{a.pk}/") < page.index(f"/matters/{c.pk}/")
    assert "已逾期" in page
    assert "已逾期" in _client(filer).get("/matters/").content.decode()  # flagged on both sides


def test_upload_page_refuses_executable(filer: Any, enterprise: Any) -> None:
    from tests.matters.conftest import EXE

    m = make_matter(filer, enterprise)
    f = io.BytesIO(EXE)
    f.name = "法律意见书.pdf"
    r = _client(filer).post(f"/matters/{m.pk}/attachments/", {"kind": "legal_opinion", "file": f}, follow=True)
    assert "文件内容是可执行程序，不能上传" in r.content.decode()
    r = _client(filer).post(f"/matters/{m.pk}/attachments/", {"generate": "1"}, follow=True)
    assert m.attachments.get().kind == "request_letter"


def test_ledger_columns(filer: Any, reviewer: Any, enterprise: Any) -> None:
    submitted(filer, enterprise)
    r = _client(reviewer).get("/matters/ledger.xlsx?year=2026")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("企业", "事项", "事项类型", "金额（元）", "报送方式", "批准/备案机关", "依据条款", "状态")
    assert "报送时间" in rows[0] and "答复期限" in rows[0] and "是否逾期" in rows[0]
    assert rows[1][4] == "审核批准" and rows[1][6] == "yining-2024 第13条第17项" and rows[1][-1] == "否"


def test_docx_request_has_the_gbt9704_elements(filer: Any, enterprise: Any) -> None:
    from soegov.enterprises import services as registry
    from tests.factories import BodyFactory

    registry.member_add(actor=None, body=BodyFactory(enterprise=enterprise, kind="board"), name="王建国", role="chair",
                        is_principal=True, voting=True)
    m = submitted(filer, enterprise)
    r = _client(filer).get(f"/matters/{m.pk}/documents/request.docx")
    doc = Document(io.BytesIO(r.content))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "伊宁市城市建设投资集团有限公司文件"  # 版头
    assert "〔2026〕" in text[1] and text[1].endswith("签发人：王建国")  # 发文字号, 签发人 from the registry
    assert text[2] == "关于测试事项的请示"  # 标题
    assert text[3].endswith("国资委：")  # 主送机关
    assert any(t.startswith("附件：1. ") for t in text)  # 附件说明
    assert "妥否，请批示。" in text
    # 版记: sent to nobody else, so no 抄送 line (GB/T 9704-2012 7.4.2), not "抄送：无"
    assert not any(t.startswith("抄送") for t in text) and text[-1].endswith("印发")
    assert text[-3] == "伊宁市城市建设投资集团有限公司"  # 发文机关署名
    assert text[-2].startswith("20") and text[-2].endswith("日")  # 成文日期
    body = next(p for p in doc.paragraphs if p.text.startswith("根据"))
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28
    import zipfile

    fonts = zipfile.ZipFile(io.BytesIO(r.content)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts  # the fallback


def test_pdf_reply_reads_back(filer: Any, reviewer: Any, enterprise: Any) -> None:
    from pypdf import PdfReader

    m = submitted(filer, enterprise)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve", answer_number="伊国资复〔2026〕8号")
    r = _client(filer).get(f"/matters/{m.pk}/documents/reply.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages).replace("\n", "").replace(" ", "")
    for element in ("国资委文件", "伊国资复〔2026〕8号", "关于伊宁市城市建设投资集团有限公司测试事项的批复",
                    "伊宁市城市建设投资集团有限公司：", "同意该事项", "第13条第17项", "印发"):
        assert element in text, element
    assert "抄送" not in text


def test_calendar_admin_lists_years_and_imports(settings: Any, tmp_path: Any) -> None:
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    c = _client(admin)
    page = c.get("/matters/calendar/").content.decode()
    assert "2026" in page and "内置" in page
    f = io.BytesIO("year: 2031\nsource: 国办发明电〔2030〕7号\nholidays:\n  2031-01-01: 元旦\nworkdays: {}\n".encode())
    f.name = "2031.yaml"
    r = c.post("/matters/calendar/", {"file": f}, follow=True)
    assert "已导入 2031 年节假日安排" in r.content.decode(), r.content.decode()[:3000]
    assert _client(UserFactory(role=Role.ENTERPRISE_FILER)).get("/matters/calendar/").status_code == 403


def test_home_card(filer: Any, reviewer: Any, enterprise: Any) -> None:
    submitted(filer, enterprise)
    page = _client(reviewer).get("/").content.decode()
    assert "待审核事项" in page and "审核队列" in page
    # The card counts matters only, so it says so beside the inbox, whose overdue rows include events and actions.
    assert "重大事项已逾期" in _client(filer).get("/").content.decode()


@pytest.mark.parametrize("embedded", [True, False])
def test_pdf_font_embedded_or_builtin_fallback(filer: Any, enterprise: Any, monkeypatch: Any, embedded: bool) -> None:
    from pathlib import Path

    from pypdf import PdfReader

    from soegov.core import rendering
    from soegov.matters import documents

    if embedded and not Path(rendering.CJK_FONT_FILES[0]).exists():
        pytest.skip("fonts-wqy-zenhei not installed (scripts/test installs it)")
    if not embedded:
        monkeypatch.setattr(rendering, "CJK_FONT_FILES", [])
    m = submitted(filer, enterprise)
    pdf = rendering.render_pdf(documents.build(m, "request"))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}  # type: ignore[index, union-attr]
    assert any(("STSong-Light" in f) != embedded for f in fonts), fonts
    assert "关于测试事项的请示" in reader.pages[0].extract_text().replace("\n", "").replace(" ", "")


def test_the_home_card_and_the_inbox_tab_say_what_each_counts(filer: Any, enterprise: Any) -> None:
    import re

    make_matter(filer, enterprise)  # a draft: the filer's own step (the inbox)
    submitted(filer, enterprise)  # with the supervisor: open, but nothing for the filer to do
    html = _client(filer).get("/").content.decode()
    card = re.search(r"未办结的重大事项（含等待答复的）</div><div class=\"stat\">(\d+)<", html)
    tab = re.search(r'href="/\?kind=matters"[^>]*>重大事项 (\d+)<', html)
    assert card and tab and (card.group(1), tab.group(1)) == ("2", "1")
