from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "safecare.supervision"
    label = "supervision"
    verbose_name = "Recordings and supervisions"
