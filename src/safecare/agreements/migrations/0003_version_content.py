"""Freeze what each agreement version's signatures cover (security review finding 3).

A version's signed content used to be rebuilt from live joins (the participants'
names), so editing a household member changed it after signing. From now on it
is stored on the version when it is written. Versions written before this
migration get their content as it reads today: a signature whose hash no longer
matches it shows as broken, which is the truth (rules: Everywhere).
"""

from django.db import migrations, models

SECTION_KEYS = [
    "privacy",
    "bathing_dressing",
    "bedrooms",
    "touch_affection",
    "photos_internet",
    "visitors_overnight",
    "cameras_microphones",
    "transport",
    "family_contact",
    "house_rules",
]


def freeze(apps, schema_editor):
    AgreementVersion = apps.get_model("agreements", "AgreementVersion")
    versions = AgreementVersion.objects.select_related("agreement").prefetch_related("participants")
    for version in versions:
        agreement = version.agreement
        content = {
            "agreement": f"A-{agreement.pk:05d}",
            "kind": agreement.kind,
            "household": f"H-{agreement.household_id:05d}",
            "child": f"C-{agreement.child_id:05d}" if agreement.child_id else None,
            "version": version.number,
            "sections": {key: str(version.sections.get(key, "")) for key in SECTION_KEYS},
            "participants": [
                {"id": m.pk, "name": f"{m.first_name} {m.last_name}", "kind": m.kind}
                for m in sorted(version.participants.all(), key=lambda m: m.pk)
            ],
        }
        if version.devices:
            content["devices"] = version.devices
        # The only write to a version row; its append-only triggers are installed after migrating.
        AgreementVersion.objects.filter(pk=version.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_version_devices")]

    operations = [
        migrations.AddField(
            model_name="agreementversion",
            name="content",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="historicalagreementversion",
            name="content",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.RunPython(freeze, migrations.RunPython.noop),
    ]
