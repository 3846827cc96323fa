from pathlib import Path

from django.core.management import BaseCommand, CommandError

from apps.briefings.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = "Restore an archive written by export_archive into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive file to read")

    def handle(self, *args, path, **options):
        try:
            manifest = import_archive(path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {path}: {manifest['objects']} records and {manifest['media']} media files."
        )
