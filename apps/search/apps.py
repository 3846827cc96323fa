from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = "Search"

    def ready(self):
        from apps.briefings.signals import published_content_changed

        from . import index

        published_content_changed.connect(index.follow, dispatch_uid="search-index")
