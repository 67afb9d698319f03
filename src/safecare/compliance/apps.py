from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "safecare.compliance"
    label = "compliance"
    verbose_name = "Compliance reports, weekly checks and inspection packs"

    def ready(self) -> None:
        # Permissions and scheduled jobs (core.jobs).
        from . import jobs, rules  # noqa: F401
