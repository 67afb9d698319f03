"""Refusals as every service gives them: a dict of field → messages, each naming the field and
the rule, raised as one ValidationError so pages and the API show the same reasons."""

from __future__ import annotations


def add_error(errors: dict[str, list[str]], field: str, message: str) -> None:
    """Add `message` to the refusals of `field`."""
    errors.setdefault(field, []).append(message)
