from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "safecare.agreements"
    label = "agreements"
    verbose_name = "Safe Caring Family Agreements and child-specific agreements"
