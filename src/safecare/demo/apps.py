from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safecare.demo"
    label = "demo"
    verbose_name = "Demo service (seed_demo, demo_code): never on a real deployment"
