import json

from django.core.management import BaseCommand

from apps.briefings.backups import page_fingerprints


class Command(BaseCommand):
    help = "Print the status and SHA-256 of public pages (a JSON list of paths), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("paths", help='A JSON list of paths, e.g. ["/", "/issues/"]')

    def handle(self, *args, paths, **options):
        self.stdout.write(json.dumps(page_fingerprints(json.loads(paths))))
