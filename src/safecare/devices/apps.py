from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "safecare.devices"
    label = "devices"
    verbose_name = "Cameras and microphones, and CCTV exception requests"
