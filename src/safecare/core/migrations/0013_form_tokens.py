"""One-time tokens of creation forms (core.once): a form sent twice saves one record.

A row per token used by a person, with where the first POST went; unique per person and
token, so two POSTs arriving together cannot both save.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_drop_unused_knox_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="UsedFormToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64)),
                ("path", models.CharField(max_length=500)),
                ("redirect_to", models.CharField(max_length=2000)),
                ("used_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("user", "token"), name="form_token_used_once")
                ],
            },
        ),
    ]
