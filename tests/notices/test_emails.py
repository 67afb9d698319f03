"""rules: Everywhere: every e-mail the notices app sends names no child, carer or concern."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from safecare.notices import services
from safecare.notices.models import ChangeKind, ImmediateKind

pytestmark = pytest.mark.django_db

CONCERN = "bruises noticed after the weekend contact visit"


def test_no_email_of_sc6_sc8_sc11_or_sc12_names_a_child_a_carer_or_the_concern(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.change_notice_send(
            actor=world.carol,
            household=world.household_own,
            kind=ChangeKind.DEATH,
            happened_on=timezone.localdate(),
            details=CONCERN,
        )
        for kind in ImmediateKind:
            services.immediate_notice_send(
                actor=world.carol,
                household=world.household_own,
                kind=kind,
                details=CONCERN,
                children=[world.child_own],
            )
        starts = timezone.now() + dt.timedelta(days=2)
        services.arrangement_request(
            actor=world.carol,
            household=world.household_own,
            child=world.child_own,
            carer_name="Rosalind Patel",
            relationship="Grandparent",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=30),
            reason=CONCERN,
        )
    # SSW for each of the five events, the CSW for each immediate notice naming the child.
    assert len(mail.outbox) == 5 + len(ImmediateKind)
    forbidden = [
        world.child_own.first_name,
        world.child_own.last_name,
        world.carol.first_name,
        world.carer_member.last_name,
        world.household_own.name,
        "Rosalind",
        "bruises",
        "weekend",
        "allegation",
        "risky",
        "death",
    ]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for word in forbidden:
            assert word.lower() not in text, (word, message.subject)
        assert "T-" in message.subject
