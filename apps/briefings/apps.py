from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "apps.briefings"
    verbose_name = "Briefings"
