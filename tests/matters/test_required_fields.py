"""Fields without which a record proves nothing are required, with a message naming the field (QA items 11, 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.core.errors import InputError
from soegov.matters import lifecycle
from soegov.matters.models import Status
from tests.matters.conftest import APPROVAL_CITY, make_matter, submitted

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("summary", ["", "   "])
def test_collective_decision_without_its_content_is_refused(filer: Any, enterprise: Any, summary: str) -> None:
    m = make_matter(filer, enterprise)
    r = _client(filer).post(f"/matters/{m.pk}/act/record_decision/", {
        "version": m.version, "body": "董事会", "decided_at": "2026-03-02T10:00", "summary": summary}, follow=True)
    assert "请填写决议内容" in r.content.decode()
    m.refresh_from_db()
    assert m.status == Status.DRAFT and m.decided_at is None


def test_collective_decision_with_its_content_is_recorded(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    _client(filer).post(f"/matters/{m.pk}/act/record_decision/", {
        "version": m.version, "body": "董事会", "decided_at": "2026-03-02T10:00", "summary": "同意捐赠"})
    m.refresh_from_db()
    assert m.status == Status.DECIDED and m.decision_summary == "同意捐赠"


def _forwarded(filer: Any, reviewer: Any, enterprise: Any) -> Any:
    m = submitted(filer, enterprise, APPROVAL_CITY)
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    return lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)


@pytest.mark.parametrize("approved", [True, False])
def test_city_answer_without_its_number_is_refused(filer: Any, reviewer: Any, enterprise: Any, approved: bool) -> None:
    m = _forwarded(filer, reviewer, enterprise)
    with pytest.raises(InputError) as exc:
        lifecycle.matter_record_city_answer(actor=reviewer, matter=m, version=m.version, approved=approved, answer_number=" ")
    assert exc.value.message == "请填写市政府批复文号" and exc.value.path == "answer_number"
    r = _client(reviewer).post(f"/matters/{m.pk}/act/record_city_answer/", {
        "version": m.version, "approved": "true", "answer_number": ""}, follow=True)
    assert "请填写市政府批复文号" in r.content.decode()
    m.refresh_from_db()
    assert m.status == Status.FORWARDED and not m.events.filter(action="record_city_answer").exists()


def test_city_answer_with_its_number_is_recorded(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _forwarded(filer, reviewer, enterprise)
    m = lifecycle.matter_record_city_answer(actor=reviewer, matter=m, version=m.version, approved=True,
                                            answer_number="伊市政函〔2026〕12号")
    assert m.status == Status.APPROVED and m.answer_number == "伊市政函〔2026〕12号"


def test_a_refused_decision_keeps_what_was_typed(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    r = _client(filer).post(f"/matters/{m.pk}/act/record_decision/", {
        "version": m.version, "body": "董事会", "decided_at": "2026-03-02T10:00", "summary": ""})
    page = r.content.decode()
    assert r.status_code == 400 and "请填写决议内容" in page
    assert 'value="2026-03-02T10:00"' in page and '<option value="董事会" selected>董事会</option>' in page


def test_a_refused_city_answer_keeps_what_was_typed(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _forwarded(filer, reviewer, enterprise)
    r = _client(reviewer).post(f"/matters/{m.pk}/act/record_city_answer/", {
        "version": m.version, "approved": "false", "answer_number": "", "comment": "资金来源不明"})
    page = r.content.decode()
    assert r.status_code == 400 and 'value="资金来源不明"' in page and '<option value="false" selected>' in page
