from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "safecare.standards"
    label = "standards"
    verbose_name = "Standards of care"

    def ready(self) -> None:
        # A new fostering service gets the National Minimum Standards list (SOC-4).
        from django.db.models.signals import post_save

        from safecare.core.models import FosteringService

        from .nms import service_created

        post_save.connect(service_created, sender=FosteringService, dispatch_uid="standards_seed_nms")
