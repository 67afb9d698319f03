"""Every URL route x every role x own/other/other-service object, against a written table.

The tables (tests/security/table_*.py) are the access policy written down; this
test checks the running application against them (rules: Who sees what: deny by default,
out of scope answers 404). It fails when a route has no row, so a new page
cannot ship without someone deciding who may open it.

Row keys:
  name      URL name (with namespace); DRF routes add "api": True
  kwargs    URL kwargs; a value naming a `world` attribute becomes that object's pk
  method    GET or POST (a POST is sent empty, inside a rolled-back transaction)
  public    True: anyone, signed in or not, gets an answer (no 404, no 5xx)
  allowed   usernames who must get an answer other than 403/404 for the own object
  own/other the world attributes of the own object and of another object of the same
            kind; "_own" in kwargs becomes "_other" (and "_south", for the other service)
  allowed_other  usernames who may reach the other object (default: allowed ∩ DEFAULT_OTHER)

A list of case content (every API list, and the list pages in LIST_PAGES) is also
checked for every user it answers: exactly one access-log row for the request,
naming the records returned, in order (rules: Everywhere).

Every GET that answers 200 is also counted: a page makes at most QUERY_BUDGET SQL
queries, the home page at most HOME_BUDGET, whatever the user (decision 0055). The
pages not yet within it are listed in OVER_BUDGET, each a debt with its count today.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from safecare.api.views import CaseViewSet
from safecare.core.calendars import calendar_for_service
from safecare.core.middleware import IdleTimeoutMiddleware
from safecare.core.models import AccessLog, FosteringService
from tests.conftest import SharedWorld, World, sign_in

USERNAMES = [
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
]  # fmt: skip

# Who may reach the "other" object of each kind (rules: Who sees what), unless a row says otherwise:
# service-wide managers, and those who reach it through the child placed there.
DEFAULT_OTHER = {
    "household_other": {"oscar", "sue", "frank", "helen", "harry"},
    "child_other": {"oscar", "sue", "frank", "helen", "harry"},
    "member_other": {"oscar", "sue", "frank", "helen", "harry"},
    "placement_other": {"oscar", "sue", "frank", "helen", "harry"},
    "task_other": {"sue", "frank", "helen", "harry"},
}


# The most SQL queries a page may make (decision 0055): the session, the user with their
# service and team, the two-factor device, the alerts count, and what the page shows.
QUERY_BUDGET = 10
HOME_BUDGET = 4

# Pages over the budget today: the most queries any user's request makes in this world, and
# why. Each row is a debt. The list only shrinks: a page over its count fails, and a page that
# comes within the budget fails until its row is taken out.
OVER_BUDGET: dict[str, tuple[int, str]] = {
    "files:retention_detail": (
        91,
        "lists every kind of record kept about the child: two queries (the records and their history) per kind",
    ),
    "cctv-request-detail": (
        21,
        "a CCTV request with its reports, consents, cameras and signing steps, each read in its own query; the register's assessment adds five",
    ),
    "devices:request_pdf": (20, "the request's PDF names each child and signer, each read in its own query"),
    "households:detail": (
        18,
        "a carer's household page shows the device register inline (its assessment reads five tables) besides one count per section",
    ),
    "agreements:child": (17, "each agreement's versions, signatures and participants read in turn"),
    "agreements:sign": (16, "the version, its participants, signatures and household read in turn"),
    "standards:visit_sign": (16, "the visit's standards, actions and signatures read in turn"),
    "devices:request_detail": (
        15,
        "the request's cameras, reports and signing steps read in turn; the register's assessment adds five",
    ),
    "devices:request_sign": (15, "the signing steps and the household's people read in turn"),
    "households:household_history": (15, "one query per kind of history record"),
    "standards:visit_detail": (15, "the visit's standards, actions and signatures read in turn"),
    "files:report": (
        14,
        "marking the report read (a savepoint each for the read receipts) before showing it",
    ),
    "households:child_detail": (
        11,
        "one query per panel (placements, workers, risk, tasks, unread recordings)",
    ),
    "households:child_history": (14, "one query per kind of history record"),
    "standards:panel_referral": (
        14,
        "the panel's referral, recommendation and decision each with their people",
    ),
    "standards:review_request": (
        14,
        "the panel's referral, recommendation and decision each with their people",
    ),
    "devices:request_consent": (13, "each child named on the report looked up for the reader"),
    "devices:household_devices": (
        11,
        "the register's assessment reads five tables (placements, reports, members, agreements, consents)",
    ),
    "files:child_photos": (13, "photos, their rules and keep requests, and two access-log rows"),
    "standards:panel_recommend": (
        13,
        "the panel's referral, recommendation and decision each with their people",
    ),
    "standards:adm_decide": (13, "the panel's referral, recommendation and decision each with their people"),
    "agreements:household": (14, "each agreement's versions and signatures read in turn"),
    "agreements:version": (12, "the version, its participants and signatures read in turn"),
    "agreements:pdf": (12, "the version, its participants and signatures read in turn"),
    "devices:device_detail": (11, "the register's assessment reads five tables for one device"),
    "households:section_devices": (11, "the register's assessment reads five tables"),
    "standards:visit_create": (12, "the form's choices of workers read one query each"),
    "standards:visit_pdf": (12, "the visit's standards, actions and signatures read in turn"),
    "carer-report-detail": (
        11,
        "marking the report read (a savepoint each for the read receipts) before showing it",
    ),
    "files:keep_request": (11, "the request's photos and two access-log rows"),
    "monitoring:assessment_detail": (11, "the assessment's evaluation, discussion and decision read in turn"),
    "standards:report_edit": (11, "the meeting, its report's versions and the form's choices read in turn"),
}

# The home page by role, over HOME_BUDGET today: a carer's device register, read by the register's
# own four queries after the one of her things to do (decision 0059), a worker's households or
# children and their inbox, a manager's overdue tasks and their two counts (one aggregate)
# besides their inbox.
HOME_OVER_BUDGET: dict[str, int] = {
    "carol": 8, "oscar": 8,
    "asha": 5, "sam": 5, "chris": 5,
    "fiona": 6, "tom": 6, "sue": 6, "frank": 6, "helen": 6, "harry": 6, "olga": 6,
}  # fmt: skip


def _tables() -> list[Any]:
    import tests.security as package

    return [
        importlib.import_module(f"tests.security.{module.name}")
        for module in pkgutil.iter_modules(package.__path__)
        if module.name.startswith("table_")
    ]


def load_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for table in _tables():
        rows.extend(table.ROUTES)
    return rows


ROWS = load_rows()


def walk_world(shared: SharedWorld) -> World:
    """The shared world, with the records a table adds for the walks only (its `extend(world)`).

    Call it inside the walk's transaction: what a table adds is rolled back with it, so the
    other tests' world does not hold it.
    """
    world = shared.copy()
    for table in _tables():
        extend = getattr(table, "extend", None)
        if extend is not None:
            extend(world)
    return world


def route_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_route_has_a_row_in_the_access_table() -> None:
    tabled = {row["name"] for row in ROWS}
    missing = route_names() - tabled
    assert not missing, f"routes with no access-table row: {sorted(missing)}"


def test_every_row_names_a_real_route() -> None:
    stale = {row["name"] for row in ROWS} - route_names()
    assert not stale, f"access-table rows for routes that do not exist: {sorted(stale)}"


def _swap(value: str, world: World, suffix: str) -> str | None:
    if isinstance(value, str) and value.endswith("_own"):
        candidate = value[: -len("_own")] + suffix
        return candidate if hasattr(world, candidate) else None
    return value


def _url(row: dict[str, Any], world: World, suffix: str = "_own") -> str | None:
    kwargs = {}
    for key, value in row.get("kwargs", {}).items():
        name = _swap(value, world, suffix) if suffix != "_own" else value
        if name is None:
            return None
        kwargs[key] = getattr(world, name).pk if isinstance(name, str) and _is_object(world, name) else name
    return reverse(row["name"], kwargs=kwargs)


def _is_object(world: World, name: str) -> bool:
    try:
        return hasattr(getattr(world, name), "pk")
    except AttributeError:
        return False


def _request(
    client: Client,
    row: dict[str, Any],
    url: str,
    log: list[AccessLog] | None = None,
    queries: list[int] | None = None,
) -> Any:
    # Each request in its own rolled-back transaction: an allowed POST must not
    # change what the next user's request sees.
    with transaction.atomic():
        last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if queries is not None:
            _seen_just_now(client)
            connection.queries_log.clear()  # a full log (9,000 queries) would capture nothing
        with CaptureQueriesContext(connection) as captured:
            if row["method"] == "POST":
                response = client.post(url, {}, follow=False)
            else:
                response = client.get(url, follow=False)
        if queries is not None:
            queries.append(len(captured.captured_queries))
        if log is not None:
            log.extend(AccessLog.objects.filter(id__gt=last).order_by("id"))
        transaction.set_rollback(True)
    return response


# The list pages of case content, and the kind of record each lists. (A household's or
# a child's own page logs that household or child, as every detail page does.)
LIST_PAGES = {
    "compliance:duties": "task",
    "files:household_documents": "shareddocument",
    "files:child_documents": "shareddocument",
    "files:household_reports": "carerreport",
    "households:list": "household",
    "households:child_list": "child",
    "notices:breaches": "carearrangement",
    "tasks:mine": "task",
    "tasks:service": "task",
}


def _seen_just_now(client: Client) -> None:
    """The session was used a moment ago, so the request does not note its use.

    The idle time-out writes the session at most once a minute (core.middleware); in the
    walk every request is rolled back, so without this each would count that write.
    """
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time())
    session.save()


def _budget_failures(name: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    if name == "home":
        failures = []
        for who, count in counts.items():
            username = who.split()[0]
            cap = HOME_OVER_BUDGET.get(username, HOME_BUDGET)
            if count > cap:
                failures.append(f"{who}: {count} SQL queries, more than {cap} for the home page")
            elif username in HOME_OVER_BUDGET and count <= HOME_BUDGET:
                failures.append(f"{username}'s home page is within {HOME_BUDGET} queries now: take them out")
        return failures
    budget = QUERY_BUDGET
    cap = OVER_BUDGET[name][0] if name in OVER_BUDGET else budget
    failures = [
        f"{who}: {count} SQL queries, more than {cap} for {name}"
        for who, count in counts.items()
        if count > cap
    ]
    if name in OVER_BUDGET and max(counts.values()) <= budget:
        failures.append(f"{name} is within {budget} queries now: take its row out of OVER_BUDGET")
    return failures


def _list_kind(row: dict[str, Any], url: str) -> str | None:
    """The kind of record a GET route lists, if it is a list of case content."""
    if row["method"] != "GET":
        return None
    if not row.get("api"):
        return LIST_PAGES.get(row["name"])
    match = resolve(url)
    viewset = getattr(match.func, "cls", None)
    if getattr(match.func, "actions", {}).get("get") != "list" or not issubclass(viewset, CaseViewSet):
        return None  # a record, or the caller's own API tokens (not case content)
    return viewset.model._meta.model_name  # type: ignore[no-any-return]


def _shown(row: dict[str, Any], response: Any) -> list[int]:
    if row.get("api"):
        return [item["id"] for item in response.json()["results"]]
    if row["name"] == "tasks:mine":
        inbox = response.context["inbox"]
        return [task.pk for task in (*inbox.overdue, *inbox.this_week, *inbox.later)]
    return [item.pk for item in response.context["page_obj"]]


def _list_logging_failures(
    user: Any, row: dict[str, Any], kind: str, response: Any, log: list[AccessLog]
) -> list[str]:
    if user.service_id is None:
        # A platform account reads no case content, and nothing is logged for it.
        return [] if not log else [f"{user.username}: a platform account's list was logged"]
    if len(log) != 1:
        return [f"{user.username}: {len(log)} access-log rows for one list, not 1"]
    (entry,) = log
    shown = _shown(row, response)
    if (entry.subject_type, entry.listed_ids, entry.user_id) != (kind, shown, user.pk):
        return [
            f"{user.username}: logged {entry.subject_type} {entry.listed_ids} by user {entry.user_id}, "
            f"shown {kind} {shown}"
        ]
    return []


def _answered(response: Any) -> bool:
    if response.status_code in (403, 404) or response.status_code >= 500:
        return False
    location = response.headers.get("Location", "")
    return not location.startswith("/sign-in/?")


def _refused(row: dict[str, Any], response: Any, *, anonymous: bool) -> bool:
    if anonymous:
        if row.get("api"):
            return response.status_code in (401, 403)
        return response.status_code == 302 and response.headers["Location"].startswith("/sign-in/")
    return response.status_code == 404


@pytest.fixture(scope="module")
def walk(_shared_world: SharedWorld, django_db_blocker: Any) -> Iterator[tuple[World, dict[str, Client]]]:
    """The shared world and one signed-in client per user for the whole walk.

    The world is the one committed once per test process (tests/conftest.py). The
    sign-ins are made inside a transaction that is rolled back at the end of the
    module; every request of the walk runs in its own rolled-back savepoint, so no
    row can change what another row sees.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = walk_world(_shared_world)
            clients = {username: sign_in(Client(), world.users[username]) for username in USERNAMES}
            # A process reads each content type once, and a service's closure days at its first
            # deadline, and keeps them (ContentType's cache, core.calendars): read them now, so
            # the first page to need one is counted as every later request of a server is.
            ContentType.objects.get_for_models(*apps.get_models())
            for service in FosteringService.objects.all():
                calendar_for_service(service)
            yield world, clients
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['method']} {r['name']}" for r in ROWS])
@pytest.mark.django_db
def test_route_answers_only_whom_the_table_allows(
    row: dict[str, Any], walk: tuple[World, dict[str, Client]]
) -> None:
    world, clients = walk
    url = _url(row, world)
    assert url is not None
    anonymous = _request(Client(), row, url)
    if row.get("public"):
        assert anonymous.status_code < 500 and anonymous.status_code != 404, url
        return
    assert _refused(row, anonymous, anonymous=True), f"anonymous got {anonymous.status_code} at {url}"

    allowed = set(row.get("allowed", set()))
    other_attr = row.get("other")
    allowed_other = set(row.get("allowed_other", allowed & DEFAULT_OTHER.get(other_attr or "", set())))
    other_url = _url(row, world, "_other") if other_attr else None
    south_url = _url(row, world, "_south") if other_attr else None
    failures = []
    counts: dict[str, int] = {}
    list_kind = _list_kind(row, url)
    for username in USERNAMES:
        client = clients[username]
        if list_kind and username in allowed:
            log: list[AccessLog] = []
            response = _request(client, row, url, log)
            failures += _list_logging_failures(world.users[username], row, list_kind, response, log)
        checks = [(url, username in allowed, "own")]
        # Someone the route refuses on their own object is refused by who they are, before
        # any object is looked at: the other objects are asked of those it lets through (and
        # of those who may reach only the other object), whose refusal depends on the object.
        if username in allowed or username in allowed_other:
            if other_url:
                checks.append((other_url, username in allowed_other, "other"))
            if south_url and username != "olga":
                checks.append((south_url, False, "other service"))
        for target, may, label in checks:
            queries: list[int] = []
            response = _request(client, row, target, queries=queries if row["method"] == "GET" else None)
            if queries and response.status_code == 200:
                counts[f"{username} ({label})"] = queries[0]
            if may and not _answered(response):
                failures.append(f"{username} should reach the {label} object, got {response.status_code}")
            if not may and not _refused(row, response, anonymous=False):
                failures.append(
                    f"{username} should get 404 on the {label} object, got {response.status_code}"
                )
    failures += _budget_failures(row["name"], counts)
    assert not failures, f"{row['method']} {url}:\n" + "\n".join(failures)
