"""Append-only tables, enforced by the database for every table that is one (rules: Everywhere).

A table is append-only when its model is a change-history model (django-simple-history)
or declares `append_only = True`: the access log, household status changes, signatures,
and the signed content of documents. Nothing is listed by hand, so a history table or a
signed document added later is protected the day its migration runs.

After every `migrate` (post_migrate, connected in CoreConfig.ready) the triggers are
installed on each such table, idempotently:

- PostgreSQL: one BEFORE UPDATE OR DELETE row trigger calling `safecare_append_only()`,
  which raises. TRUNCATE stays with the table owner (the test runner).
- SQLite: a BEFORE UPDATE and a BEFORE DELETE trigger, each RAISE(ABORT).

One exception, for DELETE only: a confirmed erasure of a record past its retention period
(files.services_retention, decision 0048) must remove the record's history and access-log
rows too. The DELETE trigger lets a row go when the table `core_erasure_permit` holds a row
naming its table. The erasure inserts those permits inside its own transaction and removes
them before it commits (`erasure_permit`), so no other transaction ever sees one (they are
never committed) and, outside an erasure, DELETE is refused as before. UPDATE is refused
always.

The system check `core.E020` (tag `database`: `manage.py check --database default`) names
any append-only table whose trigger is missing or disabled (decision 0021).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as global_apps
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from simple_history.models import HistoricalChanges

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION safecare_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM core_erasure_permit WHERE table_name = TG_TABLE_NAME) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit table % is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

# The permits a confirmed erasure holds while it runs (decision 0048). Made by core's
# migration 0018, and here too so the triggers never name a missing table.
PERMIT_TABLE = "core_erasure_permit"
PERMIT_DDL = f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (table_name varchar(100) PRIMARY KEY)"

# The trigger names a table's triggers have; SQLite has one per refused statement.
SUFFIX = "_append_only"
SQLITE_EVENTS = ("update", "delete")


def is_append_only(model: type[models.Model]) -> bool:
    """Whether the database refuses UPDATE and DELETE on this model's table."""
    if model._meta.proxy or not model._meta.managed:
        return False
    return issubclass(model, HistoricalChanges) or bool(getattr(model, "append_only", False))


def append_only_models(app_registry: Any = None) -> list[type[models.Model]]:
    registry = app_registry or global_apps
    return sorted(
        (model for model in registry.get_models() if is_append_only(model)),
        key=lambda model: model._meta.db_table,
    )


def append_only_tables(app_registry: Any = None) -> list[str]:
    return sorted({model._meta.db_table for model in append_only_models(app_registry)})


def _name(table: str, suffix: str) -> str:
    """A trigger name within PostgreSQL's 63 characters, the same every time."""
    name = f"{table}{suffix}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(table.encode()).hexdigest()[:8]
    return f"{table[: 63 - len(suffix) - 9]}_{digest}{suffix}"


def trigger_names(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [_name(table, f"{SUFFIX}_{event}") for event in SQLITE_EVENTS]
    return [_name(table, SUFFIX)]


def install_statements(table: str, vendor: str, quote: Any) -> list[str]:
    """The statements that make one table append-only; running them twice changes nothing."""
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE TRIGGER {quote(_name(table, SUFFIX))} BEFORE UPDATE OR DELETE ON "
            f"{quote(table)} FOR EACH ROW EXECUTE FUNCTION safecare_append_only()"
        ]
    if vendor == "sqlite":
        message = f"audit table {table} is append-only"
        statements = []
        for event in SQLITE_EVENTS:
            name = quote(_name(table, f"{SUFFIX}_{event}"))
            when = (
                f" WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE} WHERE table_name = '{table}')"  # noqa: S608
                if event == "delete"
                else ""
            )
            # Dropped and created again: a trigger of an earlier text (no permit) is replaced.
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {quote(table)}{when} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
            ]
        return statements
    return []


def install(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> list[str]:
    """Install the triggers on those of `tables` that exist; returns the tables done."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return []
    existing = set(connection.introspection.table_names())
    done = [table for table in sorted(set(tables)) if table in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if done:
            cursor.execute(PERMIT_DDL)
        if vendor == "postgresql" and done:
            cursor.execute(PG_FUNCTION)
        for table in done:
            if vendor == "sqlite":
                # Migration 0003's trigger refused UPDATE only; the two below replace it.
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(_name(table, SUFFIX))}")
            for statement in install_statements(table, vendor, quote):
                cursor.execute(statement)
    return done


@contextmanager
def erasure_permit(tables: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the caller's transaction, let DELETE remove rows of these append-only tables.

    Only a confirmed erasure (decision 0048) uses it. The permits are removed again before
    the block ends; should the block fail, the caller's transaction rolls back and takes them
    with it. Never committed, they are never seen by another transaction.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("An erasure permit is held only inside the erasure's transaction.")
    names = sorted(set(tables))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(PERMIT_DDL)
        for table in names:
            cursor.execute(f"INSERT INTO {quote(PERMIT_TABLE)} (table_name) VALUES (%s)", [table])  # noqa: S608
    try:
        yield
    finally:
        if not connection.needs_rollback:
            try:
                with connection.cursor() as cursor:
                    for table in names:
                        cursor.execute(f"DELETE FROM {quote(PERMIT_TABLE)} WHERE table_name = %s", [table])  # noqa: S608
            except DatabaseError:
                connection.set_rollback(True)  # the transaction is lost: the permits go with it
                raise


def install_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate: every append-only table gets its triggers.

    The models are the project's own, not the migration state's, whose classes lack the
    `append_only` mark; a table not created yet (a migration to an earlier state) is skipped.
    """
    install(connections[using], append_only_tables())


def missing_triggers(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> list[str]:
    """Those existing `tables` without every trigger they need (or with one disabled)."""
    vendor = connection.vendor
    existing = set(connection.introspection.table_names())
    wanted = [table for table in tables if table in existing]
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND p.proname = 'safecare_append_only' "
                "AND c.relnamespace = current_schema()::regnamespace"
            )
        elif vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return []
        present = {(table, name) for table, name in cursor.fetchall()}
    return [
        table
        for table in wanted
        if any((table, name) not in present for name in trigger_names(table, vendor))
    ]


def _migrations_pending(connection: BaseDatabaseWrapper) -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_triggers(databases: Iterable[str] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """core.E020: an append-only table the database does not protect."""
    errors: list[checks.CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor not in ("postgresql", "sqlite") or _migrations_pending(connection):
            continue  # `migrate` installs them once it has migrated
        for table in missing_triggers(connection, append_only_tables()):
            errors.append(
                checks.Error(
                    f"Append-only table {table} accepts UPDATE or DELETE: its trigger is missing.",
                    hint="Run `manage.py migrate --skip-checks`; it installs the triggers after migrating "
                    "(decision 0021).",
                    id="core.E020",
                )
            )
    return errors
