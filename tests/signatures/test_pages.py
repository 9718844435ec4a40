"""The three pages over HTTP: the administrator's certificates, a person's own, and the verification page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soegov.audit.models import AuditEntry
from soegov.signatures import issuing, packages, signing
from soegov.signatures.models import CertStatus, SigningCertificate
from tests.factories import JurisdictionFactory, UserFactory
from tests.signatures.factories import PIN, person_with_key, security_admin
from tests.signatures.test_signing import frozen

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_admin_issues_renews_and_revokes_through_the_page() -> None:
    admin = security_admin()
    person = UserFactory(full_name="王五", role="enterprise_leader")
    jurisdiction = JurisdictionFactory()
    c = client_for(admin)
    assert "签名证书管理" in c.get("/").content.decode()
    r = c.post("/signatures/", {"action": "issue_person", "username": person.username}, follow=True)
    assert "已为王五签发证书" in r.content.decode()
    r = c.post("/signatures/", {"action": "issue_person", "username": "nobody"}, follow=True)
    assert "没有账号“nobody”" in r.content.decode()
    r = c.post("/signatures/", {"action": "issue_organisation", "jurisdiction": jurisdiction.pk}, follow=True)
    org = SigningCertificate.objects.get(jurisdiction=jurisdiction)
    assert org.status == CertStatus.ACTIVE and org.serial in r.content.decode()
    c.post("/signatures/", {"action": "renew", "certificate": org.pk})
    org.refresh_from_db()
    assert org.status == CertStatus.SUPERSEDED
    new = SigningCertificate.objects.get(jurisdiction=jurisdiction, status=CertStatus.ACTIVE)
    r = c.post("/signatures/", {"action": "revoke", "certificate": new.pk, "reason": ""}, follow=True)
    assert "请填写吊销原因" in r.content.decode()
    c.post("/signatures/", {"action": "revoke", "certificate": new.pk, "reason": "机构撤并"})
    new.refresh_from_db()
    assert new.status == CertStatus.REVOKED
    for bad in ({"action": "renew", "certificate": "x"}, {"action": "nonsense"}):
        assert c.post("/signatures/", bad).status_code in (302, 404)
    assert c.get("/signatures/?status=revoked&page=999").status_code == 200


def test_only_the_security_admin_manages_certificates() -> None:
    for role in ("system_admin", "secretary", "supervisor_reviewer", "audit_admin"):
        assert client_for(UserFactory(role=role)).get("/signatures/").status_code == 403


def test_admin_list_query_count_does_not_grow() -> None:
    admin = security_admin()
    for i in range(3):
        issuing.issue_person(actor=admin, user=UserFactory(full_name=f"甲{i}"))
    c = client_for(admin)
    c.get("/signatures/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get("/signatures/")
    for i in range(20):
        issuing.issue_person(actor=admin, user=UserFactory(full_name=f"乙{i}"))
    with CaptureQueriesContext(connection) as many:
        c.get("/signatures/")
    assert len(many) == len(few)


def test_person_activates_his_own_certificate_on_his_page() -> None:
    admin = security_admin()
    person = UserFactory(full_name="赵六", role="enterprise_leader")
    cert = issuing.issue_person(actor=admin, user=person)
    c = client_for(person)
    page = c.get("/signatures/mine").content.decode()
    assert "生成密钥并启用" in page
    r = c.post("/signatures/mine", {"certificate": cert.pk, "pin": PIN, "pin_again": PIN + "x"}, follow=True)
    assert "两次输入的签名密码不一致" in r.content.decode()
    r = c.post("/signatures/mine", {"certificate": cert.pk, "pin": PIN, "pin_again": PIN}, follow=True)
    assert "签名证书已启用" in r.content.decode()
    cert.refresh_from_db()
    assert cert.status == CertStatus.ACTIVE
    # Another user cannot reach it.
    assert client_for(UserFactory()).post("/signatures/mine", {"certificate": cert.pk, "pin": PIN,
                                                               "pin_again": PIN}).status_code == 404


def test_verification_page_reports_signer_and_a_changed_byte() -> None:
    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    data = packages.signed_file(document, "pdf")
    c = client_for(UserFactory(role="supervisor_reviewer"))
    page = c.post("/signatures/verify", {"file": SimpleUploadedFile("批复.pdf", data)}).content.decode()
    assert "签名验证单" in page and "通过" in page and "张三" in page and "签名时有效" in page
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 1
    page = c.post("/signatures/verify", {"file": SimpleUploadedFile("批复.pdf", bytes(changed))}).content.decode()
    assert "未通过" in page and "已被改动" in page
    r = c.post("/signatures/verify", {})
    assert r.status_code == 400 and "请选择要核验的文件" in r.content.decode()
    page = c.post("/signatures/verify", {"file": SimpleUploadedFile("a.exe", b"MZ\x90")}).content.decode()
    assert "无法识别的文件类型" in page
    assert AuditEntry.objects.filter(action="signature.sign").exists()
