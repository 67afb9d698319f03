from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safecare.core"
    label = "core"
    verbose_name = "Safecare core"

    def ready(self) -> None:
        # Duties follow the worker who holds the case (core.tasks subscribes to case events);
        # sessions note their sign-in time for the absolute limit (middleware.record_sign_in_time);
        # wrong passwords count against the account whatever the address (lockout).
        from . import lockout, middleware, tasks  # noqa: F401
