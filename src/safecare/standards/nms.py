"""The Fostering Services National Minimum Standards 2011 (England), which the SOC-4 visit names.

Each service keeps its own list (NationalMinimumStandard), seeded from this one when
the service is created, so it can retitle a standard or set one aside if the standards
are revised, without a new release.
"""

from __future__ import annotations

from typing import Any

NMS_2011: tuple[tuple[int, str], ...] = (
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
    (
        13,
        "Recruiting, assessing and supporting foster carers who are able to meet the needs of looked after children",
    ),
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


def seed_standards(service: Any, model: Any = None) -> int:
    """Give a service the standards it does not have yet; returns how many were added."""
    if model is None:
        from .models import NationalMinimumStandard as model
    have = set(model.objects.filter(service=service).values_list("number", flat=True))
    rows = [model(service=service, number=n, title=t) for n, t in NMS_2011 if n not in have]
    model.objects.bulk_create(rows)
    return len(rows)


def service_created(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    if created and not raw:
        seed_standards(instance)
