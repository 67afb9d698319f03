"""Access table of the weekly checks (SC-4, SC-5, SC-7, SC-10, DV-*): safecare.compliance.

The checks are run by the service-wide readers (frank, helen, harry: every household of the
service) and by the fostering team manager (fiona: her team's households), who hold
compliance.run_checks; olga, head of service of South, runs them over South's households only
(tests/compliance/test_checks.py shows she never sees North's). Everyone else, carers and workers included, gets 404, on the list of
checks, on each check's page and on each check's API route.
"""

from __future__ import annotations

from typing import Any

CHECKERS = {"frank", "helen", "harry", "fiona", "olga"}
SLUGS = ["supervision", "unread-recordings", "agreement-reviews", "child-agreements", "devices"]


def _page(name: str, **kwargs: str) -> dict[str, Any]:
    return {"name": name, "kwargs": kwargs, "method": "GET", "allowed": CHECKERS, "own": None, "other": None}


ROUTES: list[dict[str, Any]] = [
    _page("compliance:checks"),
    *[_page("compliance:check", check=slug) for slug in SLUGS],
    *[{**_page("compliance-check-detail", check=slug), "api": True} for slug in SLUGS],
]
