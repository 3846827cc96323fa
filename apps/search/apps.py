from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = "Search"

    def ready(self):
        from apps.briefings.derived import BULK_WRITERS
        from apps.briefings.signals import published_content_changed

        from . import index

        published_content_changed.connect(index.follow, dispatch_uid="search-index")
        if index.bulk_writes not in BULK_WRITERS:
            BULK_WRITERS.append(index.bulk_writes)
