"""Keys issued, activated, renewed and revoked; documents frozen, signed, downloaded and checked byte by byte."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from soegov.audit.models import AuditEntry
from soegov.core.errors import SoegovError
from soegov.core.rendering import OfficialDocument, render_docx, render_pdf
from soegov.signatures import issuing, keystore, packages, signing, sm2
from soegov.signatures.container import ContainerError, split
from soegov.signatures.models import CertStatus, SignatureRecord, SigningCertificate
from soegov.signatures.verify import as_text, verify_bytes
from tests.factories import UserFactory
from tests.signatures.factories import PIN, organisation_with_key, person_with_key, security_admin

pytestmark = pytest.mark.django_db


def official(title: str = "关于测试事项的批复") -> OfficialDocument:
    return OfficialDocument(kind="reply", issuer="测试市国资委", number="测国资复〔2026〕1号", title=title,
                            addressee="测试集团有限公司：", body=["你单位请示收悉。", "经研究，同意该事项。"],
                            attachments=[], signature="测试市国资委", date="2026年11月20日", copy_to="",
                            printer="测试市国资委办公室")


def frozen(actor: Any = None, ref: str = "matters.reply:1") -> Any:
    doc = official()
    return signing.freeze_document(actor=actor, kind="reply", ref=ref, title=doc.title,
                                   renditions={"pdf": render_pdf(doc), "docx": render_docx(doc)})


def test_person_signs_a_document_and_the_download_verifies() -> None:
    person = person_with_key()
    document = frozen()
    key = signing.unlock_own_key(actor=person, pin=PIN)
    signing.sign_as_person(actor=person, key=key, purpose="document.sign", ref=document.ref, document=document)
    for fmt in ("pdf", "docx"):
        data = packages.signed_file(document, fmt)
        report = verify_bytes(data, f"批复.{fmt}")
        assert report.ok, report.problems
        assert report.intact and report.trusted_root
        (check,) = report.signatures
        assert (check.signer, check.account, check.status_at_signing, check.certificate) == \
            ("张三", person.username, "valid", "trusted")
        assert check.recorded and check.covers_this_file
        text = as_text(report)
        assert "张三" in text and "核验结论：通过" in text


def test_signed_files_still_open_as_pdf_and_docx() -> None:
    from pypdf import PdfReader

    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    pdf = PdfReader(io.BytesIO(packages.signed_file(document, "pdf")))
    assert "同意该事项" in pdf.pages[0].extract_text()
    docx = zipfile.ZipFile(io.BytesIO(packages.signed_file(document, "docx")))
    assert docx.testzip() is None and "word/document.xml" in docx.namelist()
    assert docx.comment.startswith(b"soegov-signatures 1\n")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_changing_any_single_byte_is_reported(fmt: str) -> None:
    """Every position class: the document's bytes, the signature area, the trailing structure."""
    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    data = packages.signed_file(document, fmt)
    content_length = document.renditions.get(fmt=fmt).size
    positions = sorted({0, 100, content_length // 2, content_length - 1, content_length, content_length + 40,
                        len(data) - 300, len(data) - 60, len(data) - 2, len(data) - 1} | set(range(0, len(data), 997)))
    for at in positions:
        changed = bytearray(data)
        changed[at] ^= 0x01
        report = verify_bytes(bytes(changed))
        assert not report.ok, f"byte {at} of {len(data)} changed and went unnoticed"
        assert report.problems or any(s.problems for s in report.signatures)


def test_a_changed_document_byte_is_named_as_a_content_change() -> None:
    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    data = bytearray(packages.signed_file(document, "pdf"))
    data[500] ^= 0x20
    report = verify_bytes(bytes(data))
    assert not report.intact
    assert "文件内容已被改动" in report.problems[0]
    assert not report.signatures[0].covers_this_file


def test_an_unsigned_or_foreign_file_is_reported() -> None:
    report = verify_bytes(render_pdf(official()), "x.pdf")
    assert not report.ok and report.problems == ["文件未携带 soegov 电子签名"]
    assert not verify_bytes(b"hello", "x.txt").ok
    with pytest.raises(ContainerError):
        split(b"MZ\x90\x00")


def test_signature_from_another_installation_is_not_trusted(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    data = packages.signed_file(document, "pdf")
    other = tmp_path / "other-keys"
    other.mkdir()
    from soegov.signatures import certs

    private, public = sm2.generate_keypair()
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    (other / "ca.der").write_bytes(certs.build(
        serial=5, subject_cn="soegov 电子签名根证书", subject_org="soegov", subject_uid="", public_key=public,
        issuer_cn="soegov 电子签名根证书", issuer_org="soegov", issuer_private=private, not_before=now,
        not_after=now + dt.timedelta(days=9), is_ca=True))
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(other))
    report = verify_bytes(data)
    assert not report.ok and not report.trusted_root
    assert report.signatures[0].certificate == "untrusted"


def test_wrong_pin_is_counted_and_locks_after_five() -> None:
    person = person_with_key()
    for left in (4, 3, 2, 1):
        with pytest.raises(SoegovError, match=f"还可尝试 {left} 次"):
            signing.unlock_own_key(actor=person, pin="wrong-pin-1")
    with pytest.raises(SoegovError, match="锁定"):
        signing.unlock_own_key(actor=person, pin="wrong-pin-1")
    with pytest.raises(SoegovError, match="锁定"):
        signing.unlock_own_key(actor=person, pin=PIN)  # even the right PIN waits
    assert AuditEntry.objects.filter(action="signature.pin_failed").count() == 5


def test_no_one_signs_with_another_persons_key() -> None:
    member = person_with_key()
    secretary = person_with_key(full_name="秘书")
    key = signing.unlock_own_key(actor=member, pin=PIN)
    document = frozen()
    with pytest.raises(PermissionDenied):
        signing.sign_as_person(actor=secretary, key=key, purpose="document.sign", ref="x", document=document)
    # The secretary's own PIN does not open the member's key, and he has no way to choose the member's key.
    with pytest.raises(SoegovError):
        signing.unlock_own_key(actor=UserFactory(), pin=PIN)
    cert = SigningCertificate.objects.get(user=member, status=CertStatus.ACTIVE)
    with pytest.raises(keystore.KeyStoreError):
        keystore.open_with_pin(cert.sealed_key, PIN + "x", issuing.key_binding(cert))


def test_a_sealed_key_moved_to_another_certificate_does_not_open() -> None:
    """An administrator with database access copies his own sealed key onto the member's row: it fails."""
    admin = security_admin()
    member = person_with_key(admin)
    intruder = person_with_key(admin, full_name="他人")
    mine = SigningCertificate.objects.get(user=intruder, status=CertStatus.ACTIVE)
    theirs = SigningCertificate.objects.get(user=member, status=CertStatus.ACTIVE)
    SigningCertificate.objects.filter(pk=theirs.pk).update(sealed_key=mine.sealed_key)
    with pytest.raises(SoegovError, match="签名密码错误"):
        signing.unlock_own_key(actor=member, pin=PIN)


def test_issue_renew_revoke_are_for_the_security_admin_and_audited() -> None:
    admin = security_admin()
    person = UserFactory(full_name="李四")
    with pytest.raises(PermissionDenied):
        issuing.issue_person(actor=UserFactory(role="system_admin"), user=person)
    cert = issuing.issue_person(actor=admin, user=person)
    assert cert.status == CertStatus.PENDING and cert.der is None and cert.sealed_key is None
    with pytest.raises(SoegovError, match="已有有效或待启用"):
        issuing.issue_person(actor=admin, user=person)
    with pytest.raises(PermissionDenied):
        issuing.activate(actor=admin, cert=cert, pin=PIN, pin_again=PIN)  # nobody sets another's PIN
    with pytest.raises(SoegovError, match="至少 8 位"):
        issuing.activate(actor=person, cert=cert, pin="1234", pin_again="1234")
    with pytest.raises(SoegovError, match="登录密码"):
        from tests.factories import PASSWORD

        issuing.activate(actor=person, cert=cert, pin=PASSWORD, pin_again=PASSWORD)
    issuing.activate(actor=person, cert=cert, pin=PIN, pin_again=PIN)
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    new = issuing.renew(actor=admin, cert=cert)
    cert.refresh_from_db()
    assert (new.status, cert.status) == (CertStatus.PENDING, CertStatus.ACTIVE)  # old signs until the new is set
    issuing.activate(actor=person, cert=new, pin=PIN, pin_again=PIN)
    cert.refresh_from_db()
    assert cert.status == CertStatus.SUPERSEDED
    # What the old key signed still verifies.
    assert verify_bytes(packages.signed_file(document, "pdf")).ok
    issuing.revoke(actor=admin, cert=new, reason="离职")
    with pytest.raises(SoegovError, match="没有可用的签名证书"):
        signing.unlock_own_key(actor=person, pin=PIN)
    actions = list(AuditEntry.objects.filter(action__startswith="signature.").values_list("action", flat=True))
    for action in ("signature.root_create", "signature.issue", "signature.activate", "signature.renew",
                   "signature.supersede", "signature.revoke", "signature.sign", "signature.freeze"):
        assert action in actions


def test_revocation_after_signing_keeps_the_signature_valid_revocation_before_does_not() -> None:
    admin = security_admin()
    person = person_with_key(admin)
    document = frozen()
    record = signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                                    purpose="document.sign", ref=document.ref, document=document)
    cert = SigningCertificate.objects.get(user=person, status=CertStatus.ACTIVE)
    issuing.revoke(actor=admin, cert=cert, reason="密钥遗失")
    check = verify_bytes(packages.signed_file(document, "pdf")).signatures[0]
    assert check.ok and check.status_at_signing == "valid" and check.revocation_reason == "密钥遗失"
    # A revocation dated before the signature (e.g. reported as lost earlier) makes it invalid.
    SigningCertificate.objects.filter(pk=cert.pk).update(revoked_at=record.signed_at.replace(year=2000))
    check = verify_bytes(packages.signed_file(document, "pdf")).signatures[0]
    assert not check.ok and check.status_at_signing == "revoked"


def test_organisation_signs_and_the_report_names_it() -> None:
    admin = security_admin()
    jurisdiction = organisation_with_key(admin)
    reviewer = UserFactory(role="supervisor_reviewer", jurisdiction=jurisdiction)
    document = frozen(reviewer)
    signing.sign_as_organisation(actor=reviewer, jurisdiction=jurisdiction, purpose="reply.seal",
                                 ref=document.ref, document=document)
    (check,) = verify_bytes(packages.signed_file(document, "docx")).signatures
    assert check.ok and check.signer == jurisdiction.supervisor and check.operator == reviewer.username
    assert check.purpose == "批复发文机关签章"


def test_a_changed_document_is_a_new_revision_and_old_signatures_do_not_cover_it() -> None:
    person = person_with_key()
    first = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=first.ref, document=first)
    assert signing.freeze_document(actor=None, kind="reply", ref=first.ref, title="x",
                                   renditions={fmt: bytes(first.renditions.get(fmt=fmt).content)
                                               for fmt in ("pdf", "docx")}) == first
    changed = official("关于另一事项的批复")
    second = signing.freeze_document(actor=None, kind="reply", ref=first.ref, title=changed.title,
                                     renditions={"pdf": render_pdf(changed)})
    assert second.revision == 2 and not second.signatures.exists()


def test_ballot_statement_signature_is_stored_and_checks() -> None:
    person = person_with_key()
    record = signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                                    purpose="ballot.sign", ref="meetings.vote:1",
                                    what={"meeting": 1, "item": 2, "choice": "for"})
    cert = record.certificate
    assert sm2.verify(bytes.fromhex(cert.public_key), record.statement.encode(), bytes(record.signature))
    assert not sm2.verify(bytes.fromhex(cert.public_key), record.statement.replace("for", "against").encode(),
                          bytes(record.signature))
    assert SignatureRecord.objects.count() == 1


def test_kek_file_is_private_and_a_readable_one_is_refused() -> None:
    import os
    import stat

    issuing.root()
    path = keystore.key_dir() / keystore.KEK_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keystore.key_dir().stat().st_mode) == 0o700
    os.chmod(path, 0o644)
    with pytest.raises(keystore.KeyStoreError, match="chmod 600"):
        keystore.kek()


def test_a_stored_signature_is_checked_again_and_a_changed_statement_fails() -> None:
    from soegov.signatures.verify import record_valid

    admin = security_admin()
    person = person_with_key(admin)
    record = signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                                    purpose="ballot.sign", ref="meetings.vote:7", what={"choice": "against"})
    assert record_valid(record)
    SignatureRecord.objects.filter(pk=record.pk).update(statement=record.statement.replace("against", "for"))
    record.refresh_from_db()
    assert not record_valid(record)


def test_signed_download_response_carries_the_signatures() -> None:
    from soegov.signatures.downloads import signed_response
    from soegov.signatures.selectors import latest_document, signatures_on

    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    assert latest_document(document.ref) == document
    assert [s.certificate.user for s in signatures_on(document)] == [person]
    response = signed_response(document, "docx", "关于测试事项的批复")
    assert response["Content-Disposition"].endswith(".docx")
    assert verify_bytes(response.content).ok


@pytest.mark.parametrize("package", [
    {"format": "soegov-signatures/1", "document": ["x"], "signatures": []},
    {"format": "soegov-signatures/1", "document": {"sm3": 5, "revision": "a"}, "signatures": "abc"},
    {"format": "soegov-signatures/1", "document": {}, "signatures": [{"statement": 1, "signature": "@@",
                                                                      "certificate": None}], "root": []},
    {"format": "soegov-signatures/1", "signatures": [{"statement": "[]", "signature": "", "certificate": ""}]},
])
def test_a_hand_written_signature_area_is_a_finding_not_a_crash(package: dict[str, Any]) -> None:
    from soegov.signatures.container import embed

    for content in (render_pdf(official()), render_docx(official())):
        report = verify_bytes(embed(content, package))
        assert not report.ok and (report.problems or report.signatures)
