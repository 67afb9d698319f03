"""Staff search: households, children and the people of households the user may see (decision 0028).

Every kind is searched inside the user's scope (core.access, through households.access), so a
search can never find a record its reader could not open. A reference ("H-00012", "c-7") finds
that record; otherwise every word typed must match: a household's name or postcode, a child's
or a person's first or last name. Matching ignores case. On PostgreSQL a word also matches a
name it is close to (pg_trgm word similarity), so "Jonse" finds Jones; on SQLite, the
embedded default, a word must be part of the name as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
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


# How close a typed word must be to a word of a name to count as a match on PostgreSQL
# (pg_trgm's word_similarity, 0 to 1): "jonse" is 0.5 from "Jones", "brown" 0 from "Smith".
CLOSE_ENOUGH = 0.45


def _fuzzy() -> bool:
    return connection.vendor == "postgresql"


def _name_matches(queryset: QuerySet[Any], words: list[str], *fields: str) -> QuerySet[Any]:
    """Those whose fields hold every word: as typed, or on PostgreSQL a close spelling of it."""
    match = Q()
    close: dict[str, TrigramWordSimilarity] = {}
    for index, word in enumerate(words):
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
            if _fuzzy():
                key = f"_close_{index}_{name}"
                close[key] = TrigramWordSimilarity(word, name)
                any_field |= Q(**{f"{key}__gte": CLOSE_ENOUGH})
        match &= any_field
    return queryset.annotate(**close).filter(match) if close else queryset.filter(match)


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
    with_postcode = households.annotate(compact_postcode=Replace("postcode", Value(" "), Value("")))
    named = _name_matches(with_postcode, words, "name").values("pk")
    return Results(
        households=with_postcode.filter(Q(pk__in=named) | by_postcode).order_by("name", "id"),
        children=_name_matches(children, words, "first_name", "last_name").order_by(
            "last_name", "first_name", "id"
        ),
        people=_name_matches(members, words, "first_name", "last_name")
        .select_related("household")
        .order_by("last_name", "first_name", "id"),
    )
