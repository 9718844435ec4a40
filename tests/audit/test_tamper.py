"""Issue 14.1: each way a database administrator could rewrite the audit trail is detected by `audit verify`.

The attacker here has full write access to the database (on PostgreSQL: past the append-only trigger) and
the source code, but not the key folder nor the anchor folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from soegov.audit.chain import GENESIS, entry_hash
from soegov.audit.models import AuditEntry, AuditHead
from soegov.audit.sealing import ANCHOR_FILE, anchor_dir
from soegov.audit.services import ChainBroken, audit_checkpoint, audit_record, audit_verify
from soegov.cli import main

pytestmark = pytest.mark.django_db


def _as_dba() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


@pytest.fixture
def five(django_capture_on_commit_callbacks: Any) -> list[AuditEntry]:
    """Five committed entries, each anchored outside the database as in production."""
    entries = []
    for i in range(1, 6):
        with django_capture_on_commit_callbacks(execute=True):
            entries.append(audit_record(actor=None, action="test.event", object_repr=f"第{i}件", after={"n": i}))
    return entries


def _rehash_from(seq: int) -> None:
    """The attack of issue 14.1: recompute entry_hash for this row and every later one, then the head."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for e in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        digest = entry_hash(seq=e.seq, at=e.at, actor_id=e.actor_id, actor_name=e.actor_name, ip=e.ip,
                            action=e.action, object_type=e.object_type, object_id=e.object_id,
                            object_repr=e.object_repr, before=e.before, after=e.after, prev_hash=prev)
        AuditEntry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    last = AuditEntry.objects.order_by("-seq").first()
    AuditHead.objects.filter(id=1).update(seq=last.seq if last else 0, hash=prev)


def test_untouched_chain_verifies_against_its_anchors(five: list[AuditEntry]) -> None:
    result = audit_verify()
    assert result.ok, result.problems
    assert (result.checked, result.anchors) == (5, 5)
    assert all(len(e.mac) == 64 for e in AuditEntry.objects.all())
    lines = (anchor_dir() / ANCHOR_FILE).read_text().splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [1, 2, 3, 4, 5]


def test_rewritten_and_rehashed_rows_are_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    AuditEntry.objects.filter(seq=3).update(after={"n": 99})
    _rehash_from(3)
    problems = audit_verify().problems
    assert any(p.startswith("第 3–5 号记录的密钥校验码不符：在数据库中被改写或伪造") for p in problems), problems
    assert any(p.startswith("第 3–5 号记录与库外锚点记下的哈希不符") for p in problems), problems
    assert not any("SM3 哈希不符" in p for p in problems)  # the attacker's SM3 hashes are right; only the key tells


def test_rewritten_rows_without_codes_are_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    AuditEntry.objects.filter(seq=4).update(actor_name="某人", mac="")
    _rehash_from(4)
    AuditEntry.objects.filter(seq=5).update(mac="")
    problems = audit_verify().problems
    assert any(p.startswith("第 4–5 号记录没有密钥校验码，而它写于启用密钥之后") for p in problems), problems


def test_codes_stripped_from_every_row_are_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    AuditEntry.objects.update(mac="")
    problems = audit_verify().problems
    assert problems == [f"第 1–5 号记录没有密钥校验码，而它写于启用密钥之后：在数据库中被直接插入、改写或抹去了校验码"
                        f"（最早一条记于 {_local(five[0].at)}）"]


def test_a_forged_appended_row_is_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    last = five[-1]
    fields: dict[str, Any] = {"seq": 6, "at": last.at, "actor_name": "admin", "ip": "10.0.0.1", "action": "test.event",
                              "object_type": "", "object_id": "", "object_repr": "伪造", "before": None,
                              "after": {"n": 6}, "prev_hash": last.hash}
    digest = entry_hash(actor_id=None, **fields)
    AuditEntry.objects.bulk_create([AuditEntry(hash=digest, mac="ab" * 32, **fields)])
    AuditHead.objects.filter(id=1).update(seq=6, hash=digest)
    problems = audit_verify().problems
    assert problems == [f"第 6 号记录的密钥校验码不符：在数据库中被改写或伪造（记于 {_local(last.at)}）"]


def test_deleted_last_rows_with_the_head_reset_are_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    AuditEntry.objects.filter(seq__gte=4)._raw_delete(AuditEntry.objects.db)
    AuditHead.objects.filter(id=1).update(seq=3, hash=five[2].hash)
    problems = audit_verify().problems
    assert len(problems) == 1 and problems[0].startswith("第 4–5 号记录已被删除（末尾删除）"), problems
    assert "链尾已到第 5 号" in problems[0] and "最后一条为第 3 号" in problems[0]


def test_everything_deleted_is_detected(five: list[AuditEntry]) -> None:
    _as_dba()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_audithead")
    result = audit_verify()
    assert result.checked == 0
    assert len(result.problems) == 1
    assert result.problems[0].startswith("全部审计记录已被删除（表被清空或 TRUNCATE）"), result.problems
    assert "第 1–5 号记录" in result.problems[0]


@pytest.mark.postgres
def test_truncate_is_detected_on_postgresql(five: list[AuditEntry]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (run with DATABASE_URL)")
    with connection.cursor() as cursor:
        # The test's entries are not committed: check their deferred foreign keys now, as a commit would.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditentry, audit_audithead")
    assert audit_verify().problems[0].startswith("全部审计记录已被删除（表被清空或 TRUNCATE）")


@pytest.mark.postgres
def test_disabled_trigger_then_update_is_detected_on_postgresql(five: list[AuditEntry]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("triggers are PostgreSQL's (run with DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute("UPDATE audit_auditentry SET ip = '10.9.9.9' WHERE seq = 2")
    _rehash_from(2)
    assert any(p.startswith("第 2–5 号记录的密钥校验码不符") for p in audit_verify().problems)


def test_forged_anchor_lines_are_reported(five: list[AuditEntry]) -> None:
    with (anchor_dir() / ANCHOR_FILE).open("a") as f:
        f.write(json.dumps({"seq": 9, "hash": "0" * 64, "at": "2026-01-01T00:00:00+00:00", "mac": "1" * 64}) + "\n")
        f.write("not json\n")
    problems = audit_verify().problems
    assert any("第 6 行 的校验码不符（锚点被伪造或改动" in p for p in problems), problems
    assert any("第 7 行 无法解析" in p for p in problems), problems


def test_a_rolled_back_entry_leaves_no_anchor(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.event")
        raise RuntimeError("the change fails")
    assert not (anchor_dir() / ANCHOR_FILE).exists()
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=None, action="test.event")
    assert audit_verify().ok


def test_entries_written_before_keying_are_a_note_not_a_break(five: list[AuditEntry]) -> None:
    # An upgraded installation: entries 1-2 were written before this version, with no code and no anchor.
    _as_dba()
    AuditEntry.objects.filter(seq__lte=2).update(mac="")
    path = anchor_dir() / ANCHOR_FILE
    path.write_text("".join(x + "\n" for x in path.read_text().splitlines() if json.loads(x)["seq"] > 2))
    result = audit_verify()
    assert result.ok, result.problems
    assert result.notes == ["第 1–2 号记录写于审计链启用密钥之前，只受 SM3 链与其后的锚点保护"]


def test_a_missing_key_folder_is_a_break(five: list[AuditEntry], monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(tmp_path / "elsewhere"))
    problems = audit_verify().problems
    assert len(problems) == 1 and problems[0].startswith("无法读取审计密钥"), problems


def test_an_exported_checkpoint_catches_a_wiped_anchor_folder(five: list[AuditEntry], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kept-elsewhere.json"
    assert main(["audit", "checkpoint", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["seq"] == 5
    (anchor_dir() / ANCHOR_FILE).unlink()
    _as_dba()
    AuditEntry.objects.filter(seq__gte=3)._raw_delete(AuditEntry.objects.db)
    AuditHead.objects.filter(id=1).update(seq=2, hash=five[1].hash)
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0  # without anchors nor the checkpoint the tail cannot be missed
    assert main(["audit", "verify", "--checkpoint", str(out)]) == 1
    err = capsys.readouterr().err
    assert "第 3–5 号记录已被删除（末尾删除）" in err and "链尾已到第 5 号" in err


def test_a_checkpoint_of_a_broken_chain_is_refused(five: list[AuditEntry]) -> None:
    _as_dba()
    AuditEntry.objects.filter(seq=2).update(ip="1.2.3.4")
    with pytest.raises(ChainBroken):
        audit_checkpoint()


def test_a_forged_checkpoint_is_reported(five: list[AuditEntry], tmp_path: Path) -> None:
    out = tmp_path / "cp.json"
    out.write_text(json.dumps({"kind": "soegov-audit-checkpoint", "seq": 3, "hash": "a" * 64,
                               "at": "2026-01-01T00:00:00+00:00", "mac": "b" * 64}))
    problems = audit_verify(checkpoints=[out]).problems
    assert problems == [f"检查点 {out} 的校验码不符（锚点被伪造或改动，或密钥不是本系统的）"]


def _local(at: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def test_the_audit_admin_downloads_a_checkpoint_from_the_log_page(client: Any, five: list[AuditEntry]) -> None:
    from django.urls import reverse

    from soegov.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert client.post(reverse("audit:checkpoint")).status_code == 403
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    assert "导出检查点" in client.get(reverse("audit:log")).content.decode()
    head = AuditEntry.objects.order_by("-seq").first()
    resp = client.post(reverse("audit:checkpoint"))
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith('attachment; filename="audit-checkpoint-')
    data = json.loads(resp.content)
    assert data["kind"] == "soegov-audit-checkpoint"
    # The head before the export; the export itself is recorded after it.
    assert (data["seq"], data["hash"]) == (head.seq, head.hash)
    assert AuditEntry.objects.filter(action="audit.checkpoint").count() == 1


def test_verify_as_json_for_monitoring(five: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "checked": 5, "anchors": 5, "problems": [], "notes": []}
    _as_dba()
    AuditEntry.objects.filter(seq=5)._raw_delete(AuditEntry.objects.db)
    AuditHead.objects.filter(id=1).update(seq=4, hash=five[3].hash)
    assert main(["audit", "verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"][0].startswith("第 5 号记录已被删除（末尾删除）")
