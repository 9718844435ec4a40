"""The audit chain: append-only, SM3-linked, and `soegov audit verify` finds edits and deletions."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.audit.chain import sm3_hex
from soegov.audit.models import AppendOnlyError, AuditEntry, AuditHead
from soegov.audit.services import audit_record, audit_verify
from soegov.cli import main
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tamper() -> None:
    """Act as a database superuser: on PostgreSQL that means getting past the trigger first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Replica mode skips ordinary triggers for the rest of this (test) transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")


def _three() -> list[AuditEntry]:
    return [audit_record(actor=None, action="test.event", object_repr=f"第{i}件", after={"n": i}) for i in range(3)]


def test_sm3_known_answer() -> None:
    # GB/T 32905-2016 appendix A, example 1.
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_entries_are_linked_and_verify() -> None:
    a, b, c = _three()
    assert b.prev_hash == a.hash and c.prev_hash == b.hash
    assert (b.seq, c.seq) == (a.seq + 1, a.seq + 2)
    result = audit_verify()
    assert result.ok and result.checked == 3


def test_orm_refuses_changes() -> None:
    a, *_ = _three()
    a.action = "forged"
    with pytest.raises(AppendOnlyError):
        a.save()
    with pytest.raises(AppendOnlyError):
        a.delete()


def test_an_edited_row_is_detected() -> None:
    _, b, _ = _three()
    _tamper()
    AuditEntry.objects.filter(pk=b.pk).update(after={"n": 99})
    result = audit_verify()
    assert result.problems == [f"第 {b.seq} 号记录的内容已被改动（SM3 哈希不符；记于 {_local(b.at)}）"]


def test_a_deleted_row_is_detected() -> None:
    a, b, _ = _three()
    _tamper()
    AuditEntry.objects.filter(pk=b.pk)._raw_delete(AuditEntry.objects.db)
    result = audit_verify()
    assert f"第 {b.seq} 号记录缺失（被删除；其前一条记于 {_local(a.at)}）" in result.problems


def test_a_deleted_last_row_is_detected() -> None:
    *_, c = _three()
    _tamper()
    AuditEntry.objects.filter(pk=c.pk)._raw_delete(AuditEntry.objects.db)
    result = audit_verify()
    assert not result.ok
    assert "末尾记录被删除或改动" in result.problems[0]


def test_a_rehashed_edit_still_breaks_the_next_link() -> None:
    a, _b, _ = _three()
    _tamper()
    AuditEntry.objects.filter(pk=a.pk).update(hash="f" * 64)
    assert not audit_verify().ok


def test_cli_verify_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    _, b, _ = _three()
    assert main(["audit", "verify"]) == 0
    assert "审计链完整：共 3 条记录" in capsys.readouterr().out
    _tamper()
    AuditEntry.objects.filter(pk=b.pk).update(ip="10.0.0.9")
    assert main(["audit", "verify"]) == 1
    assert "内容已被改动" in capsys.readouterr().err
    assert AuditHead.objects.get().seq == 3


def test_only_the_audit_admin_reads_the_log(client) -> None:  # type: ignore[no-untyped-def]
    _three()
    for role in [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN]:
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("audit:log")).status_code == 403
        assert client.get(reverse("audit:export")).status_code == 403
    auditor = UserFactory(role=Role.AUDIT_ADMIN)
    client.force_login(auditor)
    page = client.get(reverse("audit:log"), {"action": "test.event"})
    assert page.status_code == 200
    assert "第1件" in page.content.decode()
    csv = client.get(reverse("audit:export"), {"action": "test.event"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,时间,操作人")
    assert text.count("test.event") == 3
    # The denials above and the export itself are in the log too.
    assert AuditEntry.objects.filter(action="access.denied").count() == 4
    assert AuditEntry.objects.filter(action="audit.export", actor=auditor).count() == 1
    assert audit_verify().ok


def test_bad_search_date_names_the_field(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    page = client.get(reverse("audit:log"), {"date_from": "2026-02-30"})
    assert page.status_code == 400
    assert "起始日期不是有效日期" in page.content.decode()


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run by scripts/test with DATABASE_URL)")
    a, *_ = _three()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=a.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=a.pk)._raw_delete(AuditEntry.objects.db)
    assert audit_verify().ok


def test_csv_export_defuses_formulas(client) -> None:  # type: ignore[no-untyped-def]
    audit_record(actor=None, action="test.csv", object_repr="=1+1", actor_name="@evil")
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    text = b"".join(client.get(reverse("audit:export"), {"action": "test.csv"}).streaming_content).decode("utf-8-sig")
    assert ",'@evil," in text and ",'=1+1," in text


def test_client_address_behind_a_trusted_proxy(client, settings) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.AUDIT_ADMIN)
    client.force_login(user)
    settings.SOEGOV_TRUST_PROXY = False
    client.get(reverse("audit:export"), HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="192.0.2.1")
    settings.SOEGOV_TRUST_PROXY = True
    client.get(reverse("audit:export"), HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="192.0.2.1")
    ips = list(AuditEntry.objects.filter(action="audit.export").order_by("seq").values_list("ip", flat=True))
    assert ips == ["192.0.2.1", "10.1.2.3"]


def test_audit_admin_verifies_from_the_page(client) -> None:  # type: ignore[no-untyped-def]
    _, b, _ = _three()
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "审计链完整" in page
    _tamper()
    AuditEntry.objects.filter(pk=b.pk).update(object_repr="篡改")
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert f"第 {b.seq} 号记录的内容已被改动" in page
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert client.post(reverse("audit:verify")).status_code == 403


def _local(at: object) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[arg-type]
