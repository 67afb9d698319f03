"""What the files rules do by themselves on a date (core.jobs): subject access exports built and
expired, records past their retention period listed, and blobs without a row swept away."""

from __future__ import annotations
