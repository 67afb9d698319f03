"""A long list counts no further than people page: "more than" past the limit (decision 0055)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecare.core.models import User
from safecare.core.pagination import BoundedPaginator
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_people() -> object:
    service = ServiceFactory()
    UserFactory.create_batch(7, service=service)
    return User.objects.filter(service=service).order_by("pk")


def test_within_the_limit_the_count_is_the_rows(seven_people: object) -> None:
    paginator = BoundedPaginator(seven_people, 2, limit=7)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (7, False, 4)


def test_past_the_limit_the_count_stops_and_says_so(seven_people: object) -> None:
    paginator = BoundedPaginator(seven_people, 2, limit=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    # The last page holds the limit's last row; the rows after it are reached by filtering.
    assert len(paginator.page(3).object_list) == 1


def test_the_count_reads_at_most_one_row_past_the_limit(seven_people: object) -> None:
    with CaptureQueriesContext(connection) as queries:
        BoundedPaginator(seven_people, 2, limit=5).count  # noqa: B018
    (query,) = queries.captured_queries
    assert "LIMIT 6" in query["sql"]
