from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "safecare.files"
    label = "files"
    verbose_name = "Confidential documents, photos and subject access"

    def ready(self) -> None:
        # Duties, permissions, case-event subscribers and scheduled jobs (core.tasks, core.events, core.jobs).
        from . import duties, jobs, rules, subscribers  # noqa: F401
