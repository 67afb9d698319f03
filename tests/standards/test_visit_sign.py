"""SOC-4: the visit record, signed by the SSW and the carer, goes to the carer and the fostering
manager within 5 working days; "sent" is shared in the app with an alert.

The visit is on Wednesday 24 March 2027 (day 0). Thursday 25 March is day 1; Good Friday
(26 March) and Easter Monday (29 March) are bank holidays in England; Tuesday 30 March is
day 2, Wednesday 31 day 3, Thursday 1 April day 4, Friday 2 April day 5: the record is
shared by Friday 2 April 2027.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.signatures import signatures_of
from safecare.home.things_to_do import things_to_do
from safecare.standards import selectors, services, services_visit
from safecare.standards.duties import VISIT_SHARE
from safecare.standards.models import NationalMinimumStandard, Visit, VisitAction
from safecare.standards.services import ActionInput
from tests.api.helpers import send
from tests.pdftext import pdf_pages

from .conftest import decide, record

pytestmark = pytest.mark.django_db

D = dt.date
WEDNESDAY = "Wednesday 24 March 2027"


def _visited(world) -> Visit:  # type: ignore[no-untyped-def]
    concern = record(world, received_on=D(2027, 3, 24))
    decide(world, concern)
    return services.visit_record(
        actor=world.sam,
        concern=concern,
        visited_on=D(2027, 3, 24),
        standards=[NationalMinimumStandard.objects.get(service=world.service, number=6)],
        concerns_discussed="Packed lunches on school days.",
        carer_response="Carol agreed to pack a lunch every school day.",
        actions=[
            ActionInput("Pack a lunch every school day", world.carol, D(2027, 4, 5)),
            ActionInput("Check in with the school", world.sam, D(2027, 4, 16)),
        ],
    )


def _sign(world, visit, who="sam", **kwargs):  # type: ignore[no-untyped-def]
    values = {"confirmed": True, **kwargs}
    return services_visit.visit_sign(actor=world.users[who], visit=visit, **values)


# Signing and sharing ---------------------------------------------------------------------------


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_the_ssw_signs_and_shares_in_one_step_which_closes_the_duty_and_alerts_carer_and_managers(
    today, world
) -> None:
    visit = _visited(world)
    task = Task.objects.get(kind=VISIT_SHARE)
    assert (task.due_on, task.status, task.owner) == (D(2027, 4, 2), TaskStatus.OPEN, world.sam)

    _sign(world, visit)

    visit.refresh_from_db()
    assert visit.shared_by == world.sam and visit.shared_at is not None
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    (signature,) = signatures_of(visit)
    assert (signature.signer, signature.signed_as) == (world.sam, "supervising social worker")
    alerted = Notification.objects.filter(kind="soc_visit_shared")
    assert {n.recipient.username for n in alerted} == {"carol", "frank"}
    assert {n.url for n in alerted} == {f"/standards-of-care/visits/{visit.pk}/"}
    assert all("Patel" not in n.subject and "lunch" not in n.subject for n in alerted)


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_the_carer_sees_the_record_only_once_shared_then_signs_it_as_foster_carer(
    today, world, client_for
) -> None:
    visit = _visited(world)
    carol = client_for(world.carol)
    assert not selectors.visits_visible_to(world.carol).exists()
    assert carol.get(f"/standards-of-care/visits/{visit.pk}/").status_code == 404
    assert carol.get(f"/standards-of-care/visits/{visit.pk}/sign/").status_code == 404
    assert not [t for t in things_to_do(world.carol) if "visit record" in t.text]
    with pytest.raises(PermissionDenied):
        _sign(world, visit, "carol")

    _sign(world, visit)

    (thing,) = [t for t in things_to_do(world.carol) if "visit record" in t.text]
    assert thing.text == "Sign your visit record from Wednesday 24 March 2027"
    assert thing.url == f"/standards-of-care/visits/{visit.pk}/sign/"
    page = carol.get(thing.url).content.decode()
    assert "Carol agreed to pack a lunch every school day." in page
    assert "Sign the record" in page
    response = carol.post(thing.url, {"confirm": "on", "content_hash": services_visit.visit_hash(visit)})
    assert response.status_code == 302

    signatures = services_visit.visit_signatures(visit)
    assert [(s.signer, s.signed_as, s.intact) for s in signatures] == [  # type: ignore[attr-defined]
        (world.sam, "supervising social worker", True),
        (world.carol, "foster carer", True),
    ]
    assert not [t for t in things_to_do(world.carol) if "visit record" in t.text]
    assert Notification.objects.get(kind="soc_visit_signed").recipient == world.sam


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
@pytest.mark.parametrize("name", ["frank", "fiona", "chris"])
def test_soc4_only_the_households_ssw_and_carers_sign(today, world, name) -> None:
    visit = _visited(world)
    with pytest.raises(PermissionDenied):
        _sign(world, visit, name)


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_each_refusal_names_the_field_and_the_rule(today, world) -> None:
    visit = _visited(world)
    with pytest.raises(ValidationError) as refused:
        _sign(world, visit, confirmed=False)
    assert refused.value.message_dict == {
        "confirm": [
            "Confirmation: tick the box to confirm you have read the visit record and it is right (SOC-4)"
        ]
    }
    with pytest.raises(ValidationError) as refused:
        _sign(world, visit, shown_hash="0" * 64)
    assert refused.value.message_dict["confirm"] == [
        "Signature: the record changed while you were reading it; read it again and sign (SOC-4)"
    ]
    assert not signatures_of(visit) and Visit.objects.get(pk=visit.pk).shared_at is None
    _sign(world, visit, shown_hash=services_visit.visit_hash(visit))
    with pytest.raises(ValidationError) as refused:
        _sign(world, visit)
    assert refused.value.message_dict["confirm"] == [
        "Signature: you have already signed and shared this visit record (SOC-4)"
    ]
    _sign(world, visit, "carol")
    with pytest.raises(ValidationError) as refused:
        _sign(world, visit, "carol")
    assert refused.value.message_dict["confirm"] == [
        "Signature: you have already signed this visit record (SOC-4)"
    ]


# Never changed after the SSW's signature ----------------------------------------------------------


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_once_signed_the_record_and_its_actions_cannot_change_but_an_action_can_be_done(
    today, world
) -> None:
    visit = _visited(world)
    action = visit.actions.order_by("due_on").first()
    assert action is not None
    action.what = "Pack a lunch most days"  # before signing, nothing stops a change
    action.save()
    _sign(world, visit)
    locked = "Visit record: SOC-4 it has been signed and shared, so it cannot be changed; what was agreed stays as signed"

    visit = Visit.objects.get(pk=visit.pk)
    visit.carer_response = "Carol refused."
    with pytest.raises(ValidationError) as refused:
        visit.save()
    assert refused.value.message_dict == {"visit": [locked]}
    for change in ({"what": "Nothing"}, {"owner": world.sam}, {"due_on": D(2027, 12, 1)}):
        action = VisitAction.objects.get(pk=action.pk)
        for name, value in change.items():
            setattr(action, name, value)
        with pytest.raises(ValidationError):
            action.save()
    with pytest.raises(ValidationError):
        VisitAction.objects.create(
            service=world.service, visit=visit, what="More", owner=world.carol, due_on=D(2027, 5, 1)
        )
    with pytest.raises(ValidationError), transaction.atomic():
        visit.standards.add(NationalMinimumStandard.objects.get(service=world.service, number=4))
    with pytest.raises(ValidationError), transaction.atomic():
        VisitAction.objects.get(pk=action.pk).delete()

    services.action_done(
        actor=world.sam, action=VisitAction.objects.get(pk=action.pk), done_on=D(2027, 3, 24)
    )
    assert [s.intact for s in services_visit.visit_signatures(Visit.objects.get(pk=visit.pk))] == [True]  # type: ignore[attr-defined]


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_a_record_changed_behind_safecare_s_back_shows_its_signatures_broken_and_is_signed_no_more(
    today, world, client_for
) -> None:
    visit = _visited(world)
    _sign(world, visit)
    # A change made in the database itself, past the services and the guard.
    Visit.objects.filter(pk=visit.pk).update(carer_response="Carol refused.")

    page = client_for(world.sam).get(f"/standards-of-care/visits/{visit.pk}/").content.decode()
    assert "This record changed after it was signed" in page
    assert "Broken" in page and "Intact" not in page
    with pytest.raises(ValidationError) as refused:
        _sign(world, visit, "carol")
    assert refused.value.message_dict["confirm"] == [
        "Signature: the visit record changed after it was signed, so its signatures are broken; "
        "tell the supervising social worker (SOC-4)"
    ]


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_the_share_duty_stays_open_while_another_visit_waits_to_be_shared(today, world) -> None:
    first = _visited(world)
    concern = record(world, received_on=D(2027, 3, 24), details="Late to school.")
    decide(world, concern)
    second = services.visit_record(
        actor=world.sam,
        concern=concern,
        visited_on=D(2027, 3, 24),
        standards=[NationalMinimumStandard.objects.get(service=world.service, number=6)],
        concerns_discussed="School runs.",
        carer_response="Agreed.",
        actions=[ActionInput("Leave by 8:15", world.carol, D(2027, 4, 5))],
    )
    _sign(world, first)
    assert Task.objects.get(kind=VISIT_SHARE).status == TaskStatus.OPEN
    _sign(world, second)
    assert Task.objects.get(kind=VISIT_SHARE).status == TaskStatus.DONE


# Pages, PDF and API ----------------------------------------------------------------------------


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_the_ssw_signs_and_shares_from_the_visit_page(today, world, client_for) -> None:
    visit = _visited(world)
    sam = client_for(world.sam)
    page = sam.get(f"/standards-of-care/visits/{visit.pk}/").content.decode()
    assert "Not shared yet" in page and "by Fri 2 Apr 2027" in page
    assert f'href="/standards-of-care/visits/{visit.pk}/sign/"' in page

    refused = sam.post(
        f"/standards-of-care/visits/{visit.pk}/sign/", {"content_hash": services_visit.visit_hash(visit)}
    )
    assert refused.status_code == 200
    assert "tick the box to confirm you have read the visit record" in refused.content.decode()
    done = sam.post(
        f"/standards-of-care/visits/{visit.pk}/sign/",
        {"confirm": "on", "content_hash": services_visit.visit_hash(visit)},
        follow=True,
    )
    shown = done.content.decode()
    assert "shared it with the carers and the fostering managers" in shown
    assert "Supervising social worker" in shown and "Intact" in shown
    assert "Carers still to sign: Carol" in shown


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_the_printed_record_is_for_staff_and_holds_the_whole_record(today, world, client_for) -> None:
    visit = _visited(world)
    _sign(world, visit)
    response = client_for(world.frank).get(f"/standards-of-care/visits/{visit.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == f'inline; filename="{visit.reference}.pdf"'
    text = " ".join(pdf_pages(response.content))
    for expected in (
        world.household_own.name,
        visit.concern.reference,
        "24 Mar 2027",
        "Standard 6",
        "Packed lunches on school days.",
        "Carol agreed to pack a lunch every school day.",
        "Pack a lunch every school day",
        "5 Apr 2027",
        "Supervising social worker",
        "Intact",
    ):
        assert expected in text, expected
    # Carers read it in Safecare; they do not download it.
    assert client_for(world.carol).get(f"/standards-of-care/visits/{visit.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc4_signing_through_the_api(today, world, client_for) -> None:
    visit = _visited(world)
    url = f"/api/v1/soc-visits/{visit.pk}/sign/"
    assert send(client_for(world.frank), "POST", url, {"confirm": True}).status_code == 404
    refused = send(client_for(world.sam), "POST", url, {})
    assert refused.status_code == 400
    assert refused.json() == {
        "confirm": [
            "Confirmation: tick the box to confirm you have read the visit record and it is right (SOC-4)"
        ]
    }
    read = client_for(world.sam).get(f"/api/v1/soc-visits/{visit.pk}/signatures/").json()
    signed = send(client_for(world.sam), "POST", url, {"confirm": True, "content_hash": read["content_hash"]})
    assert signed.status_code == 200, signed.json()
    body = signed.json()
    assert body["shared_by"] == world.sam.pk and body["shared_at"]
    assert [(s["signer"], s["signed_as"], s["intact"]) for s in body["signatures"]] == [
        (world.sam.pk, "supervising social worker", True)
    ]
    carol = send(client_for(world.carol), "POST", url, {"confirm": True})
    assert carol.status_code == 200
    assert [s["signed_as"] for s in carol.json()["signatures"]] == [
        "supervising social worker",
        "foster carer",
    ]
    assert carol.json()["concern"] is None
