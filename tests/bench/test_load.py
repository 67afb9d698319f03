"""The load test's and the production check's own parts, without a server.

The load itself (`make bench-load`) and the fault drill (`make prod-check`) start gunicorn and are
not part of `make test`; what they compute, how they sign in and what they check is tested here.
"""

from __future__ import annotations

import random
import sqlite3

import pytest
from django.conf import settings
from django.test import Client

from bench import load, load_sessions, prod_check
from safecare.core.roles import Role
from tests.factories import AllocationFactory, HouseholdFactory, UserFactory


def test_percentiles_are_nearest_rank() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    assert load.percentile(values, 0.50) == 50.0
    assert load.percentile(values, 0.95) == 100.0
    assert load.percentile(values, 0.99) == 100.0
    assert load.percentile(values, 0.10) == 10.0
    assert load.percentile([7.0], 0.99) == 7.0
    assert load.percentile([], 0.5) == 0.0


def test_a_page_is_named_by_its_role_and_its_address_without_ids() -> None:
    assert load.page_label("carer", "/children/12/recordings/") == "carer /children/{id}/recordings/"
    assert load.page_label("ssw", "/households/3/devices/") == "ssw /households/{id}/devices/"
    assert load.page_label("manager", "/tasks/team/") == "manager /tasks/team/"


def test_the_summary_gives_each_page_and_the_whole_its_rate_errors_and_percentiles() -> None:
    results = [
        load.Result("carer /", 200, 0.100, True),
        load.Result("carer /", 200, 0.300, True),
        load.Result("carer /", 500, 0.200, False),
        load.Result("ssw /tasks/", 200, 0.050, True),
    ]
    rows = {row.label: row for row in load.summarise(results, elapsed=2.0)}
    assert list(rows) == ["carer /", "ssw /tasks/", "overall"]
    carer = rows["carer /"]
    assert (carer.requests, carer.errors, carer.rate) == (3, 1, 1.5)
    assert (carer.p50, carer.p95, carer.p99) == pytest.approx((200.0, 300.0, 300.0))
    overall = rows["overall"]
    assert (overall.requests, overall.errors, overall.rate) == (4, 1, 2.0)
    assert (overall.p50, overall.p99) == pytest.approx((100.0, 300.0))


def test_the_mix_picks_roles_in_its_proportions_and_only_pages_of_the_user() -> None:
    users = {
        "carer": [{"pages": ["/", "/households/1/"]}],
        "ssw": [{"pages": ["/tasks/"]}],
        "csw": [{"pages": ["/children/2/"]}],
        "manager": [{"pages": ["/compliance/"]}],
    }
    rng = random.Random(3)
    picks = [load.choose(rng, load.MIX, users) for _ in range(20000)]
    share = {role: sum(1 for p in picks if p[0] == role) / len(picks) for role in users}
    assert share["carer"] == pytest.approx(0.40, abs=0.015)
    assert share["ssw"] == pytest.approx(0.30, abs=0.015)
    assert share["csw"] == pytest.approx(0.15, abs=0.015)
    assert share["manager"] == pytest.approx(0.15, abs=0.015)
    assert {path for role, _, path in picks if role == "carer"} == {"/", "/households/1/"}


def test_a_role_without_users_is_left_out_of_the_mix() -> None:
    users = {"carer": [{"pages": ["/"]}], "ssw": [], "manager": [{"pages": ["/"]}]}
    assert load.effective_mix(load.MIX, users) == {"carer": 0.40, "manager": 0.15}


def test_an_answer_is_read_with_its_headers_and_a_chunked_body() -> None:
    raw = (
        b"HTTP/1.1 302 Found\r\nLocation: /children/4/recordings/\r\nSet-Cookie: a=1\r\n"
        b"Set-Cookie: b=2\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    answer = load.parse_answer(raw)
    assert answer.status == 302
    assert answer.header("location") == "/children/4/recordings/"
    assert answer.headers["set-cookie"] == ["a=1", "b=2"]
    assert answer.body == b"hello world"


def test_a_csrf_token_has_the_shape_django_accepts() -> None:
    token = load.csrf_token()
    assert len(token) == 32
    assert token.isalnum()


def test_the_recording_form_is_posted_as_the_date_boxes_and_the_text_with_its_marker() -> None:
    assert prod_check.recording_form("prodcheck-ab12", "2026-03-05") == {
        "recorded_on_day": "5",
        "recorded_on_month": "3",
        "recorded_on_year": "2026",
        "category": "",
        "text": "Load check prodcheck-ab12: had tea, did homework, went to bed on time.",
    }


def test_jobs_done_are_counted_per_key_from_the_log() -> None:
    log = "\n".join(
        [
            "INFO safecare.jobs scheduled_job_done id=4 kind=daily_check key=prodcheck:drill:1",
            '{"message": "scheduled_job_done id=5 kind=daily_check key=prodcheck:drill:2", "level": "INFO"}',
            "INFO safecare.jobs scheduled_job_done id=4 kind=daily_check key=prodcheck:drill:1",
            "INFO safecare.jobs scheduled_job_done id=9 kind=daily_check key=daily:export_expiry:2026-03-05",
        ]
    )
    assert dict(prod_check.runs_per_job(log)) == {"prodcheck:drill:1": 2, "prodcheck:drill:2": 1}


def test_the_orphan_queries_count_rows_without_history_and_signatures_without_their_version() -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE rec (id INTEGER PRIMARY KEY, text TEXT);
        CREATE TABLE hist (history_id INTEGER PRIMARY KEY, id INTEGER, history_type TEXT);
        INSERT INTO rec VALUES (1, 'a'), (2, 'b'), (3, 'c');
        INSERT INTO hist VALUES (10, 1, '+'), (11, 1, '~'), (12, 3, '+');
        CREATE TABLE version (id INTEGER PRIMARY KEY);
        CREATE TABLE sig (id INTEGER PRIMARY KEY, document_type_id INTEGER, document_id INTEGER);
        INSERT INTO version VALUES (5), (6);
        INSERT INTO sig VALUES (1, 7, 5), (2, 7, 6), (3, 7, 8), (4, 9, 8);
        """
    )
    assert db.execute(prod_check.orphan_history_sql("rec", "id", "hist")).fetchone()[0] == 1
    assert db.execute(prod_check.orphan_signature_sql("sig", 7, "version", "id")).fetchone()[0] == 1


@pytest.mark.django_db
def test_a_session_made_in_the_database_is_signed_in_with_its_second_factor() -> None:
    household = HouseholdFactory()
    worker = UserFactory(service=household.service, role=Role.SUPERVISING_SW)
    AllocationFactory(worker=worker, household=household, kind="supervising")
    data = load_sessions.make_sessions(household.service.slug, 5, random.Random(1))

    (ssw,) = data["users"]["ssw"]
    assert ssw["username"] == worker.username
    assert ssw["pages"] == [
        "/",
        "/tasks/",
        f"/households/{household.pk}/",
        f"/households/{household.pk}/devices/",
    ]
    assert data["users"]["carer"] == []
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = ssw["cookie"]
    response = client.get("/tasks/")
    assert response.status_code == 200
    assert response.wsgi_request.user == worker
    assert response.wsgi_request.user.is_verified()
