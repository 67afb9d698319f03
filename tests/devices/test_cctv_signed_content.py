"""rules: Everywhere: a CCTV report's signatures are checked wherever they are shown or counted.

The report's text is frozen when it is submitted and the database refuses to change it
(core.append_only). If it were changed anyway (the test drops the trigger), the signatures
show as broken on the request page and in the API, count for nothing, and nobody can sign on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safecare.core.append_only import install, trigger_names
from safecare.devices import services_cctv
from safecare.devices.models import CctvReport, CctvRequest, RequestStatus
from tests.api.helpers import send, url
from tests.devices.test_cctv_views import SECTIONS, _camera

pytestmark = pytest.mark.django_db


def _tamper(report: CctvReport, **content: Any) -> None:
    """Change a report's stored text as only someone dropping its trigger could."""
    table = CctvReport._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in trigger_names(table, connection.vendor):
            on = f" ON {quote(table)}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {quote(name)}{on}")
    CctvReport.objects.filter(pk=report.pk).update(content={**report.content, **content})
    install(connection, [table])


def _submitted(world: Any) -> CctvRequest:
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    today = timezone.localdate()
    cctv = services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        devices=[_camera(world)],
        **SECTIONS,
    )
    services_cctv.request_submit(actor=world.sam, request=cctv)
    return cctv


def test_a_report_changed_after_signing_shows_the_signature_broken_and_nobody_signs_on(
    world: Any, client_for: Any
) -> None:
    cctv = _submitted(world)
    services_cctv.report_sign(actor=world.carol, request=cctv, confirmed=True)
    report = cctv.reports.get()
    assert [s.done for s in services_cctv.signing_steps(report)][:1] == [True]

    _tamper(report, reasons="Changed after Carol signed")
    report = CctvReport.objects.get(pk=report.pk)
    carer_step = services_cctv.signing_steps(report)[0]
    assert carer_step.broken and not carer_step.done
    with pytest.raises(ValidationError, match="changed since it was signed"):
        services_cctv.report_sign(actor=world.sam, request=cctv, confirmed=True)

    sam = client_for(world.sam)
    page = sam.get(reverse("devices:request_detail", kwargs={"pk": cctv.pk})).content.decode()
    assert "govuk-tag--red" in page and "the report changed after this signature" in page
    body = send(sam, "GET", url("cctv-request-detail", cctv.pk)).json()
    steps = body["latest_report"]["signing_steps"]
    assert steps[0]["broken"] is True and steps[0]["done"] is False


def test_a_broken_signature_blocks_the_decision(world: Any) -> None:
    cctv = _submitted(world)
    for signer in (world.carol, world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=cctv, confirmed=True)
    _tamper(cctv.reports.get(), camera_positions="Somewhere else")
    cctv.refresh_from_db()
    problems = services_cctv.decision_problems(cctv, agreed=False)
    assert any("CX-3: a signature of the report is broken" in p for p in problems)
