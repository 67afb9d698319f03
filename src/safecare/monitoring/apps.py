from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "safecare.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring a young person's internet use"

    def ready(self) -> None:
        # The procedure's duties and its scheduled end of monitoring (core.tasks, core.jobs).
        from . import duties, jobs, rules  # noqa: F401
