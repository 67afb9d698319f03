"""CCTV exception request pages (CX-1 to CX-6): the whole story through HTTP.

The world's own household (Patel) has carer Carol, SSW Sam, fostering team
manager Fiona and child Xavier placed, whose social worker is Chris; Helen, head
of fostering, is the service's default decider. The world's own request is being
signed; the stories here withdraw it and start a new one.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.devices import services_cctv
from safecare.devices.forms_cctv import POLICY_CONDITIONS
from safecare.devices.models import (
    REQUEST_SECTIONS,
    CctvDecision,
    CctvReport,
    CctvRequest,
    Device,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)
from safecare.devices.views_cctv import pdf_context

pytestmark = pytest.mark.django_db

SECTIONS = {
    "reasons": "A former partner has threatened the household; the police advise a camera.",
    "alternatives": "New locks and an alarm were fitted in March; the threats continued.",
    "camera_positions": "One camera high in the hallway, facing the front door only.",
    "footage_access": "Both carers view it; footage with no use is deleted within 24 hours.",
    "evidence": "Kept only if the police ask for it as evidence.",
    "internet_security": "The system is not connected to the internet.",
    "children_effects": "Xavier's bedroom, the bathroom and the landing are out of view.",
}


def _camera(world, room: str = "Hallway", room_kind: str = RoomKind.COMMUNAL) -> Device:
    return Device.objects.create(
        service=world.service,
        household=world.household_own,
        device_type=DeviceType.CCTV_CAMERA,
        status="planned",
        room=room,
        room_kind=room_kind,
        positioning="High on the wall, facing the front door",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        responsible_person="Carol Patel",
        retention_hours=24,
        storage="The recorder in the loft",
        access="Carol Patel",
        declared_by=world.carol,
    )


@pytest.fixture
def camera(world) -> Device:  # type: ignore[no-untyped-def]
    # The household has one request in progress at a time: clear the world's for these stories.
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    return _camera(world)


def _form(camera: Device | None = None, **changes: str) -> dict:  # type: ignore[type-arg]
    today = timezone.localdate()
    data = {
        **SECTIONS,
        "period_start": f"{today:%d/%m/%Y}",
        "period_end": f"{today + dt.timedelta(days=180):%d/%m/%Y}",
        "devices": [str(camera.pk)] if camera else [],
        "action": "save",
    }
    data.update(changes)
    return data


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _create(client, world, camera: Device, **changes: str) -> CctvRequest:  # type: ignore[no-untyped-def]
    url = reverse("devices:request_create", kwargs={"pk": world.household_own.pk})
    response = client.post(url, _form(camera, **changes))
    assert response.status_code == 302, _text(response)
    return CctvRequest.objects.get(household=world.household_own, status__in=["draft", "signing"])


def _shown_hash(page: str) -> str:
    found = re.search(r'name="shown_hash" value="([0-9a-f]{64})"', page)
    assert found, "the sign page carries the hash of the report shown"
    return found.group(1)


def _sign(client, cctv: CctvRequest):  # type: ignore[no-untyped-def]
    url = reverse("devices:request_sign", kwargs={"pk": cctv.pk})
    page = client.get(url).content.decode()
    return client.post(url, {"shown_hash": _shown_hash(page), "confirm": "on"})


def _agreed(world, camera: Device) -> CctvRequest:
    """A request taken to an agreement through the services."""
    today = timezone.localdate()
    cctv = services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        devices=[camera],
        **SECTIONS,
    )
    services_cctv.request_submit(actor=world.sam, request=cctv)
    for signer in (world.carol, world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=cctv, confirmed=True)
    services_cctv.report_consent(actor=world.chris, request=cctv, child=world.child_own, agrees=True)
    services_cctv.request_decide(
        actor=world.helen, request=cctv, agreed=True, comments="Proportionate.", conditions="No audio."
    )
    cctv.refresh_from_db()
    return cctv


def test_cx_the_request_from_draft_to_decision_through_the_pages(world, client_for, camera) -> None:
    sam = client_for(world.sam)
    requests_url = reverse("devices:household_requests", kwargs={"pk": world.household_own.pk})
    assert "Start a CCTV request" in _text(sam.get(requests_url))
    form = _text(sam.get(reverse("devices:request_create", kwargs={"pk": world.household_own.pk})))
    assert all(label in form for _, label, _ in REQUEST_SECTIONS)
    assert "CCTV camera in Hallway" in form  # the cameras on the register, with their room

    # CX-1: sam writes the report and submits it.
    cctv = _create(sam, world, camera)
    assert cctv.status == RequestStatus.DRAFT
    assert "Start a CCTV request" not in _text(sam.get(requests_url))  # one active request at a time
    submitted = sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}))
    assert submitted.status_code == 302
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.SIGNING

    # CX-3: signed in order. Sam cannot sign before the carer: the page says why.
    early = _sign(sam, cctv)
    assert early.status_code == 200
    assert "CX-3 the report is signed in order; waiting for Carol Patel" in _text(early)
    carol = client_for(world.carol)
    sign_page = _text(carol.get(reverse("devices:request_sign", kwargs={"pk": cctv.pk})))
    assert all(text in sign_page for text in SECTIONS.values())  # the exact report is shown
    # Carers read first names only (decision 0023).
    assert "Xavier" in sign_page and "Xavier Smith" not in sign_page
    sign_url = reverse("devices:request_sign", kwargs={"pk": cctv.pk})
    unticked = carol.post(sign_url, {"shown_hash": _shown_hash(sign_page)})
    assert "tick the box to confirm you have read and agree to the report" in _text(unticked)
    # A signature covers exactly the report shown.
    other = carol.post(sign_url, {"shown_hash": "0" * 64, "confirm": "on"})
    assert "Signature: the report you were shown is not this report" in _text(other)
    assert _sign(carol, cctv).status_code == 302
    assert _sign(sam, cctv).status_code == 302
    fiona = client_for(world.fiona)
    assert _sign(fiona, cctv).status_code == 302
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.AWAITING_DECISION

    # The decider sees what still blocks an agreement: the CSW has not answered (CX-4).
    helen = client_for(world.helen)
    detail_url = reverse("devices:request_detail", kwargs={"pk": cctv.pk})
    helen_page = _text(helen.get(detail_url))
    assert "CX-4: Xavier Smith's social worker has not said whether they agree" in helen_page
    assert reverse("devices:request_decide", kwargs={"pk": cctv.pk}) in helen_page

    # CX-4: chris answers for the child he is the social worker of.
    chris = client_for(world.chris)
    consent_url = reverse("devices:request_consent", kwargs={"pk": cctv.pk, "child_pk": world.child_own.pk})
    assert consent_url in _text(chris.get(detail_url))
    assert chris.post(consent_url, {"agrees": "yes", "comments": ""}).status_code == 302

    # CX-3: helen decides, with comments and conditions.
    decided = helen.post(
        reverse("devices:request_decide", kwargs={"pk": cctv.pk}),
        {"agreed": "yes", "comments": "Proportionate to the threat.", "conditions": "No sound recorded."},
    )
    assert decided.status_code == 302
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.AGREED

    # CX-5: the carer sees the request and the decision in the portal, and no download.
    carol_page = _text(carol.get(detail_url))
    assert "Agreed" in carol_page and "Proportionate to the threat." in carol_page
    assert "No sound recorded." in carol_page and "Helen" in carol_page
    assert all(text in carol_page for text in SECTIONS.values())
    assert reverse("devices:request_pdf", kwargs={"pk": cctv.pk}) not in carol_page
    assert "Expired on" not in carol_page
    # Every signature with who and when.
    assert carol_page.count("Not yet") == 0
    assert AccessLog.objects.filter(user=world.carol, subject_type="household").exists()


def test_cx1_submitting_an_incomplete_draft_names_each_section_and_rule_and_keeps_the_text(
    world, client_for, camera
) -> None:
    sam = client_for(world.sam)
    empty = {key: "" for key in SECTIONS}
    cctv = _create(sam, world, None, **{**empty, "reasons": "Threats by a former partner"})
    refused = sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}))
    page = _text(refused)
    assert refused.status_code == 200
    for key, label, _ in REQUEST_SECTIONS:
        if key != "reasons":
            assert f"{label}: CX-1 every section of the report is required" in page, label
    assert "Cameras: CX-1 choose each camera the request is for from the register" in page
    assert "Threats by a former partner" in page  # nothing written is lost
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.DRAFT and not cctv.reports.exists()


def test_cx2_a_camera_in_a_bedroom_is_refused_on_the_form_and_what_was_typed_is_kept(
    world, client_for, camera
) -> None:
    bedroom = _camera(world, room="Main bedroom", room_kind=RoomKind.OTHER_BEDROOM)
    url = reverse("devices:request_create", kwargs={"pk": world.household_own.pk})
    refused = client_for(world.sam).post(url, _form(bedroom, reasons="Typed before the refusal"))
    page = _text(refused)
    assert refused.status_code == 200
    assert "Cameras: CX-2 CCTV camera (Main bedroom) is in another bedroom" in page
    assert "Typed before the refusal" in page
    assert not CctvRequest.objects.filter(household=world.household_own, status="draft").exists()


def test_save_and_submit_from_the_edit_form_and_a_stale_edit_is_refused(world, client_for, camera) -> None:
    sam, fiona = client_for(world.sam), client_for(world.fiona)
    cctv = _create(sam, world, camera, evidence="")
    url = reverse("devices:request_edit", kwargs={"pk": cctv.pk})
    opened = sam.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', opened)
    assert version, "the edit form carries the version it was opened on"
    # Fiona saves first; sam's save over it is refused and keeps what he typed (rules: Everywhere).
    assert (
        fiona.post(url, _form(camera, evidence="Police may ask", version=version.group(1))).status_code == 302
    )
    stale = sam.post(url, _form(camera, evidence="Not needed", version=version.group(1)))
    assert stale.status_code == 200
    assert "Someone else saved changes" in _text(stale) and "Not needed" in _text(stale)
    cctv.refresh_from_db()
    assert cctv.evidence == "Police may ask"
    fresh = re.search(r'name="version" value="(\d+)"', stale.content.decode())
    assert fresh and fresh.group(1) != version.group(1)
    submitted = sam.post(url, _form(camera, evidence="Not needed", version=fresh.group(1), action="submit"))
    assert submitted.status_code == 302
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.SIGNING and cctv.evidence == "Not needed"


def test_cx4_not_agreeing_needs_comments(world, client_for, camera) -> None:
    sam = client_for(world.sam)
    cctv = _create(sam, world, camera)
    sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}))
    url = reverse("devices:request_consent", kwargs={"pk": cctv.pk, "child_pk": world.child_own.pk})
    chris = client_for(world.chris)
    unanswered = _text(chris.post(url, {}))
    assert "Do you agree: CX-4 say whether you agree to CCTV in the home" in unanswered
    refused = _text(chris.post(url, {"agrees": "no", "comments": ""}))
    assert "Comments: say why you do not agree" in refused
    assert chris.post(url, {"agrees": "no", "comments": "Too intrusive"}).status_code == 302
    page = _text(client_for(world.carol).get(reverse("devices:request_detail", kwargs={"pk": cctv.pk})))
    assert "Does not agree" in page and "Too intrusive" in page


def test_cx3_the_decide_page_shows_the_policy_conditions_and_what_blocks(world, client_for, camera) -> None:
    sam = client_for(world.sam)
    cctv = _create(sam, world, camera)
    sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}))
    url = reverse("devices:request_decide", kwargs={"pk": cctv.pk})
    page = _text(client_for(world.helen).get(url))
    assert all(condition in page for condition in POLICY_CONDITIONS)
    assert "CX-3: the report is decided only when" in page
    refused = _text(client_for(world.helen).post(url, {"agreed": "yes"}))
    assert "Decision: CX-3: the report is decided only when" in refused
    assert CctvRequest.objects.get(pk=cctv.pk).status == RequestStatus.SIGNING


def test_cx6_an_agreed_request_past_its_period_shows_when_it_expired(world, client_for, camera) -> None:
    cctv = _agreed(world, camera)
    ended = timezone.localdate() - dt.timedelta(days=1)
    CctvRequest.objects.filter(pk=cctv.pk).update(
        period_start=ended - dt.timedelta(days=30), period_end=ended
    )
    page = _text(client_for(world.sam).get(reverse("devices:request_detail", kwargs={"pk": cctv.pk})))
    assert f"Expired on {ended:%a} {ended.day} {ended:%b %Y}" in page
    listing = _text(
        client_for(world.sam).get(
            reverse("devices:household_requests", kwargs={"pk": world.household_own.pk})
        )
    )
    assert "Agreed: expired" in listing


def test_cx6_reopening_needs_a_reason_and_the_next_round_lists_the_earlier_one(
    world, client_for, camera
) -> None:
    cctv = _agreed(world, camera)
    sam = client_for(world.sam)
    detail_url = reverse("devices:request_detail", kwargs={"pk": cctv.pk})
    url = reverse("devices:request_reopen", kwargs={"pk": cctv.pk})
    assert url in _text(sam.get(detail_url))
    assert "Reason: say why the exception needs a new decision" in _text(sam.post(url, {"reason": ""}))
    assert sam.post(url, {"reason": "The camera has moved to the landing"}).status_code == 302
    page = _text(sam.get(detail_url))
    assert "Reopened: The camera has moved to the landing" in page
    # The next round: changed, submitted, and the agreed first report listed below.
    edit = reverse("devices:request_edit", kwargs={"pk": cctv.pk})
    assert (
        sam.post(edit, _form(camera, camera_positions="On the landing", action="submit")).status_code == 302
    )
    page = _text(sam.get(detail_url))
    assert "Report 2: signatures" in page and "Earlier reports" in page
    assert "Agreed by Helen" in page


def test_changing_the_report_goes_back_to_a_draft_and_withdrawing_asks_first(
    world, client_for, camera
) -> None:
    sam = client_for(world.sam)
    cctv = _create(sam, world, camera)
    sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}))
    revise = reverse("devices:request_revise", kwargs={"pk": cctv.pk})
    assert "Change the report" in _text(sam.get(revise))
    assert sam.post(revise).status_code == 302
    assert CctvRequest.objects.get(pk=cctv.pk).status == RequestStatus.DRAFT
    withdraw = reverse("devices:request_withdraw", kwargs={"pk": cctv.pk})
    confirm = sam.get(withdraw)
    assert confirm.status_code == 200
    assert CctvRequest.objects.get(pk=cctv.pk).status == RequestStatus.DRAFT  # a GET changes nothing
    assert sam.post(withdraw).status_code == 302
    assert CctvRequest.objects.get(pk=cctv.pk).status == RequestStatus.WITHDRAWN


def test_a_refused_step_is_explained_on_the_request_page(world, client_for, camera) -> None:
    sam = client_for(world.sam)
    cctv = _agreed(world, camera)
    # An agreed request cannot be submitted again without reopening it.
    response = sam.post(reverse("devices:request_submit", kwargs={"pk": cctv.pk}), follow=True)
    assert "a request that is agreed cannot be submitted" in _text(response)


def test_the_pdf_is_a_pdf_for_staff_and_holds_every_section_signature_answer_and_the_decision(
    world, client_for, camera
) -> None:
    cctv = _agreed(world, camera)
    url = reverse("devices:request_pdf", kwargs={"pk": cctv.pk})
    response = client_for(world.sam).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(world.carol).get(url).status_code == 404  # PH-1: carers read it in the portal

    page = html.unescape(render_to_string("devices/cctv_pdf.html", pdf_context(cctv)))
    for key, label, _ in REQUEST_SECTIONS:
        assert label in page and SECTIONS[key] in page, label
    assert "Xavier Smith" in page and "CCTV camera" in page and "Hallway" in page
    # The signatures in order, with names.
    order = [
        page.index("Foster carer"),
        page.index("Supervising social worker"),
        page.index("Fostering team manager"),
    ]
    assert order == sorted(order)
    assert "Carol Patel" in page and "Fiona" in page
    assert "Agrees" in page and "Chris" in page  # CX-4
    assert "I agree to the above foster carers" in page and "Proportionate." in page and "No audio." in page
    assert all(condition in page for condition in POLICY_CONDITIONS)
    decision = CctvDecision.objects.get(report__request=cctv)
    assert f"{timezone.localtime(decision.decided_at):%-d %b %Y}" in page and "Head of fostering" in page


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_household_requests_page_costs_the_same_queries_for_more_requests(
    world, client_for, django_assert_num_queries
) -> None:
    client = client_for(world.frank)
    url = reverse("devices:household_requests", kwargs={"pk": world.household_own.pk})
    client.get(url)  # the first request of a session writes the session once
    before = _count(client, url)
    for _ in range(5):
        CctvRequest.objects.create(
            service=world.service,
            household=world.household_own,
            status=RequestStatus.WITHDRAWN,
            created_by=world.sam,
        )
    with django_assert_num_queries(before):
        response = client.get(url)
    assert len(response.context["past"]) == 5


def test_the_request_page_costs_the_same_queries_for_more_rounds_and_cameras(
    world, client_for, django_assert_num_queries
) -> None:
    cctv = world.cctv_request_own
    for viewer in (world.helen, world.chris, world.carol):
        client = client_for(viewer)
        url = reverse("devices:request_detail", kwargs={"pk": cctv.pk})
        client.get(url)
        before = _count(client, url)
        rounds = cctv.reports.count()
        latest = cctv.reports.get(number=rounds)
        for n in range(3):
            camera = _camera(world, room=f"Room {viewer.pk}-{n}")
            cctv.devices.add(camera)
            report = CctvReport.objects.create(
                request=cctv,
                service=world.service,
                number=rounds + n + 1,
                content={},
                period_start=latest.period_start,
                period_end=latest.period_end,
                submitted_by=world.sam,
            )
            report.children.set([world.child_own])
            report.devices.set([camera])
            CctvDecision.objects.create(
                report=cctv.reports.get(number=rounds + n),
                service=world.service,
                agreed=False,
                comments="Changed",
                decided_by=world.helen,
                decider_role="head_of_fostering",
            )
        with django_assert_num_queries(before):
            response = client.get(url)
        assert len(response.context["earlier"]) == rounds + 2
