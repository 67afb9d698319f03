"""Access table of the compliance report (decision 0049): its pages and its API.

No object of their own: the report counts the reader's reach (compliance.scope). The readers
are the service-wide managers (frank, helen, harry), the team managers (fiona, tom) and the
workers (asha, sam, chris, and sue, a service manager, who reads her own duties); nobody else,
not the carers, business support, panel members, the agency decision maker or the service
administrator. olga reads her own service's figures.
"""

from __future__ import annotations

from typing import Any

from .table_standards_api import _api

READERS = {"frank", "helen", "harry", "fiona", "tom", "sam", "asha", "chris", "sue"}


def _page(name: str) -> dict[str, Any]:
    return {"name": name, "kwargs": {}, "method": "GET", "allowed": READERS | {"olga"}}


ROUTES: list[dict[str, Any]] = [
    _page("compliance:report"),
    _page("compliance:duties"),
    _page("compliance:figures_csv"),
    _api("compliance-figures-list", "GET", READERS | {"olga"}),
    _api("compliance-duty-list", "GET", READERS | {"olga"}),
]
