from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "safecare.supervision"
    label = "supervision"
    verbose_name = "Recordings and supervisions"

    def ready(self) -> None:
        # The kinds of duty this app declares (core.tasks.duty), registered at start-up.
        from . import selectors, subscribers  # noqa: F401
