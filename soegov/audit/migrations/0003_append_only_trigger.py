"""On PostgreSQL the database itself refuses UPDATE and DELETE on audit entries.

SQLite deployments rely on the model's refusal and on `soegov audit verify`; a SQLite trigger would
also block the test runner's table flush.
"""

from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION soegov_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'soegov audit log is append-only (% refused)', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION soegov_audit_append_only()
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS soegov_audit_append_only()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_actor_protect")]
    operations = [migrations.RunPython(forwards, backwards)]
