from django.core.management import BaseCommand

from apps.briefings import heroes


class Command(BaseCommand):
    help = (
        "Make, here and now, the renditions of every hero image whose pages do not list "
        "them: after restoring an archive made by a version that named renditions "
        "otherwise. New uploads need no command: a background job makes theirs."
    )

    def handle(self, *args, **options):
        count = heroes.make_missing(self.stdout)
        if count:
            self.stdout.write(f"Made the sizes of {count} image{'s' if count != 1 else ''}.")
