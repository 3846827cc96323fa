from pathlib import Path

from django.core.management import BaseCommand, CommandError

from apps.briefings.importer.parse import NotABriefing
from apps.briefings.importer.save import DuplicateBriefing, import_briefing


class Command(BaseCommand):
    help = (
        "Import briefings exported as text from a PDF or web page, each as a draft issue. "
        "Reports every line it could not place."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Replace an earlier import of a briefing."
        )

    def handle(self, *args, files, replace, **options):
        failed = 0
        for path in files:
            try:
                report = import_briefing(path.read_bytes(), name=path.name, replace=replace)
            except (NotABriefing, DuplicateBriefing) as error:
                failed += 1
                self.stderr.write(f"{path}: {error}")
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: cannot be read ({error.strerror}).")
            else:
                self.stdout.write(f"{path}:")
                for line in report.lines():
                    self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported.")
