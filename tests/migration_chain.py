"""The migration chains as a deployment that upgrades meets them, for tests of one migration's data changes.

A new database is built by the squashed migrations (`0001_squashed`, `0002_squashed` in accounts), which replace
each app's chain. A deployment made before them goes through the chain itself: its data migrations (numbering,
sealing, the one-open-case refusal) run there, and only there. Django cannot migrate back to a migration a squash
has replaced, so these tests walk the chain with the squashed migrations left out. The test database holds every
replaced migration as applied (Django records them when it applies a squash), and the schema is the same.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader


class ChainLoader(MigrationLoader):
    """A migration loader that leaves the squashed migrations out, so each app's original chain is the graph."""

    def load_disk(self) -> None:
        """The migrations on disk, less those that replace others."""
        super().load_disk()
        self.disk_migrations = {key: m for key, m in self.disk_migrations.items() if not m.replaces}


def chain_executor(connection: Any) -> MigrationExecutor:
    """A MigrationExecutor over the original chains (see the module's docstring)."""
    executor = MigrationExecutor(connection)
    executor.loader = ChainLoader(connection, replace_migrations=False)
    return executor
