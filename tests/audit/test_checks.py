"""Start-up checks: an anchor folder that cannot be written is an error; on PostgreSQL a role that can rewrite the
audit tables is warned about."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from soegov.audit.checks import check_anchor_folder, check_audit_role, check_key_folder
from soegov.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_a_writable_anchor_folder_passes() -> None:
    assert check_anchor_folder() == []


def test_an_anchor_folder_that_is_a_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SOEGOV_AUDIT_ANCHOR_DIR", str(blocker / "anchors"))
    found = check_anchor_folder()
    assert [m.id for m in found] == ["soegov.E151"]
    assert "不是文件夹" in found[0].msg


def test_a_key_folder_readable_by_others_is_an_error() -> None:
    audit_record(actor=None, action="test.event")  # makes the KEK
    assert check_key_folder() == []
    from soegov.signatures.keystore import key_dir

    (key_dir() / "kek.bin").chmod(0o644)
    assert [m.id for m in check_key_folder()] == ["soegov.E152"]


@pytest.mark.postgres
def test_a_superuser_application_role_is_warned_about() -> None:
    if connection.vendor != "postgresql":
        assert check_audit_role() == []
        return
    found = check_audit_role()
    assert [m.id for m in found] == ["soegov.W153"]
    assert "超级用户" in found[0].msg and "TRUNCATE" in found[0].msg
