"""The review queue's batch 签收 / 予以备案: each matter through its single service in its own transaction, a
confirmation before the final answer, every outcome named, every change audited on its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.matters.models import Matter, Status
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import APPROVAL_SASAC, POST_FILING, submitted

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _picks(*matters: Matter) -> list[str]:
    return [f"{m.pk}:{m.version}" for m in matters]


def test_sign_for_several_at_once_each_audited(filer: Any, enterprise: Any, reviewer: Any) -> None:
    a, b = submitted(filer, enterprise, POST_FILING), submitted(filer, enterprise, POST_FILING)
    c = _client(reviewer)
    queue = c.get("/matters/review/").content.decode()
    assert 'name="pick"' in queue and "签收（开始审核）" in queue and "予以备案…" in queue
    r = c.post("/matters/review/batch/", {"action": "start_review", "pick": _picks(a, b)})
    page = r.content.decode()
    assert r.status_code == 200 and "办理成功 2 项" in page and "未办理" not in page  # 签收 is not final: no confirmation
    assert set(Matter.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {Status.UNDER_REVIEW}
    assert "办理成功的每项已分别写入审计日志" in page and "未作任何改动" not in page
    entries = AuditEntry.objects.filter(action="matter.start_review")
    assert sorted(int(e.object_id) for e in entries) == sorted([a.pk, b.pk])


def test_filing_asks_first_then_reports_each_refusal(filer: Any, enterprise: Any, reviewer: Any) -> None:
    c = _client(reviewer)
    filings = [submitted(filer, enterprise, POST_FILING) for _ in range(2)]
    approval = submitted(filer, enterprise, APPROVAL_SASAC)
    c.post("/matters/review/batch/", {"action": "start_review", "pick": _picks(*filings, approval)})
    fresh = list(Matter.objects.filter(pk__in=[m.pk for m in (*filings, approval)]).order_by("pk"))
    not_yet = submitted(filer, enterprise, POST_FILING)  # not signed for: 备案 comes after 签收

    confirm = c.post("/matters/review/batch/", {"action": "file", "pick": _picks(*fresh, not_yet)})
    text = confirm.content.decode()
    assert "确认予以备案（4 项）" in text and "办理后不能撤回" in text
    assert not Matter.objects.filter(status=Status.FILED).exists()  # nothing done before the confirmation

    done = c.post("/matters/review/batch/", {"action": "file", "confirmed": "1", "comment": "材料齐全",
                                              "pick": _picks(*fresh, not_yet)}).content.decode()
    assert "办理成功 2 项" in done and "未办理 2 项" in done
    assert "审核批准事项应作出批准或不予批准的答复，不能备案" in done  # the service's own reason, per matter
    assert "不能予以备案" in done or "仅限：审核中" in done
    filed = Matter.objects.filter(status=Status.FILED)
    assert {m.pk for m in filed} == {m.pk for m in fresh if m.pk != approval.pk}
    assert all(m.answer_number and m.answer_comment == "材料齐全" for m in filed)
    assert len({m.answer_number for m in filed}) == 2  # each its own receipt
    assert AuditEntry.objects.filter(action="matter.decide").count() == 2


def test_a_matter_changed_since_the_page_was_read_is_refused_alone(filer: Any, enterprise: Any, reviewer: Any) -> None:
    a, b = submitted(filer, enterprise, POST_FILING), submitted(filer, enterprise, POST_FILING)
    stale = [f"{a.pk}:{a.version - 1}", f"{b.pk}:{b.version}"]
    done = _client(reviewer).post("/matters/review/batch/", {"action": "start_review", "pick": stale}).content.decode()
    assert "办理成功 1 项" in done and "未办理 1 项" in done
    assert Matter.objects.get(pk=a.pk).status == Status.SUBMITTED
    assert Matter.objects.get(pk=b.pk).status == Status.UNDER_REVIEW


def test_a_batch_with_nothing_done_says_nothing_changed_and_claims_no_audit(filer: Any, enterprise: Any,
                                                                           reviewer: Any) -> None:
    a = submitted(filer, enterprise, POST_FILING)
    done = _client(reviewer).post("/matters/review/batch/", {"action": "start_review",
                                                             "pick": [f"{a.pk}:{a.version - 1}"]}).content.decode()
    assert "办理成功 0 项" in done and "未办理 1 项" in done and "所选记录均未作任何改动" in done
    assert "审计日志" not in done and not AuditEntry.objects.filter(action="matter.start_review").exists()


def test_out_of_scope_bad_input_and_other_roles(filer: Any, enterprise: Any, reviewer: Any) -> None:
    mine = submitted(filer, enterprise, POST_FILING)
    far = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="far", policy_packs=["yining-2024"]))
    theirs = submitted(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=far), far, POST_FILING)
    c = _client(reviewer)
    done = c.post("/matters/review/batch/", {"action": "start_review", "pick": _picks(mine, theirs)}).content.decode()
    assert "办理成功 1 项" in done and "该事项不存在或不在您的范围内" in done
    assert f"（无法查看的记录 {theirs.pk}）" in done  # which of his ticks it was
    confirm = c.post("/matters/review/batch/", {"action": "file", "pick": _picks(theirs)}).content.decode()
    assert f"（无法查看的记录 {theirs.pk}）" in confirm
    assert Matter.objects.get(pk=theirs.pk).status == Status.SUBMITTED
    for bad in ({"action": "start_review"}, {"action": "start_review", "pick": ["x:1"]}, {"action": "delete", "pick": ["1"]},
                {"action": "start_review", "pick": [str(i) for i in range(1, 300)]}):
        r = c.post("/matters/review/batch/", bad, follow=True)
        assert r.status_code == 200 and r.redirect_chain[-1][0] == "/matters/review/"
    assert "请先勾选要办理的记录" in c.post("/matters/review/batch/", {"action": "start_review"}, follow=True).content.decode()
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=enterprise.jurisdiction)
    assert 'name="pick"' not in _client(inspector).get("/matters/review/").content.decode()
    refused = _client(inspector).post("/matters/review/batch/", {"action": "start_review", "pick": _picks(mine)})
    assert "未办理 1 项" in refused.content.decode()  # the service's gate, as for the single action
    assert _client(filer).post("/matters/review/batch/", {"action": "start_review", "pick": _picks(mine)}).status_code == 403
