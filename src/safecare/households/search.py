"""Staff search: households, children and the people of households the user may see (decision 0028).

Every kind is searched inside the user's scope (core.access, through households.access), so a
search can never find a record its reader could not open. A reference ("H-00012", "c-7") finds
that record; otherwise every word typed must match: a household's name or postcode, a child's
or a person's first or last name. Matching ignores case, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace

from safecare.core.models import User
from safecare.households.access import children_visible_to, households_visible_to

from .models import Child, Household, HouseholdMember

# (key, heading) in the order the results page shows them.
KINDS = [
    ("households", "Households"),
    ("children", "Children"),
    ("people", "People in households"),
]
KIND_LABELS = dict(KINDS)

REFERENCE = re.compile(r"^\s*([hc])-?0*(\d{1,9})\s*$", re.IGNORECASE)


@dataclass
class Results:
    households: QuerySet[Household]
    children: QuerySet[Child]
    people: QuerySet[HouseholdMember]

    def of(self, kind: str) -> QuerySet[Any]:
        kinds: dict[str, QuerySet[Any]] = {
            "households": self.households,
            "children": self.children,
            "people": self.people,
        }
        return kinds[kind]


def _words(query: str) -> list[str]:
    return query.split()[:8]


def _name_matches(words: list[str], *fields: str) -> Q:
    """Every word in one of the fields."""
    match = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        match &= any_field
    return match


def search(user: User, query: str) -> Results:
    """What `query` finds among the records `user` may see, each kind in its list's order."""
    households = households_visible_to(user)
    children = children_visible_to(user)
    members = HouseholdMember.objects.filter(household__in=households)
    if not query.strip():
        return Results(households=households.none(), children=children.none(), people=members.none())
    reference = REFERENCE.match(query)
    if reference:
        letter, number = reference.group(1).lower(), int(reference.group(2))
        return Results(
            households=(households.filter(pk=number) if letter == "h" else households.none()),
            children=(children.filter(pk=number) if letter == "c" else children.none()),
            people=members.none(),
        )
    words = _words(query)
    # A postcode is matched without its spaces, as people type it either way.
    compact = "".join(words)
    by_postcode = Q(compact_postcode__icontains=compact) if len(compact) >= 2 else Q(pk__in=[])
    return Results(
        households=households.annotate(compact_postcode=Replace("postcode", Value(" "), Value("")))
        .filter(_name_matches(words, "name") | by_postcode)
        .order_by("name", "id"),
        children=children.filter(_name_matches(words, "first_name", "last_name")).order_by(
            "last_name", "first_name", "id"
        ),
        people=members.filter(_name_matches(words, "first_name", "last_name"))
        .select_related("household")
        .order_by("last_name", "first_name", "id"),
    )
