"""Uploads: size limit, type by content, content hash, versions, nothing half-saved, never served inline."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from soegov.core.errors import SoegovError
from soegov.core.files import file_read, file_storage
from soegov.matters import attachments
from soegov.matters.models import Attachment
from tests.factories import EnterpriseFactory, UserFactory
from tests.matters.conftest import EXE, PDF, PNG, make_matter

pytestmark = pytest.mark.django_db


def _files() -> list[str]:
    from pathlib import Path

    root = Path(file_storage().location)  # type: ignore[attr-defined]
    return [p.name for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_renamed_executable_is_refused_by_content(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_upload(actor=filer, matter=m, kind="legal_opinion", name="法律意见书.pdf", data=EXE)
    assert exc.value.message == "企业法律顾问出具的法律意见书：文件内容是可执行程序，不能上传（与文件名无关，按内容判定）"
    assert Attachment.objects.count() == 0 and _files() == []


def test_unknown_content_is_refused(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_upload(actor=filer, matter=m, kind="other", name="说明.pdf", data=b"just text, not a pdf")
    assert exc.value.code == "unknown_type"


def test_oversized_file_is_refused(filer: Any, enterprise: Any, settings: Any) -> None:
    settings.SOEGOV_UPLOAD_MAX_BYTES = 1024
    m = make_matter(filer, enterprise)
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_upload(actor=filer, matter=m, kind="other", name="big.pdf", data=PDF + b"0" * 2048)
    assert exc.value.message == "其他有关材料过大（0.0 MB），单个文件不能超过 0 MB"
    assert _files() == []


def test_stored_by_hash_with_the_detected_extension_and_versioned(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    a1 = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="照片.pdf", data=PNG)
    assert (a1.content_type, a1.original_name, a1.version) == ("image/png", "照片.png", 1)
    assert a1.sha256 == hashlib.sha256(PNG).hexdigest()
    assert file_read(a1.sha256) == PNG
    a2 = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="照片2", data=PDF)
    assert a2.version == 2 and Attachment.objects.filter(matter=m).count() == 2


def test_failed_save_leaves_no_file(filer: Any, enterprise: Any, monkeypatch: Any) -> None:
    m = make_matter(filer, enterprise)

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(attachments, "audit_record", boom)
    with pytest.raises(RuntimeError):
        attachments.attachment_upload(actor=filer, matter=m, kind="other", name="a.pdf", data=PDF)
    assert Attachment.objects.count() == 0 and _files() == []


def test_download_is_permission_checked_and_never_inline(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    a = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="a.pdf", data=PDF)
    c = Client()
    c.force_login(filer)
    r = c.get(f"/matters/attachments/{a.pk}/")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF  # type: ignore[attr-defined]
    other = UserFactory(role="enterprise_filer", enterprise=EnterpriseFactory(jurisdiction=enterprise.jurisdiction))
    c2 = Client()
    c2.force_login(other)
    assert c2.get(f"/matters/attachments/{a.pk}/").status_code == 404
