"""SOC-4: every fostering service gets the National Minimum Standards 2011 list.

The list is frozen here as it was on the day of this migration; services created later
get it from safecare.standards.nms when they are created.
"""

from django.db import migrations

NMS_2011 = (
    (1, "The child's wishes and feelings and the views of those significant to them"),
    (2, "Promoting a positive identity, potential and valuing diversity through individualised care"),
    (3, "Promoting positive behaviour and relationships"),
    (4, "Safeguarding children"),
    (5, "Children missing from care"),
    (6, "Promoting good health and wellbeing"),
    (7, "Leisure activities"),
    (8, "Promoting educational attainment"),
    (9, "Promoting and supporting contact"),
    (10, "Providing a suitable physical environment for the foster child"),
    (11, "Preparation for a placement"),
    (12, "Promoting independence and moves to adulthood and leaving care"),
    (13, "Recruiting, assessing and supporting foster carers who are able to meet the needs of looked after children"),
    (14, "Fostering panels and the fostering service's decision maker"),
    (15, "Matching the child with the placement that meets their assessed needs"),
    (16, "Statement of purpose and children's guide"),
    (17, "Fitness to provide or manage the administration of a fostering service"),
    (18, "Financial viability and changes affecting business continuity"),
    (19, "Suitability to work with children"),
    (20, "Learning and development of foster carers"),
    (21, "Supervision and support of foster carers"),
    (22, "Handling allegations and suspicions of harm"),
    (23, "Learning and development and qualifications of staff"),
    (24, "Staff support and supervision"),
    (25, "Managing effectively and efficiently and monitoring the service"),
    (26, "Records"),
    (27, "Fitness of premises for use as fostering service"),
    (28, "Payment to carers"),
    (29, "Notification of significant events"),
    (30, "Family and friends as foster carers"),
    (31, "Placement plan and review"),
)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    service_model = apps.get_model("core", "FosteringService")
    standard = apps.get_model("standards", "NationalMinimumStandard")
    for service in service_model.objects.all():
        have = set(standard.objects.filter(service=service).values_list("number", flat=True))
        standard.objects.bulk_create(
            standard(service=service, number=n, title=t) for n, t in NMS_2011 if n not in have
        )


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
