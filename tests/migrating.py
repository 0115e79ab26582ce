"""Migration tests: run Django's migration executor on real rows, then put the
latest schema back whatever the test did."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` and return the historical apps of that state."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def at_state(targets):
    """For a fixture: ``yield from at_state(BEFORE)`` gives the apps at ``targets``
    and migrates to the latest state afterwards."""
    yield migrate(targets)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
