from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "safecare.devices"
    label = "devices"
    verbose_name = "Cameras and microphones, and CCTV exception requests"

    def ready(self) -> None:
        # Case events and approval checks this app subscribes to (safecare.core.events).
        from . import subscribers  # noqa: F401
