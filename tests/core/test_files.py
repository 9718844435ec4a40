"""The one file store: type by parsing, size, hash-addressed storage, verified reads, release after commit."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.core.files import (
    FileCorrupt,
    file_exists,
    file_fields,
    file_key,
    file_read,
    file_referenced,
    file_release,
    file_response,
    file_scope,
    file_storage,
    file_store,
)
from tests.factories import PDF, PNG, UserFactory

pytestmark = pytest.mark.django_db


def _docx() -> bytes:
    import docx

    out = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("关于收购的请示")
    d.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    out = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "金额"])
    wb.save(out)
    return out.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _stored_names() -> list[str]:
    root = Path(file_storage().location)  # type: ignore[attr-defined]
    return sorted(p.name for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("data", "mime", "ext"), [
    (PDF, "application/pdf", "pdf"),
    (PNG, "image/png", "png"),
    (_jpeg(), "image/jpeg", "jpg"),
    (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    (_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
])
def test_real_documents_are_stored_by_hash_and_read_back(data: bytes, mime: str, ext: str) -> None:
    with file_scope():
        stored = file_store(data, label="附件")
    assert (stored.content_type, stored.extension, stored.size) == (mime, ext, len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.created
    assert file_storage().exists(file_key(stored.sha256)) and file_read(stored.sha256) == data
    again = file_store(data)
    assert not again.created and _stored_names() == [stored.sha256]


def test_ten_megabytes_of_random_bytes_behind_a_pdf_header_are_refused_naming_the_field() -> None:
    fake = b"%PDF-1.7\n" + os.urandom(10 * 1024 * 1024)
    with pytest.raises(InputError) as exc:
        file_store(fake, field="opinion", label="法律意见书")
    assert exc.value.code == "damaged" and exc.value.path == "opinion"
    assert exc.value.message.startswith("法律意见书：文件开头标明为 PDF，但无法作为 PDF 打开")
    assert _stored_names() == []


@pytest.mark.parametrize(("data", "code"), [
    (PDF[: len(PDF) // 3], "damaged"),                          # a PDF cut short: no trailer, no pages
    (PNG[:30], "damaged"),                                      # a PNG header without its image
    (_docx()[:2000], "damaged"),                                # an OOXML package cut short
    # a Word 97 signature (OLE2 header, Word's FIB at 512) over noise: no compound file behind it
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"\xec\xa5\xc1\x00" + os.urandom(4096), "damaged"),
    (b"just words, no document", "unknown_type"),
    (b"", "empty_file"),
])
def test_what_does_not_open_as_it_claims_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as exc:
        file_store(data, field="file", label="材料")
    assert exc.value.code == code and exc.value.message.startswith("材料") and _stored_names() == []


def test_a_zip_that_is_not_an_office_document_is_refused() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError) as exc:
        file_store(out.getvalue())
    assert exc.value.code in {"damaged", "unknown_type", "type_not_allowed"}


def test_size_limit_names_the_field(settings: Any) -> None:
    settings.SOEGOV_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InputError) as exc:
        file_store(PDF + b"\n" * 2048, field="evidence", label="佐证材料")
    assert exc.value.code == "too_large" and exc.value.path == "evidence" and exc.value.message.startswith("佐证材料过大")


def test_a_changed_file_is_refused_on_read_and_audited(client: Client) -> None:
    user = UserFactory(role="system_admin")
    stored = file_store(PDF)
    path = Path(file_storage().path(file_key(stored.sha256)))
    path.write_bytes(PDF.replace(b"595", b"596"))
    with pytest.raises(FileCorrupt):
        file_read(stored.sha256, actor=user, what="测试文件")
    entry = AuditEntry.objects.get(action="file.corrupt")
    assert entry.object_id == stored.sha256 and entry.actor == user and entry.object_repr == "测试文件"
    response = file_response(stored.sha256, "测试.pdf", actor=user)
    assert response.status_code == 409 and "校验值" in response.content.decode()
    assert AuditEntry.objects.filter(action="file.corrupt").count() == 2


def test_download_headers_are_the_same_everywhere() -> None:
    stored = file_store(PDF)
    r = file_response(stored.sha256, "关于收购的请示.pdf")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF  # type: ignore[attr-defined]
    assert r["Content-Disposition"] == "attachment; filename*=utf-8''%E5%85%B3%E4%BA%8E%E6%94%B6%E8%B4%AD%E7%9A%84%E8%AF%B7%E7%A4%BA.pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert r["Content-Type"] == "application/octet-stream"


def test_every_app_declares_its_file_references() -> None:
    found = {f"{m._meta.label}.{name}" for m, name in file_fields()}
    assert found >= {"matters.Attachment.sha256", "meetings.TopicMaterial.sha256", "leaders.Document.sha256",
                     "followup.ActionItem.evidence_sha256", "exchange.Regulation.formal_sha256",
                     "exchange.ReceivedPackage.sha256"}


def test_release_waits_for_commit_and_keeps_a_file_another_app_refers_to(
        django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories import EnterpriseFactory
    from tests.leaders.factories import doc

    d = doc(EnterpriseFactory())
    assert file_referenced(d.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        file_release(d.sha256)
    assert file_exists(d.sha256)  # a leaders document still names it
    sha = d.sha256
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        type(d).objects.filter(pk=d.pk).delete()
        file_release(sha)
        assert file_exists(sha)  # not before the commit
    assert len(callbacks) == 1 and not file_exists(sha)


def test_a_rolled_back_release_deletes_nothing(django_capture_on_commit_callbacks: Any) -> None:
    stored = file_store(PNG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        file_release(stored.sha256)
        raise RuntimeError("refused")
    assert callbacks == [] and file_exists(stored.sha256)


def test_a_failed_scope_takes_back_only_the_files_it_wrote() -> None:
    kept = file_store(PDF)
    with pytest.raises(RuntimeError), file_scope():
        file_store(PDF)
        fresh = file_store(PNG)
        raise RuntimeError("boom")
    assert file_exists(kept.sha256) and not file_exists(fresh.sha256)


def test_files_of_the_former_uploads_folder_are_moved_into_the_store(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "old"))
    sha = hashlib.sha256(PDF).hexdigest()
    legacy = tmp_path / "old" / "uploads" / sha[:2] / sha
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(PDF)
    assert file_exists(sha) and not file_storage().exists(file_key(sha))
    assert file_read(sha) == PDF and file_storage().exists(file_key(sha))


MAGICS = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04",
          b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"\xec\xa5\xc1\x00"]


@hypothesis.settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(magic=st.sampled_from(MAGICS), rest=st.binary(max_size=4096))
def test_any_bytes_behind_a_known_header_are_stored_or_refused_with_a_message(magic: bytes, rest: bytes) -> None:
    try:
        stored = file_store(magic + rest, field="file", label="材料")
    except InputError as exc:
        assert exc.path == "file" and exc.message.startswith("材料")
    else:
        assert file_read(stored.sha256) == magic + rest


def test_a_copy_cut_short_is_replaced_and_no_temporary_file_is_left() -> None:
    sha = hashlib.sha256(PDF).hexdigest()
    cut = Path(file_storage().path(file_key(sha)))
    cut.parent.mkdir(parents=True)
    cut.write_bytes(PDF[:100])  # a write interrupted before the store wrote files atomically
    stored = file_store(PDF)
    assert stored.created and file_read(sha) == PDF and _stored_names() == [sha]
