"""rules: Everywhere: a duty that a record fulfils closes only with that record; nobody ticks it off by hand.

The walk takes every kind of duty declared anywhere in the code (core.tasks.duty),
opens one, and tries to close it by hand through the page and through the API as
its owner and as the service's manager: each attempt is refused and the task stays
open. A reminder (no record behind it) is the one kind a person may mark done.
"""

from __future__ import annotations

import ast
import datetime as dt
import pathlib

import pytest
from django.test import Client

from safecare.core.models import Task, TaskStatus
from safecare.core.tasks import duty_kind, duty_kinds, task_open
from tests.api.helpers import send, url
from tests.conftest import sign_in

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "safecare"

# Every duty the procedures built so far declare. A new duty adds a line here, with the
# record that fulfils it in mind: the walk below then proves it cannot be faked.
EXPECTED_KINDS = {
    "safer_caring_guidance": "SC-3",
    "scfa_assessment": "SC-1",
    "scfa_review": "SC-4",
    "scfa_placement_update": "SC-4",
    "child_agreement": "SC-5",
    "child_agreement_review": "SC-5",
    "scfa_review_after_change": "SC-6",
    "immediate_notice_sc8": "SC-8",
    "risk_assessment": "SC-9",
    "next_supervision": "SC-10",
    "immediate_notice_sc11": "SC-11",
    "care_arrangement_decision": "SC-12",
    "device_review": "DV-2",
    "device_check": "DV-2",
    "scfa_devices": "DV-10",
    "child_agreement_devices": "DV-10",
    "cctv_sign": "CX-3",
    "cctv_decision": "CX-3",
    "cctv_consent": "CX-4",
    "cctv_expiry": "CX-6",
    "cctv_reopened": "CX-6",
    "soc_route_decision": "SOC-2",
    "soc_visit": "SOC-4",
    "soc_visit_share": "SOC-4",
    "soc_meeting_decision": "SOC-5",
    "soc_support_referral": "SOC-6",
    "soc_minutes": "SOC-9",
}


def _declared_in_source() -> set[str]:
    """The keys passed to duty(...) in the source, read from the code itself."""
    keys = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "duty"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_duty_in_the_code_is_in_the_registry_with_its_rule() -> None:
    registered = {kind.key: kind.rule_id for kind in duty_kinds()}
    assert _declared_in_source() <= set(registered)
    for key, rule_id in EXPECTED_KINDS.items():
        assert registered.get(key) == rule_id, key


def test_every_duty_a_record_fulfils_says_which_record() -> None:
    for key in EXPECTED_KINDS:
        kind = duty_kind(key)
        assert kind is not None and kind.fulfilled_by.strip(), key


def test_an_undeclared_duty_cannot_be_opened(world) -> None:
    with pytest.raises(LookupError):
        task_open(
            service=world.service,
            rule_id="SC-4",
            kind="made_up_duty",
            title="Not a duty",
            due_on=dt.date(2027, 1, 4),
            owner=world.sam,
            household=world.household_own,
        )


@pytest.mark.parametrize("key", sorted(EXPECTED_KINDS))
def test_no_duty_a_record_fulfils_can_be_ticked_off_by_hand(world, key: str) -> None:
    Task.objects.filter(kind=key).delete()
    task = task_open(
        service=world.service,
        rule_id=EXPECTED_KINDS[key],
        kind=key,
        title="A duty",
        due_on=dt.date(2027, 1, 4),
        owner=world.sam,
        team=world.fostering_team,
        household=world.household_own,
        child=world.child_own,
    )
    for user in (world.sam, world.frank):
        client = sign_in(Client(), user)
        page = client.post(f"/tasks/{task.pk}/done/", {"note": "Done, trust me"})
        assert page.status_code == 400, (key, user)
        assert "cannot be marked done" in page.content.decode()
        api = send(client, "POST", url("task-done", task.pk), {"note": "Done, trust me"})
        assert api.status_code == 400, (key, user)
        assert "cannot be marked done" in api.json()["note"][0]
        task.refresh_from_db()
        assert task.status == TaskStatus.OPEN, (key, user)


def test_the_task_page_says_what_closes_a_duty_and_offers_no_button(world) -> None:
    task = task_open(
        service=world.service,
        rule_id="SC-9",
        kind="risk_assessment",
        title="Complete the risk assessment",
        due_on=dt.date(2027, 1, 4),
        owner=world.sam,
        household=world.household_own,
        child=world.child_own,
        due_basis="5 working days after the emergency placement (SC-9)",
    )
    page = sign_in(Client(), world.sam).get(f"/tasks/{task.pk}/").content.decode()
    assert "A risk assessment of this child for this placement or flag is recorded" in page
    assert "5 working days after the emergency placement (SC-9)" in page
    assert "Mark as done" not in page
