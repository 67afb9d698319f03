from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DevicesConfig(AppConfig):
    name = "safecare.devices"
    label = "devices"
    verbose_name = "Cameras and microphones, and CCTV exception requests"

    def ready(self) -> None:
        # Case events and approval checks this app subscribes to (safecare.core.events).
        from . import jobs, subscribers  # noqa: F401
        from .levels import install_after_migrate

        # The triggers that keep each household's verdict stamp (decision 0062).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="safecare_verdict_stamps")
