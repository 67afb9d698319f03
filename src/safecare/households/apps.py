from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "safecare.households"
    label = "households"
    verbose_name = "Households, children and placements"

    def ready(self) -> None:
        # The kinds of duty this app declares (core.tasks.duty), registered at start-up.
        from . import duties  # noqa: F401
