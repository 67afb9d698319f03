"""Signatures are append-only like the rest of the audit trail (migration 0003)."""

from django.db import migrations

TABLE = "core_signature"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f'CREATE TRIGGER "{TABLE}_append_only" BEFORE UPDATE OR DELETE ON "{TABLE}" '
            "FOR EACH ROW EXECUTE FUNCTION safecare_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f'CREATE TRIGGER "{TABLE}_append_only" BEFORE UPDATE ON "{TABLE}" '
            f"BEGIN SELECT RAISE(ABORT, 'audit table {TABLE} is append-only'); END;"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{TABLE}_append_only" ON "{TABLE}";')
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{TABLE}_append_only";')


class Migration(migrations.Migration):
    dependencies = [("core", "0004_signatures_notifications")]

    operations = [migrations.RunPython(forwards, backwards)]
