"""``{% load once %}{% once_token %}``: the one-time token of a creation form (core.once)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from safecare.core.once import hidden_field

register = template.Library()


@register.simple_tag
def once_token() -> SafeString:
    return hidden_field()
