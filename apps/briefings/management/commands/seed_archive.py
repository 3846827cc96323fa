from django.core.management import BaseCommand, call_command

from apps.briefings.models import Issue


class Command(BaseCommand):
    help = "Load the seed archive (fixtures/seed.json) into an archive that has no issues yet."

    def handle(self, *args, **options):
        if Issue.objects.exists():
            self.stdout.write("The archive already has issues; the seed archive was not loaded.")
            return
        call_command("loaddata", "seed", verbosity=0)
        self.stdout.write(f"Loaded the seed archive: {Issue.objects.count()} issues.")
