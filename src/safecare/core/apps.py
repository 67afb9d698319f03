from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safecare.core"
    label = "core"
    verbose_name = "Safecare core"

    def ready(self) -> None:
        # Duties follow the worker who holds the case (core.tasks subscribes to case events);
        # sessions note their sign-in time for the absolute limit (middleware.record_sign_in_time).
        from . import middleware, tasks  # noqa: F401
