"""Issue 13.9: a wrong upload is withdrawn before submission (audited, the version kept); a fake PDF is refused."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from soegov.audit.models import AuditEntry
from soegov.core.errors import SoegovError
from soegov.core.files import file_read
from soegov.matters import attachments, lifecycle
from soegov.matters.models import Attachment, Event
from tests.matters.conftest import PDF, PNG, attach_all, decide, make_matter, submitted

pytestmark = pytest.mark.django_db
FAKE_PDF = b"%PDF-1.7\n" + os.urandom(10 * 1024 * 1024)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_withdrawn_upload_no_longer_counts_but_its_version_and_file_are_kept(filer: Any, enterprise: Any) -> None:
    m = attach_all(filer, decide(filer, make_matter(filer, enterprise)))
    assert lifecycle.missing_attachments(m) == []
    wrong = m.attachments.get(kind="legal_opinion")
    attachments.attachment_withdraw(actor=filer, attachment=wrong, version=m.version, reason="传错了文件")
    m.refresh_from_db()
    wrong.refresh_from_db()
    assert wrong.withdrawn_at is not None and wrong.withdrawn_by == filer
    assert lifecycle.missing_attachments(m) == ["legal_opinion"]
    assert file_read(wrong.sha256).startswith(b"%PDF")  # the file stays with the kept version
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    assert exc.value.code == "missing_attachments"
    entry = AuditEntry.objects.get(action="matter.attachment_withdraw")
    assert entry.object_id == str(wrong.pk) and entry.after["reason"] == "传错了文件" and entry.before == {"withdrawn_at": None}
    assert Event.objects.filter(matter=m, action="withdraw_attachment").count() == 1
    again = attachments.attachment_upload(actor=filer, matter=m, kind="legal_opinion", name="法律意见书", data=PNG)
    assert again.version == 2 and Attachment.objects.filter(matter=m, kind="legal_opinion").count() == 2
    m.refresh_from_db()
    done = lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    sent = done.submissions.first().snapshot["attachments"]["legal_opinion"]
    assert sent["id"] == again.pk and sent["version"] == 2


def test_twice_or_after_submission_is_refused(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = submitted(filer, enterprise)
    a = m.attachments.get(kind="legal_opinion")
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_withdraw(actor=filer, attachment=a, version=m.version)
    assert exc.value.code == "not_editable"
    m = lifecycle.matter_start_review(actor=reviewer, matter=m, version=m.version)
    m = lifecycle.matter_return(actor=reviewer, matter=m, version=m.version, missing=["法律意见书须加盖公章"])
    # Returned: what the supervisor already received cannot be taken back, only superseded by a new version.
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_withdraw(actor=filer, attachment=a, version=m.version)
    assert exc.value.code == "already_submitted" and "上传新版本" in exc.value.message
    new = attachments.attachment_upload(actor=filer, matter=m, kind="legal_opinion", name="法律意见书", data=PNG)
    m.refresh_from_db()
    attachments.attachment_withdraw(actor=filer, attachment=new, version=m.version)
    m.refresh_from_db()
    with pytest.raises(SoegovError) as exc:
        attachments.attachment_withdraw(actor=filer, attachment=new, version=m.version)
    assert exc.value.code == "already_withdrawn"


def test_only_the_enterprises_writers_withdraw(filer: Any, reviewer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    a = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="a", data=PDF)
    with pytest.raises(PermissionDenied):
        attachments.attachment_withdraw(actor=reviewer, attachment=a)
    assert _client(reviewer).post(f"/matters/attachments/{a.pk}/withdraw/", {"version": m.version + 1}).status_code == 403
    a.refresh_from_db()
    assert a.withdrawn_at is None


def test_the_page_withdraws_and_shows_the_kept_version(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    a = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="错误的文件", data=PDF)
    m.refresh_from_db()
    c = _client(filer)
    page = c.get(f"/matters/{m.pk}/").content.decode()
    assert f'action="/matters/attachments/{a.pk}/withdraw/"' in page
    r = c.post(f"/matters/attachments/{a.pk}/withdraw/", {"version": m.version}, follow=True)
    page = r.content.decode()
    assert "已撤回：错误的文件.pdf（该版本仍保留在记录中）" in page and "已撤回（马晓东" in page
    assert f'action="/matters/attachments/{a.pk}/withdraw/"' not in page
    assert c.get(f"/matters/attachments/{a.pk}/").status_code == 200  # still downloadable as a record
    # A second click from the page as it was: the matter moved on, nothing happens twice.
    stale = c.post(f"/matters/attachments/{a.pk}/withdraw/", {"version": m.version}, follow=True).content.decode()
    assert "该事项已被他人更新" in stale and Event.objects.filter(action="withdraw_attachment").count() == 1


def test_the_api_withdraws(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise)
    a = attachments.attachment_upload(actor=filer, matter=m, kind="other", name="a", data=PDF)
    m.refresh_from_db()
    c = _client(filer)
    r = c.post(f"/api/v1/attachments/{a.pk}/withdraw", {"version": m.version, "reason": "重复上传"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["withdrawn_at"] is not None, r.content
    detail = c.get(f"/api/v1/matters/{m.pk}").json()
    assert [x["withdrawn_at"] is not None for x in detail["attachments"]] == [True]
    r = c.post(f"/api/v1/attachments/{a.pk}/withdraw", {"version": m.version + 1}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "already_withdrawn"


def test_ten_megabytes_of_random_bytes_behind_pdf_are_refused_on_the_page_and_the_api(
        filer: Any, enterprise: Any, settings: Any) -> None:
    m = make_matter(filer, enterprise)
    c = _client(filer)
    f = io.BytesIO(FAKE_PDF)
    f.name = "法律意见书.pdf"
    page = c.post(f"/matters/{m.pk}/attachments/", {"kind": "legal_opinion", "file": f, "version": m.version},
                  follow=True).content.decode()
    assert "企业法律顾问出具的法律意见书：文件开头标明为 PDF，但无法作为 PDF 打开" in page
    f.seek(0)
    r = c.post(f"/api/v1/matters/{m.pk}/attachments", {"kind": "legal_opinion", "file": f})
    assert r.status_code == 400 and r.json()["error"]["code"] == "damaged" and r.json()["error"]["path"] == "file"
    assert not Attachment.objects.exists()
