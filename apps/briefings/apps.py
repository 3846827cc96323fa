from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "apps.briefings"
    verbose_name = "Briefings"

    def ready(self):
        from . import pagecache  # noqa: F401  (follows published changes)
