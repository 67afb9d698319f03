from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "safecare.notices"
    label = "notices"
    verbose_name = "Carers' notices, risk assessments and care arrangements"

    def ready(self) -> None:
        # Case events and approval checks this app subscribes to (safecare.core.events).
        from . import subscribers  # noqa: F401
