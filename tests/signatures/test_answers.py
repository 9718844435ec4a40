"""The supervisor's 批复 and 备案回执: frozen when the answer is given, signed with the organisation's key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.matters import lifecycle
from soegov.signatures.models import SignedDocument
from soegov.signatures.verify import verify_bytes
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.matters.conftest import POST_FILING, submitted
from tests.signatures.factories import security_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Any]:
    enterprise = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"],
                                                                    supervisor="伊宁市国资委"),
                                   name="伊宁市城市建设投资集团有限公司", ownership="sole")
    return {"enterprise": enterprise,
            "filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise, full_name="马晓东"),
            "reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=enterprise.jurisdiction,
                                    full_name="周文斌")}


def answered(people: dict[str, Any], kind: Any = None, outcome: str = "approve") -> Any:
    filer, reviewer = people["filer"], people["reviewer"]
    m = submitted(filer, people["enterprise"], *([kind] if kind else []))
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    if m.route == "approval":
        m = lifecycle.matter_record_committee(actor=reviewer, matter=m, version=m.version)
    return lifecycle.matter_decide(actor=reviewer, matter=m, version=m.version, outcome=outcome, comment="同意")


def download(user: Any, matter: Any, kind: str, fmt: str) -> bytes:
    c = Client()
    c.force_login(user)
    r = c.get(f"/matters/{matter.pk}/documents/{kind}.{fmt}")
    assert r.status_code == 200
    return r.content


def test_the_reply_carries_the_supervisors_signature_and_a_changed_byte_is_reported(people: dict[str, Any]) -> None:
    from soegov.signatures import issuing

    issuing.issue_organisation(actor=security_admin(), jurisdiction=people["enterprise"].jurisdiction)
    matter = answered(people)
    for fmt in ("pdf", "docx"):
        data = download(people["filer"], matter, "reply", fmt)
        report = verify_bytes(data, f"批复.{fmt}")
        assert report.ok, report.problems
        (check,) = report.signatures
        assert (check.signer, check.purpose, check.operator) == ("伊宁市国资委", "批复发文机关签章",
                                                                people["reviewer"].username)
        # The same bytes every time: the answer is frozen, not re-rendered.
        assert download(people["reviewer"], matter, "reply", fmt) == data
        changed = bytearray(data)
        changed[len(changed) // 4] ^= 0x10
        assert not verify_bytes(bytes(changed)).ok
    c = Client()
    c.force_login(people["filer"])
    assert "已由伊宁市国资委电子签章（SM2" in c.get(f"/matters/{matter.pk}/").content.decode()
    lifecycle.matter_implement(actor=people["filer"], matter=matter, version=matter.version)
    assert verify_bytes(download(people["filer"], matter, "reply", "pdf")).ok


def test_a_filing_receipt_is_sealed_too(people: dict[str, Any]) -> None:
    from soegov.signatures import issuing

    issuing.issue_organisation(actor=security_admin(), jurisdiction=people["enterprise"].jurisdiction)
    matter = answered(people, POST_FILING, outcome="file")
    report = verify_bytes(download(people["filer"], matter, "receipt", "pdf"))
    assert report.ok and report.signatures[0].purpose == "备案回执发文机关签章"


def test_without_an_organisation_certificate_the_answer_is_frozen_unsigned(people: dict[str, Any]) -> None:
    matter = answered(people)
    assert SignedDocument.objects.filter(ref=f"matters.reply:{matter.pk}").exists()
    data = download(people["filer"], matter, "reply", "pdf")
    assert data == download(people["filer"], matter, "reply", "pdf")
    report = verify_bytes(data)
    assert not report.ok and report.problems == ["文件未携带 soegov 电子签名"]
