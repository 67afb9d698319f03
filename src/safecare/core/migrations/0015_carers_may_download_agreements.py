"""A service setting: whether foster carers may download their signed agreements as PDFs.

Off for every service, as PH-1 says: documents the service gives carers are read in the
portal and not kept on their devices (decision 0029).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0014_alert_household_and_nation_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="fosteringservice",
            name="carers_may_download_agreements",
            field=models.BooleanField(
                default=False, verbose_name="Foster carers may download their signed agreements as PDFs"
            ),
        ),
        migrations.AddField(
            model_name="historicalfosteringservice",
            name="carers_may_download_agreements",
            field=models.BooleanField(
                default=False, verbose_name="Foster carers may download their signed agreements as PDFs"
            ),
        ),
    ]
