"""The lifecycle: every transition it allows, every one it refuses, with the exact message people see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from soegov.audit.models import AuditEntry
from soegov.core.errors import SoegovError
from soegov.matters import attachments, editing, lifecycle, workflow
from soegov.matters.models import Matter, Status, Submission
from tests.matters.conftest import (
    APPROVAL_CITY,
    PDF,
    POST_FILING,
    PROHIBITED,
    attach_all,
    decide,
    make_matter,
    submitted,
)

pytestmark = pytest.mark.django_db


def _review(m: Matter, reviewer: Any) -> Matter:
    return lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)


def _passed(m: Matter, reviewer: Any) -> Matter:
    """Under review with the supervisor's party committee pass recorded (arts. 11, 21: before forward or approval)."""
    return lifecycle.matter_record_committee(actor=reviewer, matter=_review(m, reviewer), version=m.version + 1)


BUILDERS: dict[str, Callable[[Any, Any, Any], Matter]] = {
    Status.DRAFT: lambda f, r, e: make_matter(f, e),
    Status.DECIDED: lambda f, r, e: attach_all(f, decide(f, make_matter(f, e))),
    Status.SUBMITTED: lambda f, r, e: submitted(f, e),
    Status.UNDER_REVIEW: lambda f, r, e: _passed(submitted(f, e, APPROVAL_CITY), r),
    Status.RETURNED: lambda f, r, e: lifecycle.matter_return(
        actor=r, matter=(m := _review(submitted(f, e), r)), version=m.version, missing=["资金来源说明"]),
    Status.FORWARDED: lambda f, r, e: lifecycle.matter_forward(
        actor=r, matter=(m := _passed(submitted(f, e, APPROVAL_CITY), r)), version=m.version),
    Status.APPROVED: lambda f, r, e: lifecycle.matter_decide(
        actor=r, matter=(m := _passed(submitted(f, e), r)), version=m.version, outcome="approve"),
    Status.REJECTED: lambda f, r, e: lifecycle.matter_decide(
        actor=r, matter=(m := _review(submitted(f, e), r)), version=m.version, outcome="reject", comment="依据不足"),
    Status.FILED: lambda f, r, e: lifecycle.matter_decide(
        actor=r, matter=(m := _review(submitted(f, e, POST_FILING), r)), version=m.version, outcome="file"),
    Status.IMPLEMENTED: lambda f, r, e: lifecycle.matter_implement(
        actor=f, matter=(m := BUILDERS[Status.APPROVED](f, r, e)), version=m.version),
}

ACTIONS: dict[str, Callable[[Matter, Any, Any], Matter]] = {
    "record_decision": lambda m, f, r: decide(f, m),
    "submit": lambda m, f, r: lifecycle.matter_submit(actor=f, matter=m, version=m.version),
    "start_review": lambda m, f, r: lifecycle.matter_start_review(actor=r, matter=m, version=m.version),
    "return": lambda m, f, r: lifecycle.matter_return(actor=r, matter=m, version=m.version, missing=["法律意见书"]),
    "record_committee": lambda m, f, r: lifecycle.matter_record_committee(actor=r, matter=m, version=m.version),
    "forward": lambda m, f, r: lifecycle.matter_forward(actor=r, matter=m, version=m.version),
    "decide": lambda m, f, r: lifecycle.matter_decide(actor=r, matter=m, version=m.version, outcome="reject", comment="否"),
    "record_city_answer": lambda m, f, r: lifecycle.matter_record_city_answer(actor=r, matter=m, version=m.version, approved=True,
                                                                            answer_number="伊市政函〔2026〕1号"),
    "implement": lambda m, f, r: lifecycle.matter_implement(actor=f, matter=m, version=m.version),
}


def test_builders_reach_their_states(filer: Any, reviewer: Any, enterprise: Any) -> None:
    for state, build in BUILDERS.items():
        assert build(filer, reviewer, enterprise).status == state


ALLOWED = [(a, s) for a in ACTIONS for s in BUILDERS if workflow.allowed(a, s)]
REFUSED = [(a, s) for a in ACTIONS for s in BUILDERS if not workflow.allowed(a, s)]


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_every_allowed_transition(action: str, state: str, filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = BUILDERS[state](filer, reviewer, enterprise)
    if action == "submit" and state == Status.DRAFT:
        m = attach_all(filer, make_matter(filer, enterprise, POST_FILING))
        m = decide(filer, m)  # a post filing's clock needs the decision; submit from draft needs none
        m.status = Status.DRAFT
        m.save()
    before = AuditEntry.objects.filter(action__startswith="matter.").count()
    result = ACTIONS[action](m, filer, reviewer)
    expected = workflow.TRANSITIONS[action][1]
    if expected:
        assert result.status == expected
    assert result.version == m.version + 1
    assert AuditEntry.objects.filter(action__startswith="matter.").count() == before + 1
    assert result.events.first().from_status == state


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_refused_transition(action: str, state: str, filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = BUILDERS[state](filer, reviewer, enterprise)
    with pytest.raises(SoegovError) as exc:
        ACTIONS[action](m, filer, reviewer)
    assert exc.value.code in {"invalid_transition", "not_approved"}
    m.refresh_from_db()
    assert m.status == state


def test_implemented_is_refused_before_approval_with_article_19(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = BUILDERS[Status.UNDER_REVIEW](filer, reviewer, enterprise)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_implement(actor=filer, matter=m, version=m.version)
    assert exc.value.message == (
        "事项当前状态为“审核中”，未经批准或备案不得实施"
        "（伊宁市市属国有企业监督管理办法第十九条：未经审批，不得以任何理由先行决策实施）")


def test_city_item_is_forwarded_not_approved_by_the_supervisor(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = BUILDERS[Status.UNDER_REVIEW](filer, reviewer, enterprise)
    assert (m.route, m.authority, m.via) == ("approval", "city_government", "sasac")
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve")
    assert exc.value.code == "city_government_item"
    m = lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version, comment="经党委会研究，同意转报")
    m = lifecycle.matter_record_city_answer(actor=reviewer, matter=m, version=m.version, approved=True,
                                            answer_number="伊市政函〔2026〕12号")
    assert m.status == Status.APPROVED and m.answer_number == "伊市政函〔2026〕12号"
    # The supervisor's 批复 passing the answer on is numbered by the supervisor and cites the city's number.
    import io

    from docx import Document

    from soegov.matters.documents import abbreviation
    from soegov.matters.sealing import sealed_answer

    year = m.answered_at.year
    prefix = f"{abbreviation(enterprise.jurisdiction.supervisor)}复〔{year}〕"
    assert m.reply_number.startswith(prefix) and m.reply_number.endswith("号")
    sealed = sealed_answer(m, "reply")
    assert sealed is not None
    text = [p.text for p in Document(io.BytesIO(bytes(sealed.renditions.get(fmt="docx").content))).paragraphs]
    assert m.reply_number in text and "伊市政函〔2026〕12号" not in text
    assert any("经审核并报市人民政府同意（伊市政函〔2026〕12号）" in t for t in text)


def test_forward_is_refused_for_a_supervisor_item(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _review(submitted(filer, enterprise), reviewer)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_forward(actor=reviewer, matter=m, version=m.version)
    assert exc.value.message == "只有须报市政府审核或批准的事项才能转报市政府（伊宁办法第十一条、第十二条）"


def test_a_filing_is_filed_not_approved(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _review(submitted(filer, enterprise, POST_FILING), reviewer)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome="approve")
    assert exc.value.message == "事后备案事项应作出予以备案或不予备案的决定"


def test_return_needs_the_list_of_what_is_missing(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _review(submitted(filer, enterprise), reviewer)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_return(actor=reviewer, matter=m, version=m.version, missing=["  "])
    assert exc.value.message == "退回补正须列出所缺材料或需补充的内容"


def test_resubmission_keeps_every_version_and_shows_what_changed(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = _review(submitted(filer, enterprise), reviewer)
    m = lifecycle.matter_return(actor=reviewer, matter=m, version=m.version, missing=["法律意见书须由企业法律顾问签署"],
                                comment="请补正")
    assert m.events.first().missing == ["法律意见书须由企业法律顾问签署"]
    attachments.attachment_upload(actor=filer, matter=m, kind="legal_opinion", name="法律意见书（签署版）.pdf",
                                  data=PDF + b"signed")
    m.refresh_from_db()
    m, _verdict = editing.matter_update(actor=filer, matter=m, version=m.version, amount="120000")
    m = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    subs = list(Submission.objects.filter(matter=m).order_by("number"))
    assert [s.number for s in subs] == [1, 2]
    assert subs[0].snapshot["amount"] == "100000.00"
    assert "金额：100000.00 → 120000.00" in subs[1].changes
    assert any(c.startswith("更新材料：企业法律顾问出具的法律意见书 第1版 → 第2版") for c in subs[1].changes)
    assert m.events.first().action == "resubmit"


def test_submit_lists_missing_attachments(filer: Any, enterprise: Any) -> None:
    m = decide(filer, make_matter(filer, enterprise))
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert exc.value.code == "missing_attachments"
    assert exc.value.message == ("缺少以下材料，不能报送：1. 请示或报告；2. 党组织研究意见及董事会、股东会或经理办公会决议；"
                                 "3. 企业法律顾问出具的法律意见书")


def test_submit_needs_the_collective_decision(filer: Any, enterprise: Any) -> None:
    m = attach_all(filer, make_matter(filer, enterprise))
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert exc.value.message == "该事项须先经企业集体决策（伊宁办法第十八条第六项），请先记录决策"


def test_prohibited_act_is_blocked_until_the_exception_approval_is_attached(filer: Any, enterprise: Any) -> None:
    m = decide(filer, make_matter(filer, enterprise, PROHIBITED))
    assert m.route == "prohibited"
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert exc.value.message.startswith("严控事项须附有权机关的批准文件方可报送（伊宁办法第十六条）。缺少以下材料")
    m = attach_all(filer, m)
    assert lifecycle.matter_submit(actor=filer, matter=m, version=m.version).status == Status.SUBMITTED


def test_stale_version_is_refused_not_lost(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = submitted(filer, enterprise)
    seen = m.version
    lifecycle.matter_start_review(actor=reviewer, matter=m, version=seen)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_return(actor=reviewer, matter=m, version=seen, missing=["x"])
    assert exc.value.code == "stale_version"
    assert exc.value.message == (f"该事项已被他人更新（当前为第 {seen + 1} 版，您看到的是第 {seen} 版，状态：审核中），请刷新页面后重试")


def test_other_sides_cannot_act(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    with pytest.raises(PermissionDenied):
        decide(reviewer, m)
    m = submitted(filer, enterprise)
    with pytest.raises(PermissionDenied):
        lifecycle.matter_start_review(actor=filer, matter=m, version=m.version)


def test_fact_change_reruns_the_engine_and_shows_the_difference(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise, ("asset_transfer", "3000000", {}))
    assert (m.route, m.authority, m.citation["article"], m.citation["item"]) == ("approval", "sasac", 13, 10)
    m, verdict = editing.matter_update(actor=filer, matter=m, version=m.version, amount="4000000")
    assert (m.authority, m.citation["article"], m.citation["item"]) == ("city_government", 12, 6)
    assert verdict.number == 2 and verdict.policy_version == "2024.1"
    assert any(c.startswith("新增义务：审核批准（市政府，yining-2024 第12条第6项）") for c in verdict.changes)
    assert any(c.startswith("不再需要：审核批准（国资监管机构，yining-2024 第13条第10项）") for c in verdict.changes)
    assert m.events.first().comment == "；".join(verdict.changes)


def test_one_matter_per_request(filer: Any, enterprise: Any) -> None:
    with pytest.raises(SoegovError) as exc:
        editing.matter_create(actor=filer, enterprise=enterprise, matter_type=["donation", "guarantee"],  # type: ignore[arg-type]
                              title="两件事", occurred_on=dt.date(2026, 3, 2), date_confirmed=True)
    assert exc.value.message == "一事一报：一份请示只能包含一个事项（伊宁办法第十九条）"


def test_engine_input_error_is_a_clear_400_message(filer: Any, enterprise: Any) -> None:
    with pytest.raises(SoegovError) as exc:
        make_matter(filer, enterprise, ("guarantee", "100", {}))
    assert exc.value.path == "attributes.counterparty_equity_related"
    assert Matter.objects.count() == 0


@pytest.mark.parametrize(("amount", "message"), [
    ("NaN", "金额应为不小于 0 的有限数（单位：元）"),
    ("-1", "金额应为不小于 0 的有限数（单位：元）"),
    ("1e20", "金额超出可处理的范围"),
    ("Infinity", "金额应为不小于 0 的有限数（单位：元）"),
    ("1,2", "金额“1,2”中的逗号只能作千位分隔符（如 4,000,000）"),
])
def test_impossible_amounts_are_400_messages(filer: Any, enterprise: Any, amount: str, message: str) -> None:
    with pytest.raises(SoegovError) as exc:
        make_matter(filer, enterprise, ("donation", amount, {}))
    assert exc.value.message == message
    assert Matter.objects.count() == 0


def test_a_matter_for_no_authority_is_carried_out_on_the_enterprise_decision(filer: Any, enterprise: Any) -> None:
    enterprise.jurisdiction.policy_packs = ["yining-2024", "xundian-2020"]
    enterprise.jurisdiction.save()
    # A strategy plan is 4.3's collective decision only (a sole company's merger now also goes to the county's
    # investor body under the national layer, Company Law art. 172).
    m = make_matter(filer, enterprise, ("strategy_plan", None, {}), policy="xundian-2020")
    assert (m.route, m.needs_collective_decision) == ("internal", True)
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert exc.value.message == "依据适用制度，该事项由企业自行决策，无须向国资监管机构报送"
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_implement(actor=filer, matter=m, version=m.version)
    assert exc.value.message == "该事项须先经企业集体决策，请先记录决策"
    m = decide(filer, m)
    assert lifecycle.matter_implement(actor=filer, matter=m, version=m.version).status == Status.IMPLEMENTED
