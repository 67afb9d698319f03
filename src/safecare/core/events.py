"""Case events: the one registry through which an app reacts to what happens in another.

A household is approved, a placement starts or ends, a child's social worker
changes, a household's status changes: the service function that makes the
change publishes the event inside its own transaction, and every subscriber
runs there too, so a duty a policy raises is written with the event or not at
all. The app that publishes knows nothing of the apps that subscribe:
households never imports agreements, notices or devices.

Subscribers are registered in one place per app, its ``subscribers.py``,
which the app's ``AppConfig.ready()`` imports; ``docs/events.md`` lists every
event and subscriber, and a test holds that list against this registry.
Subscribers run in the order their apps are installed (INSTALLED_APPS), so the
order is fixed and the same in every process.

Approval checks are the same kind of contribution: an app adds a check that a
household must pass before it is approved (SC-1 from agreements, DV-4 from
devices) with :func:`approval_check`, and households asks every registered
check without importing any of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Event(StrEnum):
    """What can happen to a case that another app may need to act on. Payload keys in brackets."""

    # [actor, household]: an applicant's assessment started (status in assessment).
    ASSESSMENT_STARTED = "assessment_started"
    # [actor, household, approved_on]: first approval of a household.
    HOUSEHOLD_APPROVED = "household_approved"
    # [actor, household, change]: any status change, the first approval included.
    HOUSEHOLD_STATUS_CHANGED = "household_status_changed"
    # [actor, placement]
    PLACEMENT_STARTED = "placement_started"
    # [actor, placement]
    PLACEMENT_ENDED = "placement_ended"
    # [actor, child, previous, current]: the child's social worker changed (current None: ended).
    CHILDS_SOCIAL_WORKER_CHANGED = "childs_social_worker_changed"
    # [actor, member]: someone came to live in the household (a member added or moved in).
    MEMBER_MOVED_IN = "member_moved_in"
    # [actor, service, changed]: the service changed its settings (names of the fields changed).
    SERVICE_SETTINGS_CHANGED = "service_settings_changed"
    # [actor, household, kind, previous, current]: the household's assessing or supervising
    # social worker changed (current is None when the allocation ended with nobody new).
    HOUSEHOLD_WORKER_CHANGED = "household_worker_changed"
    # [actor, agreement]: a new agreement version came into force.
    AGREEMENT_IN_FORCE = "agreement_in_force"
    # [actor, supervision]: a supervision record was completed.
    SUPERVISION_COMPLETED = "supervision_completed"


Subscriber = Callable[..., None]


@dataclass(frozen=True)
class Subscription:
    event: Event
    handler: Subscriber

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: dict[Event, list[Subscription]] = defaultdict(list)


def subscribe(event: Event) -> Callable[[Subscriber], Subscriber]:
    """Decorator: run the function whenever ``event`` is published, inside its transaction."""

    def register(handler: Subscriber) -> Subscriber:
        subscription = Subscription(event, handler)
        if all(s.name != subscription.name for s in _subscriptions[event]):
            _subscriptions[event].append(subscription)
        return handler

    return register


def publish(event: Event, **payload: Any) -> None:
    """Run every subscriber of ``event`` now, in the caller's transaction.

    A subscriber that raises rolls the whole event back with it: a placement
    whose duties cannot be written is not made.
    """
    for subscription in list(_subscriptions[event]):
        subscription.handler(**payload)


def subscribers(event: Event | None = None) -> list[Subscription]:
    """Every subscription, or those of one event, in the order they run."""
    if event is not None:
        return list(_subscriptions[event])
    return [s for e in Event for s in _subscriptions[e]]


# Approval checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalProblem:
    """Why a household cannot be approved yet, under which rule."""

    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.message}"


ApprovalCheck = Callable[[Any], list[ApprovalProblem]]

_approval_checks: list[ApprovalCheck] = []


def approval_check(check: ApprovalCheck) -> ApprovalCheck:
    """Decorator: ``check(household)`` must return no problem before the household is approved."""
    name = f"{check.__module__}.{check.__qualname__}"
    if all(f"{c.__module__}.{c.__qualname__}" != name for c in _approval_checks):
        _approval_checks.append(check)
    return check


def approval_checks() -> list[ApprovalCheck]:
    return list(_approval_checks)
