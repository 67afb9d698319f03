"""What the files rules do by themselves on a date (core.jobs): blobs without a row swept away
(jobs_storage); subject access exports built and expired, and records past their retention
period listed (jobs_export)."""

from __future__ import annotations

from . import jobs_export, jobs_storage  # noqa: F401
