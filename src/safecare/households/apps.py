from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import pre_migrate


def _trigram_extension(*, using: str = "default", **kwargs: Any) -> None:
    """pg_trgm, as households migration 0002 installs it, before any table is made.

    A database made from the models rather than the migrations (the test suite's) needs it too:
    the staff search asks PostgreSQL for close spellings (decision 0028).
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class HouseholdsConfig(AppConfig):
    name = "safecare.households"
    label = "households"
    verbose_name = "Households, children and placements"

    def ready(self) -> None:
        # The kinds of duty this app declares (core.tasks.duty), registered at start-up.
        from . import duties  # noqa: F401

        pre_migrate.connect(_trigram_extension, sender=self, dispatch_uid="safecare_trigram_extension")
