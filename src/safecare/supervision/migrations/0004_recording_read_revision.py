"""SC-7: each recording keeps the latest revision read, and whether it is unread, indexed.

`read_revision` is filled from the reads already made (the highest revision read of each
recording) before `unread`, which the database works out from it, and the partial index of the
unread recordings are added.
"""

from django.db import migrations, models

BACKFILL = """
UPDATE supervision_recording
SET read_revision = (
    SELECT MAX(r.revision) FROM supervision_recordingread r
    WHERE r.recording_id = supervision_recording.id
)
WHERE EXISTS (
    SELECT 1 FROM supervision_recordingread r WHERE r.recording_id = supervision_recording.id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_history_ids_64_bit"),
    ]

    operations = [
        migrations.AddField(
            model_name="recording",
            name="read_revision",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
        migrations.AddField(
            model_name="recording",
            name="unread",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.ExpressionWrapper(
                    models.Q(
                        ("read_revision__isnull", True),
                        ("read_revision__lt", models.F("revision")),
                        _connector="OR",
                    ),
                    output_field=models.BooleanField(),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(
                condition=models.Q(("unread", True)),
                fields=["household", "created_at"],
                name="recording_unread_household",
            ),
        ),
    ]
