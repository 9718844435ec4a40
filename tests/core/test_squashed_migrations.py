"""A new database runs the squashed migrations; an older one goes on through the original chains. Both must end
with the same schema: the same models, fields, indexes and constraints, and the same pg_trgm indexes (which the
model state does not hold), and nothing but data changes left out of a squash."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Field

from soegov.core.trigram import TrigramIndexes
from tests.migration_chain import ChainLoader


def _plain(value: Any) -> Any:
    """A field as comparable data: its deconstruction, with the fields inside it (a generated field's output) too."""
    if isinstance(value, Field):
        path, args, kwargs = value.deconstruct()[1:]
        return path, _plain(args), _plain(kwargs)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _models(loader: MigrationLoader) -> dict[tuple[str, str], Any]:
    state = loader.project_state()
    out = {}
    for key, model in state.models.items():
        fields = {name: _plain(field) for name, field in model.fields.items()}
        options = dict(model.options)
        indexes = sorted(repr(i.deconstruct()) for i in options.pop("indexes", []))
        constraints = sorted(repr(c.deconstruct()) for c in options.pop("constraints", []))
        out[key] = (fields, indexes, constraints, repr(sorted(options.items())), model.bases)
    return out


def _trigram_indexes(loader: MigrationLoader) -> set[tuple[str, str, str]]:
    """The pg_trgm indexes the migrations a new database runs create: (app, model, column)."""
    nodes = {n for leaf in loader.graph.leaf_nodes() for n in loader.graph.forwards_plan(leaf)}
    return {(app, op.model_name, column) for app, name in nodes for op in loader.graph.nodes[(app, name)].operations
            if isinstance(op, TrigramIndexes) for column in op.columns}


def test_the_squashed_migrations_build_the_schema_of_the_chains() -> None:
    squashed = MigrationLoader(None)
    chains = ChainLoader(None, replace_migrations=False)
    assert any(m.replaces for m in squashed.disk_migrations.values())
    assert _models(squashed) == _models(chains)
    assert _trigram_indexes(squashed) == _trigram_indexes(chains)


def test_only_data_changes_are_left_out_of_the_squashes() -> None:
    from django.db.migrations.operations.special import RunPython, RunSQL

    chains = ChainLoader(None, replace_migrations=False)
    replaced = {key for m in MigrationLoader(None).disk_migrations.values() for key in m.replaces}
    for key in replaced:
        for op in chains.graph.nodes[key].operations:
            if isinstance(op, (RunPython, RunSQL)):
                assert op.elidable, f"{key}: {op.describe()} is not a data change a new database can skip"


@pytest.mark.django_db
def test_a_new_database_records_the_chains_too() -> None:
    """Django records every replaced migration when it applies a squash: an upgrade from here takes the chain's
    next migration, and the chain loader of tests/migration_chain.py sees the database at the chain's end."""
    recorded = MigrationLoader(connection).applied_migrations
    replaced = {key for m in MigrationLoader(None).disk_migrations.values() for key in m.replaces}
    assert replaced <= set(recorded)
