"""The table of erasure permits the append-only DELETE triggers consult (decision 0048).

A confirmed erasure of a record past its retention period holds a permit for each
append-only table it deletes from, inside its own transaction, and removes it before it
commits. No model: nothing but core.append_only reads or writes it.
"""

from django.db import migrations

from safecare.core.append_only import PERMIT_DDL, PERMIT_TABLE


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0017_photos_kept_and_export_expiry"),
    ]

    operations = [
        migrations.RunSQL(PERMIT_DDL, reverse_sql=f"DROP TABLE IF EXISTS {PERMIT_TABLE}"),
    ]
