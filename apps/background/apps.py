from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "apps.background"
    label = "background"
    verbose_name = "Background jobs"
