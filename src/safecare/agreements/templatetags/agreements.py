"""The capacity a person signed an agreement in, in the policies' words, as the printed form names it."""

from __future__ import annotations

from django import template

from safecare.agreements.services import CAPACITY_LABELS

register = template.Library()


@register.filter
def capacity_label(signed_as: str) -> str:
    """ "SSW" becomes "Supervising social worker", "CSW" "Child's social worker"; anything else is shown as stored."""
    return CAPACITY_LABELS.get(signed_as, signed_as)
