"""Scheduled work of inspection packs (core.jobs): built by the job runner, erased after expiry."""
