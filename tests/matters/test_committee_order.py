"""Yining arts. 11 and 21: an approval is forwarded to the city, or approved by the supervisor, only after its party
committee has passed it, and no pre-filled text asserts a committee study that was not recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from soegov.core.errors import SoegovError
from soegov.matters import lifecycle
from soegov.matters.models import Event, Matter, Status
from tests.matters.conftest import APPROVAL_CITY, SH, submitted

pytestmark = pytest.mark.django_db


def _under_review(filer: Any, reviewer: Any, enterprise: Any, kind: Any = APPROVAL_CITY) -> Matter:
    m = submitted(filer, enterprise, kind)
    return lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)


def _committee(reviewer: Any, m: Matter, when: dt.datetime | None = None) -> Matter:
    return lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version,
                                             passed_at=when or dt.datetime(2026, 3, 9, 15, 0, tzinfo=SH))


def test_forward_without_a_recorded_committee_pass_is_refused(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version, comment="同意报请市政府批准")
    assert exc.value.code == "committee_missing"
    assert "第十一条" in exc.value.message and "第二十一条" in exc.value.message and "党委会议" in exc.value.message
    m.refresh_from_db()
    assert m.status == Status.UNDER_REVIEW and m.forwarded_at is None
    assert not Event.objects.filter(matter=m, action="forward").exists()


def test_forward_after_the_committee_pass_is_accepted(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise))
    assert m.committee_passed_at == dt.datetime(2026, 3, 9, 15, 0, tzinfo=SH)
    m = lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)
    assert m.status == Status.FORWARDED


def test_the_supervisor_approves_only_after_its_committee_pass(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise, ("donation", "100000", {}))
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve")
    assert exc.value.code == "committee_missing" and "第二十一条" in exc.value.message
    m.refresh_from_db()
    assert m.status == Status.UNDER_REVIEW
    m = lifecycle.matter_decide(actor=reviewer, matter=_committee(reviewer, m), version=m.version + 1, outcome="approve")
    assert m.status == Status.APPROVED


def test_a_rejection_needs_no_committee_pass(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise, ("donation", "100000", {}))
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="reject", comment="依据不足")
    assert m.status == Status.REJECTED


def test_a_resubmission_needs_a_new_committee_pass(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise))
    m = lifecycle.matter_return(actor=reviewer, matter=m, version=m.version, missing=["资产评估报告"])
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert m.committee_passed_at is None
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)
    assert exc.value.code == "committee_missing"


def test_the_database_refuses_a_forwarded_approval_without_a_committee_pass(filer: Any, reviewer: Any,
                                                                         enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        Matter.objects.filter(pk=m.pk).update(status=Status.FORWARDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Matter.objects.filter(pk=m.pk).update(status=Status.APPROVED)


def test_the_page_offers_no_forward_and_no_prefilled_study_before_the_committee(client: Any, filer: Any, reviewer: Any,
                                                                               enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise)
    client.force_login(reviewer)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert "党委会研究" not in page and "转报市政府</button>" not in page
    assert "登记研究通过" in page
    response = client.post(f"/matters/{m.pk}/act/forward/", {"version": m.version, "comment": "同意"})
    assert response.status_code == 400
    assert "党委会议研究通过" in response.content.decode()
    m.refresh_from_db()
    assert m.status == Status.UNDER_REVIEW


def test_the_prefilled_forward_comment_states_the_recorded_pass(client: Any, filer: Any, reviewer: Any,
                                                                enterprise: Any) -> None:
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise))
    client.force_login(reviewer)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert "经国资监管机构党委会议于 2026-03-09 研究通过，同意报请市政府批准" in page
    assert "转报市政府</button>" in page


def _reply_text(m: Matter) -> str:
    from soegov.matters import documents

    return "".join(documents.build(m, "reply").body)


def test_the_reply_says_经研究_only_after_a_recorded_committee_pass(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _under_review(filer, reviewer, enterprise, ("donation", "100000", {}))
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="reject", comment="依据不足")
    assert "经审核，不同意该事项" in _reply_text(m) and "经研究" not in _reply_text(m)
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise, ("donation", "100000", {})))
    m = lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve")
    assert "经研究，同意该事项" in _reply_text(m)


def test_a_city_refusal_is_not_written_as_its_consent(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise))
    m = lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_city_answer(actor=reviewer, matter=m, version=m.version, approved=False,
                                            answer_number="伊市政函〔2026〕3号", comment="暂缓")
    text = _reply_text(m)
    assert "市人民政府不同意该事项" in text and "市人民政府同意" not in text


def test_the_history_of_a_city_answer_names_its_document_and_no_empty_note(filer: Any, reviewer: Any, enterprise: Any) -> None:
    """The walk of issue 13: 登记市政府批复 without a note left 市政府批准： in the 办理记录, the city's 文号 nowhere in it."""
    m = _committee(reviewer, _under_review(filer, reviewer, enterprise))
    m = lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_record_city_answer(actor=reviewer, matter=m, version=m.version, approved=True,
                                            answer_number="伊市政复〔2026〕18号")
    assert Event.objects.get(matter=m, action="record_city_answer").comment == "市政府批准（伊市政复〔2026〕18号）"
