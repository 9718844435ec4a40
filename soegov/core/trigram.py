"""A migration operation adding pg_trgm GIN indexes for keyword search (PostgreSQL only; nothing on SQLite).

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%q%')`, so the index is on that same
expression with `gin_trgm_ops`: the planner then answers a Chinese substring search from the index. In a
C.UTF-8 (or any UTF-8) database pg_trgm makes trigrams of Chinese characters as of Latin letters.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


class TrigramIndexes(migrations.operations.base.Operation):
    """CREATE EXTENSION pg_trgm and one GIN index on UPPER(column) per column, on PostgreSQL only."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str, columns: list[str]) -> None:
        self.model_name = model_name
        self.columns = columns

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [], {"model_name": self.model_name, "columns": self.columns})

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Indexes on expressions are not part of the model state: nothing to change."""

    def _names(self, app_label: str, from_state: Any) -> tuple[str, list[tuple[str, str]]]:
        model = from_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        return table, [(col, f"{table}_{col}_trgm"[:63]) for col in self.columns]

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, names = self._names(app_label, from_state)
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for col, name in names:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{col}"::text)) gin_trgm_ops)')

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        _, names = self._names(app_label, to_state)
        for _, name in names:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def references_model(self, name: str, app_label: str) -> bool:
        """Only its own model: the migration optimizer may then move other models' operations across it."""
        return name.lower() == self.model_name.lower()

    def reduce(self, operation: Any, app_label: str) -> bool | list[Any]:
        """Whether `operation` may be moved ahead of this one when migrations are squashed: any operation on another
        model, and on this model one that only adds (a field, an index, a constraint), which the GIN indexes never
        need to come first; removals and alterations of this model stay after it."""
        if not operation.references_model(self.model_name, app_label):
            return True
        adds = (migrations.AddField, migrations.AddIndex, migrations.AddConstraint)
        return isinstance(operation, adds)

    def describe(self) -> str:
        return f"pg_trgm GIN indexes on {self.model_name} ({', '.join(self.columns)})"
