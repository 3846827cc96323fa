from django.core.management import BaseCommand

from apps.background.models import Job

from .backup_archive import run_now


class Command(BaseCommand):
    help = (
        "Restore the newest backup into a scratch database (dropped afterwards) and compare "
        "its pages with those fingerprinted when it was made; exits non-zero when any "
        "differs or the restore fails. The run is kept as a job on the admin's Background "
        "jobs page."
    )

    def handle(self, *args, **options):
        run_now(self, Job.Kind.DRILL)
