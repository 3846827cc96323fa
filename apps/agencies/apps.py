from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "apps.agencies"
    verbose_name = "Agencies"
