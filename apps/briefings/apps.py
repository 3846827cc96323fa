from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "apps.briefings"
    verbose_name = "Briefings"

    def ready(self):
        from . import pagecache, trackers  # noqa: F401  (they follow published changes)
