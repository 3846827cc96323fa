from django.core.management import BaseCommand
from django.db import transaction

from apps.briefings import editing
from apps.briefings.models import Appearance, Issue


class Command(BaseCommand):
    help = (
        "Make the search index and the agency and person trackers of every published issue "
        "again, and move the page cache on: after loading fixtures by hand or upgrading "
        "from a version without them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Only when published issues have no tracker rows yet (an upgraded archive).",
        )

    def handle(self, *args, if_needed, **options):
        published = Issue.objects.filter(status=Issue.Status.PUBLISHED)
        if if_needed and (not published.exists() or Appearance.objects.exists()):
            return
        with transaction.atomic():
            editing.announce(published.values_list("pk", flat=True))
        self.stdout.write("Reindexed every published issue.")
