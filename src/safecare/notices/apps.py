from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "safecare.notices"
    label = "notices"
    verbose_name = "Carers' notices, risk assessments and care arrangements"
