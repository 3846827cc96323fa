from django.core.management import BaseCommand, call_command
from django.db import transaction

from apps.briefings import editing
from apps.briefings.models import Issue


class Command(BaseCommand):
    help = "Load the seed archive (fixtures/seed.json) into an archive that has no issues yet."

    def handle(self, *args, **options):
        if Issue.objects.exists():
            self.stdout.write("The archive already has issues; the seed archive was not loaded.")
            return
        with transaction.atomic():
            call_command("loaddata", "seed", verbosity=0)
            editing.announce(Issue.objects.values_list("pk", flat=True))
        self.stdout.write(f"Loaded the seed archive: {Issue.objects.count()} issues.")
