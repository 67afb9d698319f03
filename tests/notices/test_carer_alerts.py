"""The carers hear of every decision about what they asked for or must act on (SC-1, SC-4,
SC-5, SC-6, SC-8, SC-11, SC-12, CX-5), in the app and by e-mail.

rules: Everywhere: the e-mail names no child, carer or concern, only what kind of thing it
is, a reference and a link. Each alert goes once to each current carer of the household with
an account (Carol, for the world's own household), never to another household's carers
(Oscar) and never to the person who made the decision.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from safecare.agreements.services import version_create
from safecare.core.models import Notification
from safecare.households.models import HouseholdMember
from safecare.notices import services
from safecare.notices.models import ArrangementStatus, ChangeKind, ImmediateKind
from tests.agreements.world import sections
from tests.devices.helpers import agreed, hallway_camera
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Grandma Rose may look after Xavier after the bruises were explained"


def _alerts(dedupe_key: str) -> dict[str, Notification]:
    return {n.recipient.username: n for n in Notification.objects.filter(dedupe_key=dedupe_key)}


def _assert_no_personal_data(world) -> None:  # type: ignore[no-untyped-def]
    forbidden = [
        world.child_own.first_name,
        world.child_own.last_name,
        world.carol.first_name,
        world.carer_member.last_name,
        world.household_own.name,
        "Grandma",
        "Rose",
        "bruises",
        "wedding",
    ]
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for word in forbidden:
            assert word.lower() not in text, (word, message.subject)


def _arrangement_request(world):  # type: ignore[no-untyped-def]
    starts = timezone.now() + dt.timedelta(days=2)
    return services.arrangement_request(
        actor=world.carol,
        household=world.household_own,
        child=world.child_own,
        carer_name="Grandma Rose",
        relationship="Grandparent",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=30),
        reason="A family wedding.",
    )


@pytest.mark.parametrize("consent", [True, False])
def test_sc12_the_carers_hear_a_care_arrangement_was_decided_consented_or_refused(
    world, consent, django_capture_on_commit_callbacks
) -> None:
    arrangement = _arrangement_request(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=consent, note=NOTE)
    assert arrangement.__class__.objects.get(pk=arrangement.pk).status == (
        ArrangementStatus.CONSENTED if consent else ArrangementStatus.REFUSED
    )
    alerts = _alerts(f"notices:arrangement:{arrangement.pk}:decided:carers")
    assert set(alerts) == {"carol"}
    alert = alerts["carol"]
    assert alert.subject == "The service has decided on a care arrangement"
    assert alert.reference == f"CA-{arrangement.pk:06d}"
    assert alert.url == f"/care-arrangements/{arrangement.pk}/"
    assert alert.rule_id == "SC-12"
    # Named in the app as about the Patel household (never in the e-mail).
    assert alert.household_id == world.household_own.pk
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    assert mail.outbox[0].subject == (
        f"Safecare: The service has decided on a care arrangement (CA-{arrangement.pk:06d})"
    )
    _assert_no_personal_data(world)


@pytest.mark.parametrize(
    ("kind", "rule_id"), [(ImmediateKind.ALLEGATION_RISK, "SC-8"), (ImmediateKind.RISKY_ACTIVITY, "SC-11")]
)
def test_sc8_sc11_the_carers_hear_their_immediate_notice_was_answered(
    world, kind, rule_id, django_capture_on_commit_callbacks
) -> None:
    notice = services.immediate_notice_send(
        actor=world.carol,
        household=world.household_own,
        kind=kind,
        details="The bruises were explained by the school.",
        children=[world.child_own],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.immediate_notice_acknowledge(
            actor=world.sam, notice=notice, note="Visited and talked it through."
        )
    alerts = _alerts(f"notices:immediate:{notice.pk}:answered:carers")
    assert set(alerts) == {"carol"}
    alert = alerts["carol"]
    assert alert.subject == "The service has responded to a notice you sent"
    assert alert.reference == f"IN-{notice.pk:06d}"
    assert alert.url == f"/notices/immediate/{notice.pk}/"
    assert alert.rule_id == rule_id
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    _assert_no_personal_data(world)


def test_sc6_the_carers_hear_the_change_they_told_of_was_reviewed(
    world, django_capture_on_commit_callbacks
) -> None:
    notice = services.change_notice_send(
        actor=world.carol,
        household=world.household_own,
        kind=ChangeKind.NEW_REGULAR_VISITOR,
        happened_on=timezone.localdate(),
        details="Grandma Rose now visits on Sundays.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.change_notice_review(actor=world.sam, notice=notice, note="Agreement reviewed.")
    alerts = _alerts(f"notices:change:{notice.pk}:reviewed:carers")
    assert set(alerts) == {"carol"}
    assert alerts["carol"].subject == "The service has reviewed a change you told it about"
    assert alerts["carol"].url == f"/notices/changes/{notice.pk}/"
    assert alerts["carol"].rule_id == "SC-6"
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    _assert_no_personal_data(world)


def test_sc4_the_carers_are_asked_to_sign_a_new_version_of_their_agreement(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = version_create(
            actor=world.sam,
            agreement=world.agreement_own,
            sections=sections("Agreed again"),
            participants=world.household_own.members.all(),
            based_on=1,
        )
    alerts = _alerts(f"agreements:version:{version.pk}:sign:carers")
    assert set(alerts) == {"carol"}  # not Sam, who wrote it
    alert = alerts["carol"]
    assert alert.subject == "A new version of a safer caring agreement is ready for you to read and sign"
    assert alert.reference == f"A-{world.agreement_own.pk:05d} version 2"
    assert alert.url == f"/agreements/versions/{version.pk}/sign/"
    assert alert.rule_id == "SC-4"
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    _assert_no_personal_data(world)


def test_sc5_the_carers_are_asked_to_sign_a_new_version_of_a_childs_agreement(world) -> None:
    version = version_create(
        actor=world.chris,
        agreement=world.child_agreement_own,
        sections=sections("Agreed again"),
        participants=world.household_own.members.all(),
        based_on=1,
    )
    alerts = _alerts(f"agreements:version:{version.pk}:sign:carers")
    assert set(alerts) == {"carol"} and alerts["carol"].rule_id == "SC-5"


def test_every_current_carer_with_an_account_is_told_once_and_no_one_who_moved_out(world) -> None:
    second = UserFactory(username="carl", service=world.service, role="carer", first_name="Carl")
    MemberFactory(household=world.household_own, user=second, first_name="Carl", last_name="Patel")
    gone = UserFactory(username="gina", service=world.service, role="carer", first_name="Gina")
    MemberFactory(
        household=world.household_own,
        user=gone,
        first_name="Gina",
        last_name="Patel",
        moved_out_on=timezone.localdate() - dt.timedelta(days=1),
    )
    arrangement = _arrangement_request(world)
    services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    alerts = _alerts(f"notices:arrangement:{arrangement.pk}:decided:carers")
    assert set(alerts) == {"carol", "carl"}
    assert HouseholdMember.objects.filter(user=gone).exists()


def test_cx5_the_carers_hear_a_cctv_request_was_decided(world) -> None:
    request = agreed(world, hallway_camera(world))
    report = request.reports.get()
    alerts = _alerts(f"cctv:{report.pk}:decided")
    assert {"carol", "sam"} <= set(alerts)
    assert alerts["carol"].subject == "A decision has been made on a CCTV request"
    assert alerts["carol"].url == f"/cctv/{request.pk}/"
    assert alerts["carol"].rule_id == "CX-5"
    assert alerts["carol"].household_id == world.household_own.pk
