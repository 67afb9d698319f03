from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "safecare.standards"
    label = "standards"
    verbose_name = "Standards of care"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from safecare.core.models import FosteringService

        # The procedure's duties are declared when the app loads (core.tasks registry).
        from . import (
            duties,  # noqa: F401
            jobs,  # noqa: F401  (the SOC-5 daily check, core.jobs)
            services_visit,  # noqa: F401  (SOC-4: a signed visit record is never changed: its save guards)
            subscribers,  # noqa: F401  (SOC-11: a resignation during a process, core.events)
        )
        from .nms import service_created

        # A new fostering service gets the National Minimum Standards list (SOC-4).
        post_save.connect(service_created, sender=FosteringService, dispatch_uid="standards_seed_nms")
