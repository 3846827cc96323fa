from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import BaseCommand, CommandError

from apps.briefings.importer.parse import NotABriefing
from apps.briefings.importer.save import DuplicateBriefing, IncompleteBriefing, import_briefing


class Command(BaseCommand):
    help = (
        "Import briefings (plain text exported from the PDF or web page, Markdown, or a web "
        "page saved as HTML), each as a draft issue, as the system. Reports every fragment "
        "it could not place or had to guess; --dry-run reports without saving."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Replace an earlier import of a briefing."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; save nothing."
        )
        parser.add_argument(
            "--incomplete",
            action="store_true",
            help="Import a briefing that looks cut off (fewer than five stories, or no "
            "Noteworthy section) all the same.",
        )

    def handle(self, *args, files, replace, dry_run, incomplete, **options):
        failed = 0
        for path in files:
            try:
                report = import_briefing(
                    path.read_bytes(),
                    name=path.name,
                    replace=replace,
                    dry_run=dry_run,
                    incomplete=incomplete,
                )
            except IncompleteBriefing as error:
                failed += 1
                self.stderr.write(f"{path}: {error} (--incomplete imports it anyway)")
            except (NotABriefing, DuplicateBriefing, PermissionDenied) as error:
                failed += 1
                self.stderr.write(f"{path}: {error}")
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{path}: {' '.join(error.messages)}")
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: cannot be read ({error.strerror}).")
            else:
                self.stdout.write(f"{path}:")
                for line in report.lines():
                    self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported.")
