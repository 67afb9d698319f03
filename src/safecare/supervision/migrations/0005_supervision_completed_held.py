"""SC-10: the completed supervisions by the day held, so the weekly check finds the households
supervised within the interval on the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_recording_read_revision"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="supervision",
            index=models.Index(
                condition=models.Q(("status", "completed")),
                fields=["held_on", "household"],
                name="supervision_completed_held",
            ),
        ),
    ]
