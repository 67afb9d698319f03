from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, post_migrate, post_save


class CoreConfig(AppConfig):
    name = "safecare.core"
    label = "core"
    verbose_name = "Safecare core"

    def ready(self) -> None:
        # Duties follow the worker who holds the case (core.tasks subscribes to case events);
        # sessions note their sign-in time for the absolute limit (middleware.record_sign_in_time);
        # wrong passwords count against the account whatever the address (lockout).
        # Scheduled work: Huey's every-minute trigger of run_due_jobs (jobs, decision 0033).
        from . import jobs, lockout, middleware, tasks  # noqa: F401
        from .append_only import check_triggers, install_after_migrate

        # rules: Everywhere: every history table and every append-only one refuses UPDATE and
        # DELETE in the database, installed after each migrate and checked (decision 0021).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="safecare_append_only")
        # Deadlines read the closure days from memory while the service's stamp is current.
        from .calendars import closures_changed

        closure_day = self.get_model("ClosureDay")
        post_save.connect(closures_changed, sender=closure_day, dispatch_uid="safecare_closures_saved")
        post_delete.connect(closures_changed, sender=closure_day, dispatch_uid="safecare_closures_deleted")
        checks.register(check_triggers, checks.Tags.database)
