"""Drop the token table django-rest-knox's own migrations create but Safecare never uses.

Safecare's tokens live in core.ApiToken (KNOX_TOKEN_MODEL, migration 0010). knox's
migrations create `knox_authtoken` whether or not the model is swapped, and that
empty table keeps a foreign key to the user table: PostgreSQL then refuses to empty
the user table without it (the test runner's flush, or a retention job), and a table
nobody reads is one more place a token could hide. Nothing refers to it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_pending_roles"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop),
    ]
