"""PostgreSQL roles for running soegov so that the application cannot rewrite or empty the audit tables.

The owner role owns the schema and runs `soegov migrate`; the application role (`soegov serve`, workers)
gets ordinary rights on every table except the audit entries, which it may only SELECT and INSERT, and
the chain head, which it may not DELETE or TRUNCATE. Neither owning a table nor being a superuser, it
cannot ALTER the tables, DISABLE their triggers or TRUNCATE them.
"""

from __future__ import annotations

import re
from typing import Any

AUDIT_TABLES = ("audit_auditentry", "audit_audithead")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    """A role name that is not a plain identifier, or a role set-up that would leave the audit tables open."""


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise RoleError(f"角色名 {name!r} 无效：只能用小写字母、数字和下划线，且不以数字开头")
    return f'"{name}"'


def role_statements(*, owner: str, app: str, schema: str = "public") -> list[str]:
    """The GRANT/REVOKE statements (run as the owner or a superuser, after `soegov migrate`) for the two roles."""
    o, a, s = _ident(owner), _ident(app), _ident(schema)
    if owner == app:
        raise RoleError("所有者角色与应用角色必须不同")
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {s}.audit_auditentry FROM {a}",
        f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {s}.audit_audithead FROM {a}",
        # Tables that later migrations create get the same ordinary rights.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]


def role_problems(cursor: Any, *, owner: str, app: str) -> list[str]:
    """Why the application role could still change the audit tables (superuser, owner, member of the owner)."""
    problems: list[str] = []
    cursor.execute("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
    found = {row[0]: row for row in cursor.fetchall()}
    for name in (owner, app):
        if name not in found:
            problems.append(f"角色 {name} 不存在：请先 CREATE ROLE {name} LOGIN PASSWORD '…'")
    if app in found and found[app][1]:
        problems.append(f"应用角色 {app} 是超级用户，可以改写或清空审计表")
    if app in found and owner in found:
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
        if cursor.fetchone()[0]:
            problems.append(f"应用角色 {app} 是所有者角色 {owner} 的成员，拥有其全部权限")
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s) "
        "AND tableowner = %s", [list(AUDIT_TABLES), app],
    )
    for (table,) in cursor.fetchall():
        problems.append(f"应用角色 {app} 是 {table} 的所有者，可以 TRUNCATE、ALTER 或停用触发器")
    return problems


def apply_roles(connection: Any, *, owner: str, app: str) -> list[str]:
    """Run the statements on the connection (the owner's or a superuser's) and return them; RoleError first when unsafe."""
    statements = role_statements(owner=owner, app=app)
    with connection.cursor() as cursor:
        problems = role_problems(cursor, owner=owner, app=app)
        if problems:
            raise RoleError("；".join(problems))
        for sql in statements:
            cursor.execute(sql)
    return statements
