from django.core.management import BaseCommand
from django.db import transaction

from apps.briefings import editing
from apps.briefings.models import Issue


class Command(BaseCommand):
    help = (
        "Make the search index and the agency and person trackers of every published issue "
        "again, and move the page cache on: after loading fixtures or upgrading."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            editing.announce(Issue.objects.values_list("pk", flat=True))
        self.stdout.write("Reindexed every published issue.")
