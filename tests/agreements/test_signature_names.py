"""The signature table on an agreement's pages names each capacity in full, as the printed form does.

A signature stores its capacity as a code ("SSW", "CSW", "carer"); nobody reading the page
should have to know the code, so "Signed as" says "Supervising social worker", "Child's
social worker" or "Foster carer" (agreements.services.CAPACITY_LABELS, which the PDF uses).
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from safecare.agreements.services import version_sign

pytestmark = pytest.mark.django_db

SIGNED_AS = re.compile(r'data-label="Signed as">(.*?)</td>', re.S)


def signed_as(page: str) -> list[str]:
    """The "Signed as" cells of the page's signature table, as read."""
    return [html.unescape(cell).strip() for cell in SIGNED_AS.findall(page)]


def test_the_household_agreement_names_the_carer_and_the_supervising_social_worker_in_full(  # type: ignore[no-untyped-def]
    world, client_for
) -> None:
    url = reverse("agreements:household", kwargs={"pk": world.household_own.pk})
    for user in (world.carol, world.sam):
        page = client_for(user).get(url).content.decode()
        assert signed_as(page) == ["Foster carer", "Supervising social worker"], user.username


def test_the_childs_agreement_names_the_childs_social_worker_in_full(world, client_for) -> None:  # type: ignore[no-untyped-def]
    version = world.child_agreement_version_own
    for person in (world.carol, world.sam, world.chris):
        version_sign(actor=person, version=version, confirmed=True)
    for url in (
        reverse("agreements:child", kwargs={"pk": world.placement_own.pk}),
        reverse("agreements:version", kwargs={"pk": version.pk}),
    ):
        page = client_for(world.chris).get(url).content.decode()
        assert signed_as(page) == ["Foster carer", "Supervising social worker", "Child's social worker"], url
        assert not {"SSW", "CSW", "carer"} & set(signed_as(page))
