"""Signed-in sessions for the load test, made directly in the database (no passwords).

Run with the server's own settings and environment (the session's hash is keyed by
SAFECARE_SECRET_KEY), e.g.

    DJANGO_SETTINGS_MODULE=safecare.config.settings.production \\
        python -m bench.load_sessions --service bench --per-role 40 --out sessions.json

For each role of the mix it picks users of the service from the database and, for each, saves a
session as a sign-in would leave it: the user's id, backend and password hash, the sign-in time
the session limit reads, and django-otp's device key pointing to a confirmed TOTP device (one is
made, named "Load test authenticator", for a user who must use two factors and has none). It
writes the session cookies and the pages each user opens, as JSON, for bench.load.

- carer: a carer account linked to a current member of an approved household with a child
  placed now: the home page ("Things to do"), their household's page, each child's page and
  recordings (with the household's id and the children's, for the fault drill's writes);
- ssw: a supervising social worker with a household allocated: /, /tasks/, the household, its
  devices;
- csw: a child's social worker with a child allocated: /, the child's page;
- manager: a team manager or fostering manager: /, /tasks/team/, /compliance/.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROLES = ("carer", "ssw", "csw", "manager")
DEVICE_NAME = "Load test authenticator"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", default="", help="service slug (default: bench if it exists, else demo)")
    parser.add_argument("--per-role", type=int, default=40, help="at most this many users of each role")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    data = make_sessions(args.service, args.per_role, random.Random(args.seed))
    Path(args.out).write_text(json.dumps(data, indent=1))
    counts = ", ".join(f"{role} {len(data['users'][role])}" for role in ROLES)
    print(f"sessions for service {data['service']!r}: {counts}", file=sys.stderr)
    return 0


def pick_service(slug: str) -> Any:
    from safecare.core.models import FosteringService

    if slug:
        return FosteringService.objects.get(slug=slug)
    for candidate in ("bench", "demo"):
        service = FosteringService.objects.filter(slug=candidate).first()
        if service is not None:
            return service
    raise SystemExit("No service 'bench' or 'demo': seed one (manage.py seed_demo) or pass --service.")


def make_sessions(slug: str, per_role: int, rng: random.Random) -> dict[str, Any]:
    from django.conf import settings
    from django.utils import timezone

    service = pick_service(slug)
    today = timezone.localdate()
    users: dict[str, list[dict[str, Any]]] = {role: [] for role in ROLES}
    for role, (user, pages, extra) in _candidates(service, today, per_role, rng):
        users[role].append({"username": user.username, "cookie": _session_for(user), "pages": pages, **extra})
    return {
        "service": service.slug,
        "today": today.isoformat(),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "users": users,
    }


def _sample(items: list[Any], count: int, rng: random.Random) -> list[Any]:
    return items if len(items) <= count else rng.sample(items, count)


def _candidates(service: Any, today: Any, per_role: int, rng: random.Random) -> Any:
    from safecare.core.models import User
    from safecare.core.roles import Role
    from safecare.households.models import Allocation, HouseholdMember, Placement

    active = User.objects.filter(service=service, is_active=True)

    # Carers: linked to a current member of a household with a child placed today.
    placed = Placement.objects.filter(service=service).current(today)
    by_household: dict[int, list[int]] = {}
    for household_id, child_id in placed.values_list("household_id", "child_id"):
        by_household.setdefault(household_id, []).append(child_id)
    members = list(
        HouseholdMember.objects.filter(
            user__in=active.filter(role=Role.CARER), household_id__in=list(by_household)
        ).select_related("user")
    )
    members = [member for member in members if member.is_current(today)]
    for member in _sample(sorted(members, key=lambda m: m.pk), per_role, rng):
        children = sorted(by_household[member.household_id])
        pages = ["/", f"/households/{member.household_id}/"]
        for child in children[:2]:
            pages += [f"/children/{child}/", f"/children/{child}/recordings/"]
        yield "carer", (member.user, pages, {"children": children, "household": member.household_id})

    current = Allocation.objects.current().filter(service=service)
    ssw: dict[int, int] = {}
    for worker_id, household_id in (
        current.filter(kind="supervising").order_by("id").values_list("worker_id", "household_id")
    ):
        ssw.setdefault(worker_id, household_id)
    workers = {u.pk: u for u in active.filter(pk__in=list(ssw), role=Role.SUPERVISING_SW)}
    for pk in _sample(sorted(workers), per_role, rng):
        household = ssw[pk]
        pages = ["/", "/tasks/", f"/households/{household}/", f"/households/{household}/devices/"]
        yield "ssw", (workers[pk], pages, {})

    csw: dict[int, int] = {}
    for worker_id, child_id in (
        current.filter(kind="childs").order_by("id").values_list("worker_id", "child_id")
    ):
        csw.setdefault(worker_id, child_id)
    workers = {u.pk: u for u in active.filter(pk__in=list(csw), role=Role.CHILDS_SW)}
    for pk in _sample(sorted(workers), per_role, rng):
        yield "csw", (workers[pk], ["/", f"/children/{csw[pk]}/"], {})

    # Team managers and fostering managers, in a team (the team dashboard is theirs).
    managers = list(
        active.filter(
            role__in=[Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER], team__isnull=False
        ).order_by("pk")
    )
    for manager in _sample(managers, per_role, rng):
        yield "manager", (manager, ["/", "/tasks/team/", "/compliance/"], {})


def _session_for(user: Any) -> str:
    """A saved session as `login()` and the second factor would leave it; its key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safecare.core.middleware import SIGNED_IN_AT, IdleTimeoutMiddleware

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "safecare.core.auth_backends.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = int(time.time())
    session[IdleTimeoutMiddleware.KEY] = int(time.time())
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None and user.requires_two_factor():
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)


if __name__ == "__main__":
    sys.exit(main())
