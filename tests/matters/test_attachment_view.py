"""Attachments read in the page: a PDF served inline for pdf.js, a .docx as cleaned HTML, pictures inline, anything
else only as a download; the same scope as the download, and every reading in the audit trail."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from soegov.audit.models import AuditEntry
from soegov.matters import attachments, lifecycle
from tests.documents import real_docx, real_pdf
from tests.factories import EnterpriseFactory, UserFactory
from tests.matters.conftest import make_matter

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _upload(filer: Any, enterprise: Any, name: str, data: bytes) -> Any:
    matter = make_matter(filer, enterprise)
    kind = lifecycle.missing_attachments(matter)[0]
    return attachments.attachment_upload(actor=filer, matter=matter, kind=kind, name=name, data=data)


def test_a_docx_reads_as_clean_html_and_the_reading_is_audited(filer: Any, enterprise: Any) -> None:
    a = _upload(filer, enterprise, "请示.docx", real_docx("经研究，拟公开挂牌转让。<script>alert(1)</script>",
                                                         link="javascript:alert(1)"))
    page = _client(filer).get(reverse("matters:view", args=[a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    article = html[html.index('<article class="reader docx"'):html.index("</article>")]
    assert "<h1>关于转让闲置办公楼的请示</h1>" in article and "经研究，拟公开挂牌转让。" in article
    # Text that looks like markup stays text; a link keeps its words but loses its target.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article and "<script" not in article
    assert "点此查看" in article and "javascript:" not in article and "href" not in article
    entry = AuditEntry.objects.filter(action="attachment.view").latest("pk")
    assert entry.after["attachment"] == a.pk and entry.actor_id == filer.pk


def test_a_pdf_is_served_inline_only_for_the_reader_and_sandboxed(filer: Any, enterprise: Any) -> None:
    a = _upload(filer, enterprise, "请示.pdf", real_pdf())
    c = _client(filer)
    page = c.get(reverse("matters:view", args=[a.pk])).content.decode()
    assert 'id="pdf-viewer"' in page and "pdfjs/pdf.worker.min.mjs" in page and "soegov/reader.mjs" in page
    assert "//cdn" not in page and "https://" not in page
    inline = c.get(reverse("matters:download", args=[a.pk]) + "?inline=1")
    assert inline["Content-Type"] == "application/pdf" and inline["Content-Disposition"].startswith("inline")
    assert "sandbox" in inline["Content-Security-Policy"]
    plain = c.get(reverse("matters:download", args=[a.pk]))
    assert plain["Content-Type"] == "application/octet-stream" and plain["Content-Disposition"].startswith("attachment")


def test_other_files_are_never_inline_and_a_damaged_docx_says_so(filer: Any, enterprise: Any) -> None:
    from openpyxl import Workbook

    book = io.BytesIO()
    Workbook().save(book)
    sheet = _upload(filer, enterprise, "测算表.xlsx", book.getvalue())
    c = _client(filer)
    assert c.get(reverse("matters:download", args=[sheet.pk]) + "?inline=1")["Content-Disposition"].startswith(
        "attachment")
    assert "不能在页面中阅读，请下载后打开" in c.get(reverse("matters:view", args=[sheet.pk])).content.decode()

    from soegov.core.previews import PreviewError, docx_html

    with pytest.raises(PreviewError, match="该 Word 文件无法解析"):
        docx_html(b"PK\x03\x04 not really a document")


def test_reading_is_scoped_like_the_download(filer: Any, enterprise: Any) -> None:
    a = _upload(filer, enterprise, "请示.pdf", real_pdf())
    stranger = UserFactory(role="enterprise_filer", enterprise=EnterpriseFactory())
    assert _client(stranger).get(reverse("matters:view", args=[a.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="attachment.view").exists()
