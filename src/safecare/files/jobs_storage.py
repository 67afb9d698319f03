"""Scheduled work of the files app (core.jobs)."""

from __future__ import annotations
