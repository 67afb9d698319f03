"""How a rule id reaches a carer: taken out of the words, and put after them as a small link.

The issue: "You cannot have a camera in a child's bedroom" rather than "Prohibited · DV-3";
rule ids stay visible to staff, and are shown to carers only as a small "policy reference"
link to the rules page. Each expected page fragment is written out in full.
"""

from __future__ import annotations

import pytest

from safecare.core.carer_words import for_carers
from safecare.core.rulebook import POLICIES, RULES


def ref(*ids: str) -> str:
    links = ", ".join(
        f'<a class="govuk-link app-policy-ref" href="/rules/#{rule_id}">policy reference {rule_id}</a>'
        for rule_id in ids
    )
    return f" <small>({links})</small>"


@pytest.mark.parametrize(
    ("staff_sees", "carer_sees"),
    [
        # A message that starts with its rule: the words first, capitalised, then the link.
        (
            '<p class="govuk-error-message">DV-1: say what kind of device it is</p>',
            f'<p class="govuk-error-message">Say what kind of device it is{ref("DV-1")}</p>',
        ),
        # A rule in brackets, or after a dot in a caption, goes; the link follows the words.
        (
            "<dd>Not allowed: prohibited (DV-3: no camera in a bathroom)</dd>",
            f"<dd>Not allowed: prohibited (no camera in a bathroom){ref('DV-3')}</dd>",
        ),
        # A heading or a summary list's key names a thing: the id only goes.
        ("<dt>Cameras and microphones covered (DV-10)</dt>", "<dt>Cameras and microphones covered</dt>"),
        ('<h2 class="govuk-heading-m">Details (DV-1)</h2>', '<h2 class="govuk-heading-m">Details</h2>'),
        (
            '<span class="govuk-caption-l">Patel household · A-00001 · SC-1, SC-4</span>',
            f'<span class="govuk-caption-l">Patel household · A-00001{ref("SC-1", "SC-4")}</span>',
        ),
        (
            "<p>Never in a bedroom (DV-3). Ask first (rules SC-12 and SC-6).</p>",
            f"<p>Never in a bedroom. Ask first.{ref('DV-3', 'SC-12', 'SC-6')}</p>",
        ),
        # No link inside a link, a button or the page title: the id only goes.
        (
            '<a href="#device_type">Type: DV-1: say what it is</a>',
            '<a href="#device_type">Type: say what it is</a>',
        ),
        ("<title>Prohibited · DV-3 \u2013 Safecare</title>", "<title>Prohibited \u2013 Safecare</title>"),
        # What people typed, and attribute values, are never changed.
        ("<textarea>DV-3 was discussed</textarea>", "<textarea>DV-3 was discussed</textarea>"),
        ('<input name="x" value="SC-4">', '<input name="x" value="SC-4">'),
        # References are not rule ids.
        ("<p>CX-00001 is awaiting signatures</p>", "<p>CX-00001 is awaiting signatures</p>"),
    ],
)
def test_a_carer_reads_the_words_and_a_policy_reference_link(staff_sees: str, carer_sees: str) -> None:
    assert for_carers(staff_sees) == carer_sees


def test_the_rules_page_lists_every_rule_of_every_policy_once() -> None:
    assert list(POLICIES) == ["HH", "SC", "DV", "CX", "PH", "SOC", "IM", "DP"]
    assert {rule_id.split("-")[0] for rule_id in RULES} == set(POLICIES)
    assert RULES["DV-3"].startswith("No camera in any bedroom or sleeping area")


@pytest.mark.django_db
def test_a_policy_reference_leads_to_its_rule_on_the_rules_page(world, client_for) -> None:
    for user in (world.carol, world.sam):
        body = client_for(user).get("/rules/").content.decode()
        assert '<div class="govuk-summary-list__row" id="DV-3">' in body
        assert '<dt class="govuk-summary-list__key">DV-3</dt>' in body


@pytest.mark.django_db
def test_staff_still_see_the_rule_ids_and_carers_see_the_link(world, client_for) -> None:
    url = f"/households/{world.household_own.pk}/devices/new/"
    empty = {"device_type": "", "room_kind": ""}
    staff = client_for(world.sam).post(url, empty).content.decode()
    carer = client_for(world.carol).post(url, empty).content.decode()
    assert "DV-1: say what kind of device it is" in staff
    assert "DV-1: say what kind of device it is" not in carer
    assert f"Say what kind of device it is{ref('DV-1')}" in carer
