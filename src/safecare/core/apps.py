from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safecare.core"
    label = "core"
    verbose_name = "Safecare core"
