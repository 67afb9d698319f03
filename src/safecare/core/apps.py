from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safecare.core"
    label = "core"
    verbose_name = "Safecare core"

    def ready(self) -> None:
        # Duties follow the worker who holds the case (core.tasks subscribes to case events).
        from . import tasks  # noqa: F401
