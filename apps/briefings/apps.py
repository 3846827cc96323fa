from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "apps.briefings"
    verbose_name = "Briefings"

    def ready(self):
        from . import revisions

        revisions.register()
