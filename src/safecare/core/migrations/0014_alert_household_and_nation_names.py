"""Alerts name the household they are about; the bank-holiday nations are named as the
holidays package names them (decision 0025).

No stored nation changes: "ENG" meant England's bank holidays before (its label said
"England and Wales", though Wales has a value of its own) and still does. Existing alerts
take their household from their task, where they have one.
"""

import django.db.models.deletion
from django.db import migrations, models

NATIONS = [("ENG", "England"), ("WLS", "Wales"), ("SCT", "Scotland"), ("NIR", "Northern Ireland")]


def household_from_task(apps, schema_editor):  # type: ignore[no-untyped-def]
    Notification = apps.get_model("core", "Notification")
    Task = apps.get_model("core", "Task")
    households = dict(
        Task.objects.filter(household__isnull=False).values_list("pk", "household_id").iterator()
    )
    for notification in Notification.objects.filter(task__isnull=False, household__isnull=True).iterator():
        household_id = households.get(notification.task_id)
        if household_id is not None:
            Notification.objects.filter(pk=notification.pk).update(household_id=household_id)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_form_tokens"),
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="fosteringservice",
            name="holiday_nation",
            field=models.CharField(
                choices=NATIONS, default="ENG", max_length=3, verbose_name="Bank holidays of"
            ),
        ),
        migrations.AlterField(
            model_name="historicalfosteringservice",
            name="holiday_nation",
            field=models.CharField(
                choices=NATIONS, default="ENG", max_length=3, verbose_name="Bank holidays of"
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="household",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="households.household",
            ),
        ),
        migrations.RunPython(household_from_task, migrations.RunPython.noop),
    ]
