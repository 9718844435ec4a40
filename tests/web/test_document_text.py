"""Every document the demo generates (请示/报告, 批复/备案回执, case report, inspection report, meeting record and
纪要), opened as text the way LibreOffice shows it (python-docx, pypdf): no internal codes, the regulation by its
Chinese name, numbers with the issuing organ's prefix, GB/T 9704's 版记 (no "抄送：无"), no line starting with
a closing punctuation mark and no "。；"."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from tests.web.page_text import internal_codes

pytestmark = pytest.mark.django_db

# A line of Chinese print never starts with these (GB/T 15834 标点符号用法: 点号不出现在一行之首).
CLOSING = "，。；：、？！）》」』”’"


def docx_lines(data: bytes) -> list[str]:
    """The paragraphs of a .docx as a word processor shows them."""
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def pdf_lines(data: bytes) -> list[str]:
    """The lines of a PDF as a reader lays them out."""
    from pypdf import PdfReader

    return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


def _documents() -> dict[str, tuple[list[str], list[str]]]:
    """(name → (docx paragraphs, PDF lines)) of every document the demo holds."""
    from soegov.core.rendering import render_docx, render_pdf
    from soegov.matters import documents as matter_documents
    from soegov.matters.models import Matter
    from soegov.meetings import documents as meeting_documents
    from soegov.meetings.models import Meeting
    from soegov.oversight import documents as oversight_documents
    from soegov.oversight.models import Case, Inspection

    docs: dict[str, Any] = {}
    for m in Matter.objects.all():
        for kind in matter_documents.available_kinds(m):
            docs[f"matter {m.pk} {kind}"] = matter_documents.build(m, kind)
    for case in Case.objects.all():
        docs[f"case {case.pk}"] = oversight_documents.case_document(case)
    for insp in Inspection.objects.all():
        docs[f"inspection {insp.pk}"] = oversight_documents.inspection_document(insp)
    for meeting in Meeting.objects.filter(items__passed__isnull=False).distinct():
        for kind in meeting_documents.KINDS:
            docs[f"meeting {meeting.pk} {kind}"] = meeting_documents.build(meeting, kind)
    out = {name: (docx_lines(render_docx(d)), pdf_lines(render_pdf(d))) for name, d in docs.items()}
    # The meeting package's own 会议通知 and 会议纪要 PDFs (0006, for the supervisor).
    from soegov.exchange.meeting_export import meeting_record

    for meeting in Meeting.objects.filter(items__passed__isnull=False).distinct():
        record = meeting_record(meeting)
        for name, data in {**record.notice_files, **record.minutes_files}.items():
            lines = pdf_lines(data)
            out[f"meeting {meeting.pk} package {name}"] = (lines, lines)
    return out


def test_the_demos_documents_read_as_finished_chinese_documents(demo: object) -> None:
    from soegov.matters.models import Matter
    from soegov.oversight.models import Case

    docs = _documents()
    kinds = {name.split()[0] for name in docs} | {name.split()[-1] for name in docs}
    assert {"matter", "case", "inspection", "meeting", "reply", "record", "summary", "会议纪要.pdf"} <= kinds, kinds
    problems: dict[str, list[str]] = {}
    for name, (paragraphs, lines) in docs.items():
        text = "\n".join(paragraphs)
        found = internal_codes(text) + internal_codes(" ".join(lines))
        found += [p for p in paragraphs if p.startswith("抄送：无")]
        found += [line for line in lines if line.strip()[:1] in CLOSING]
        found += re.findall(r".{0,8}[。；][；。].{0,8}", text)
        if found:
            problems[name] = found
    assert problems == {}
    # A case report is numbered by its organ (伊国资委追责〔2026〕1号) and cites the regulation by name.
    case = Case.objects.filter(citation__article__isnull=False).first()
    assert case is not None
    paragraphs = docs[f"case {case.pk}"][0]
    assert re.fullmatch(r"[^追]{2,}追责〔20\d\d〕\d+号", case.doc_number), case.doc_number
    assert case.doc_number in paragraphs
    assert any(p.startswith("三、违反条款。《") for p in paragraphs)
    # The supervisor's 批复 is numbered by the supervisor, even when it passes on the city government's answer.
    for m in Matter.objects.filter(status__in=["approved", "rejected", "implemented"], route="approval"):
        number = next(p for p in docs[f"matter {m.pk} reply"][0] if "〔" in p and p.endswith("号"))
        assert number.startswith("伊国资委复〔") or number.startswith("寻财政局复〔"), (m.title, number)
