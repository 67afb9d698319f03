"""Make the audit tables append-only in the database itself (rules: Everywhere).

Application code never updates or deletes them; these triggers make sure no
other path (a shell, a buggy migration, a compromised app account) can either.
PostgreSQL refuses UPDATE and DELETE; TRUNCATE stays available to the table
owner for retention jobs. SQLite refuses UPDATE (DELETE stays, because the
test runner's flush uses it).
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION safecare_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit table % is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def audit_tables(apps):
    tables = ["core_accesslog", "households_householdstatuschange"]
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in audit_tables(apps):
        if vendor == "postgresql":
            # params=None: the function body's % is PL/pgSQL's, not a driver placeholder.
            schema_editor.execute(PG_FUNCTION, params=None)
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION safecare_append_only();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, 'audit table {table} is append-only'); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in audit_tables(apps):
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";')
        elif vendor == "sqlite":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only";')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
        ("households", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
