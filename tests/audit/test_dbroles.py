"""On PostgreSQL the application role may only SELECT and INSERT audit entries (issue 14.1), tried on the real server."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from soegov.audit.dbroles import RoleError, apply_roles, role_statements
from soegov.audit.services import audit_record
from soegov.cli import main

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles() -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL)")
    suffix = secrets.token_hex(4)
    owner, app = f"soegov_t_owner_{suffix}", f"soegov_t_app_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{owner}" LOGIN')
        cursor.execute(f'CREATE ROLE "{app}" LOGIN')
    try:
        yield owner, app
    finally:
        with connection.cursor() as cursor:
            for name in (app, owner):
                cursor.execute(f'DROP OWNED BY "{name}"')
                cursor.execute(f'DROP ROLE "{name}"')


def _as(role: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"], user=role,
                           autocommit=True)


def _refused(conn: psycopg.Connection, sql: str) -> bool:
    try:
        conn.execute(sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_the_app_role_only_selects_and_inserts_audit_entries(roles: tuple[str, str]) -> None:
    owner, app = roles
    audit_record(actor=None, action="test.event", object_repr="第1件")
    apply_roles(connection, owner=owner, app=app)
    with _as(app) as conn:
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone() == (1,)
        conn.execute(
            "INSERT INTO audit_auditentry (seq, at, actor_name, ip, action, object_type, object_id, object_repr, "
            "prev_hash, hash, mac) VALUES (2, now(), '', '', 'test.event', '', '', '', 'x', 'y', '')"
        )
        assert _refused(conn, "UPDATE audit_auditentry SET ip = '10.0.0.9'")
        assert _refused(conn, "DELETE FROM audit_auditentry")
        assert _refused(conn, "TRUNCATE audit_auditentry")
        assert _refused(conn, "TRUNCATE audit_audithead")
        assert _refused(conn, "DELETE FROM audit_audithead")
        assert _refused(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        assert _refused(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
        assert _refused(conn, "DROP TABLE audit_auditentry")
        assert _refused(conn, "SET session_replication_role = replica")
        # The chain head moves with every entry, and the rest of the application works as usual.
        conn.execute("UPDATE audit_audithead SET seq = seq")
        conn.execute("UPDATE django_session SET expire_date = expire_date")
        conn.execute("DELETE FROM django_session WHERE false")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        assert cursor.fetchone() == (2,)


def test_an_unsafe_app_role_is_refused(roles: tuple[str, str]) -> None:
    owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT "{owner}" TO "{app}"')
    with pytest.raises(RoleError, match=r"是所有者角色 .* 的成员"):
        apply_roles(connection, owner=owner, app=app)
    with pytest.raises(RoleError, match="不存在"):
        apply_roles(connection, owner=owner, app="soegov_no_such_role")


def test_db_roles_prints_the_sql(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "db-roles", "--owner", "own", "--app", "web"]) == 0
    out = capsys.readouterr().out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "public".audit_auditentry FROM "web";' in out
    assert main(["audit", "db-roles", "--app", "Robert'); DROP TABLE x;--"]) == 2
    with pytest.raises(RoleError):
        role_statements(owner="same", app="same")
