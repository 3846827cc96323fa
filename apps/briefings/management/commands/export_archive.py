from pathlib import Path

from django.core.management import BaseCommand

from apps.briefings.archive import export_archive


class Command(BaseCommand):
    help = "Write the whole archive (all content, users, revisions and media) to one file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive file to write, e.g. backup.zip")

    def handle(self, *args, path, **options):
        manifest = export_archive(path)
        self.stdout.write(
            f"Wrote {path}: {manifest['objects']} records and {manifest['media']} media files."
        )
