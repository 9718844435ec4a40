"""文号 follow issue order per issuer, series and year, stored on the matter (QA 10)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from soegov.matters import lifecycle
from soegov.matters.documents import abbreviation
from tests.matters.conftest import POST_FILING, submitted

pytestmark = pytest.mark.django_db


def _review(m: Any, reviewer: Any) -> Any:
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    if m.route != "approval":
        return m
    return lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)  # art. 21: before the reply


def test_answers_are_numbered_in_the_order_they_are_given(filer: Any, reviewer: Any, enterprise: Any) -> None:
    year = timezone.localdate().year
    prefix = f"{abbreviation(enterprise.jurisdiction.supervisor)}复〔{year}〕"
    first_row = _review(submitted(filer, enterprise), reviewer)            # an approval, lower id
    second_row = _review(submitted(filer, enterprise, POST_FILING), reviewer)  # a filing, higher id
    receipt = lifecycle.matter_decide(actor=reviewer, matter=second_row, version=second_row.version, outcome="file")
    reply = lifecycle.matter_decide(actor=reviewer, matter=first_row, version=first_row.version, outcome="approve")
    assert receipt.pk > reply.pk
    assert receipt.answer_number == f"{prefix}1号"
    assert reply.answer_number == f"{prefix}2号"
    # The number printed is the number stored, whoever downloads it and however often.
    c = Client()
    c.force_login(filer)
    for _ in range(2):
        text = [p.text for p in Document(io.BytesIO(c.get(f"/matters/{reply.pk}/documents/reply.docx").content)).paragraphs]
        assert f"{prefix}2号" in text


def test_a_typed_answer_number_is_kept_and_takes_no_number_of_the_series(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _review(submitted(filer, enterprise), reviewer)
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve", answer_number="伊国资复〔2026〕8号")
    assert m.answer_number == "伊国资复〔2026〕8号"
    n = _review(submitted(filer, enterprise, POST_FILING), reviewer)
    n = lifecycle.matter_decide(actor=reviewer, matter=n, version=n.version, outcome="file")
    assert n.answer_number.endswith("〕1号")


def test_request_numbers_follow_submission_order_and_survive_resubmission(filer: Any, reviewer: Any, enterprise: Any) -> None:
    year = timezone.localdate().year
    a = submitted(filer, enterprise)
    b = submitted(filer, enterprise, POST_FILING)
    assert (a.doc_number, b.doc_number) == (f"伊城市建〔{year}〕1号", f"伊城市建〔{year}〕2号")
    b = _review(b, reviewer)
    b = lifecycle.matter_return(actor=reviewer, matter=b, version=b.version, missing=["法律意见书"])
    b = lifecycle.matter_submit(actor=filer, matter=b, version=b.version)
    assert b.doc_number == f"伊城市建〔{year}〕2号"
