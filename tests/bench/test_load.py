"""The load test's and the production check's own parts, without a server.

The load itself (`make bench-load`) and the fault drill (`make prod-check`) start gunicorn and are
not part of `make test`; what they compute, how they sign in and what they check is tested here.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

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


def test_the_change_notice_form_is_an_other_change_dated_today_with_its_marker_in_the_details() -> None:
    assert prod_check.notice_form("prodcheck-ab12", "2026-03-05") == {
        "kind": "other",
        "happened_on_day": "5",
        "happened_on_month": "3",
        "happened_on_year": "2026",
        "details": "Load check prodcheck-ab12: a neighbour will call in on Saturdays.",
    }


def test_the_signature_form_sends_the_hash_shown_and_the_ticked_box() -> None:
    assert prod_check.signature_form("9f" * 32) == {"content_hash": "9f" * 32, "confirm": "on"}


def test_a_marker_is_found_in_a_text_and_counted_once_per_text() -> None:
    marker = prod_check.new_marker()
    assert marker.startswith("prodcheck-") and len(marker) == len("prodcheck-") + 16
    texts = [
        "Load check prodcheck-ab12: had tea.",
        "Load check prodcheck-ab12: had tea.",
        "Load check prodcheck-cd34: had tea, prodcheck-ab12 too.",
        "No marker here.",
    ]
    assert dict(prod_check.markers_in(texts)) == {"prodcheck-ab12": 2, "prodcheck-cd34": 1}


def test_an_agreement_section_carries_only_this_drills_marker() -> None:
    first = prod_check.with_marker("No smoking in the house.", "prodcheck-ab12")
    assert first == "No smoking in the house. (load check prodcheck-ab12)"
    assert (
        prod_check.with_marker(first, "prodcheck-cd34")
        == "No smoking in the house. (load check prodcheck-cd34)"
    )


def test_a_signature_write_is_keyed_by_the_versions_marker_and_the_signer() -> None:
    key = prod_check.signature_key("prodcheck-ab12", "carer.jones")
    assert key == "prodcheck-ab12 carer.jones"
    assert prod_check.parse_signature_key(key) == ("prodcheck-ab12", "carer.jones")
    with pytest.raises(ValueError):
        prod_check.parse_signature_key("prodcheck-ab12")
    with pytest.raises(ValueError):
        prod_check.parse_signature_key("other-ab12 carer.jones")


def test_only_the_redirect_to_what_was_saved_acknowledges_a_write() -> None:
    assert prod_check.acknowledged("recording", 302, "/children/4/recordings/")
    assert prod_check.acknowledged("notice", 302, "/notices/changes/17/")
    assert prod_check.acknowledged("signature", 302, "/households/3/agreement/")
    assert prod_check.acknowledged("signature", 302, "/placements/8/agreement/")
    # The form shown again with its errors, a redirect to sign in, an error page.
    assert not prod_check.acknowledged("notice", 200, "")
    assert not prod_check.acknowledged("notice", 302, "/accounts/login/?next=/households/3/notices/change/")
    assert not prod_check.acknowledged("signature", 500, "")


def test_signatures_are_a_third_of_the_writes_or_spread_over_three_quarters_of_the_drill() -> None:
    # 144 writes expected: 108 in the first three quarters.
    assert prod_check.signature_share(100, 144) == pytest.approx(1 / 3)
    assert prod_check.signature_share(36, 144) == pytest.approx(1 / 3)
    assert prod_check.signature_share(12, 144) == pytest.approx(1 / 9)
    assert prod_check.signature_share(0, 144) == 0
    assert prod_check.signature_share(3, 0) == pytest.approx(1 / 3)


def test_writes_are_counted_sent_acknowledged_found_missing_and_doubled() -> None:
    sent = ["a", "b", "c", "d", "e"]
    acked = ["a", "b", "c"]
    # a once, b twice, c not at all; d's answer was lost but it was saved, e was not.
    found = {"a": 1, "b": 2, "c": 0, "d": 1, "e": 0}
    assert prod_check.write_counts(sent, acked, found) == {
        "sent": 5,
        "acknowledged": 3,
        "found": 2,
        "missing": 1,
        "doubled": 1,
        "unacknowledged_found": 1,
    }


def test_a_drill_write_is_a_recording_a_notice_or_a_signature_each_signature_used_once() -> None:
    sessions = {
        "today": "2026-03-05",
        "users": {
            "carer": [{"username": "carer.a", "cookie": "k1", "children": [21], "household": 3}],
            "ssw": [{"username": "ssw.b", "cookie": "k2"}],
        },
    }
    to_sign = [
        {"marker": "prodcheck-ab12", "version": "40", "hash": "h1", "signer": "carer.a"},
        {"marker": "prodcheck-ab12", "version": "40", "hash": "h1", "signer": "ssw.b"},
    ]
    drill = prod_check.Drill(0, sessions, to_sign=list(to_sign))
    rng = random.Random(5)
    kind, key, user, path, form = drill.next_write(rng, "notice")
    assert (kind, user["username"], path) == ("notice", "carer.a", "/households/3/notices/change/")
    assert form["details"] == f"Load check {key}: a neighbour will call in on Saturdays."
    kind, key, user, path, form = drill.next_write(rng, "recording")
    assert (kind, path) == ("recording", "/children/21/recordings/new/")
    assert key in form["text"]
    signed = {drill.next_write(rng, "signature")[1:4:2] for _ in range(2)}
    assert signed == {
        ("prodcheck-ab12 carer.a", "/agreements/versions/40/sign/"),
        ("prodcheck-ab12 ssw.b", "/agreements/versions/40/sign/"),
    }
    # Every version signed: the writes left are recordings and notices, half each.
    kinds = Counter(drill.next_write(rng, None)[0] for _ in range(2000))
    assert set(kinds) == {"recording", "notice"}
    assert kinds["notice"] / 2000 == pytest.approx(0.5, abs=0.05)


def test_while_versions_are_left_a_drill_write_signs_at_the_share_set() -> None:
    sessions = {
        "today": "2026-03-05",
        "users": {"carer": [{"username": "carer.a", "cookie": "k1", "children": [21], "household": 3}]},
    }
    target = {"marker": "prodcheck-ab12", "version": "40", "hash": "h1", "signer": "carer.a"}
    drill = prod_check.Drill(0, sessions, to_sign=[target] * 5000, signature_share=0.1)
    rng = random.Random(2)
    kinds = Counter(drill.next_write(rng, None)[0] for _ in range(4000))
    assert kinds["signature"] / 4000 == pytest.approx(0.1, abs=0.02)
    assert kinds["recording"] / 4000 == pytest.approx(0.45, abs=0.03)


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
