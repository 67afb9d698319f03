"""Emptying append-only tables between tests on SQLite (decision 0021). Test code only.

SQLite refuses DELETE on every append-only table (core.append_only), and Django's
flush on SQLite is `DELETE FROM` each table (PostgreSQL's is TRUNCATE, which the
triggers leave to the table owner). So here, and only in the test process, the
flush drops those tables' DELETE triggers, empties the tables and creates the
triggers again from their own stored text, in the same transaction. The
application has no such switch: deleting audit rows takes dropping a trigger,
which is DDL, the same as on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

# The backend's base module first: importing its operations module alone is circular.
from django.db.backends.sqlite3.base import DatabaseOperations

_sql_flush = DatabaseOperations.sql_flush


def _sql_flush_around_triggers(self: DatabaseOperations, style: Any, tables: Any, **kwargs: Any) -> list[str]:
    statements: list[str] = _sql_flush(self, style, tables, **kwargs)
    if not statements:
        return statements
    flushed = set(tables)
    with self.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE '%\\_append\\_only\\_delete' ESCAPE '\\'"
        )
        triggers = [(name, sql) for name, table, sql in cursor.fetchall() if table in flushed]
    quote = self.quote_name
    return [
        *(f"DROP TRIGGER {quote(name)}" for name, _ in triggers),
        *statements,
        *(sql for _, sql in triggers),
    ]


def install() -> None:
    DatabaseOperations.sql_flush = _sql_flush_around_triggers  # type: ignore[method-assign]
