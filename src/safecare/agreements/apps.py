from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "safecare.agreements"
    label = "agreements"
    verbose_name = "Safe Caring Family Agreements and child-specific agreements"

    def ready(self) -> None:
        # Case events and approval checks this app subscribes to (safecare.core.events).
        from . import subscribers  # noqa: F401
