from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "safecare.households"
    label = "households"
    verbose_name = "Households, children and placements"
