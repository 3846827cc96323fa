from django.core.management import BaseCommand, CommandError

from apps.background import jobs
from apps.background.models import Job
from apps.briefings import backups


class Command(BaseCommand):
    help = (
        "Back up the whole archive into the backups storage (BACKUP_BUCKET_NAME or "
        "BACKUP_DIR), keeping the newest BACKUP_KEEP; for cron or a systemd timer. The run "
        "is kept as a job on the admin's Background jobs page."
    )

    def handle(self, *args, **options):
        run_now(self, Job.Kind.BACKUP)


def run_now(command, kind):
    """Run a backup or drill job in this process and print its outcome; a failed job is a
    command error (a non-zero exit, for cron)."""
    job = backups.start(kind, queue=False)
    jobs.run(job.pk, worker_id=command.__module__.rsplit(".", 1)[-1])
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        raise CommandError("\n".join(problem["message"] for problem in job.errors))
    result = job.result
    if job.kind == Job.Kind.BACKUP:
        command.stdout.write(
            f"Stored {result['backup']} ({result['bytes'] / 1024 / 1024:.1f} MB): "
            f"{result['records']} records, {result['media']} media files, "
            f"{result['pages']} pages fingerprinted."
            + (f" Removed {', '.join(result['removed'])}." if result["removed"] else "")
        )
    else:
        command.stdout.write(
            f"Restored {result['backup']} into a scratch database: all {result['pages']} "
            "pages compared are the same as when it was made."
        )
