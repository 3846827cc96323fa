import time

from django.core.management import BaseCommand, CommandError

from apps.briefings import synthetic


class Command(BaseCommand):
    help = (
        "Add N synthetic published issues, shaped like the seed briefings, for measuring the "
        "site at scale. Refuses a database that holds real content unless --force; run it "
        "again to add more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, required=True, help="How many to add.")
        parser.add_argument(
            "--force", action="store_true", help="Add them even beside real content."
        )

    def handle(self, *args, issues, force, **options):
        if issues < 1:
            raise CommandError("Give a number of issues of at least 1.")
        started = time.monotonic()

        def progress(done):
            self.stdout.write(f"  {done} of {issues} issues ({time.monotonic() - started:.0f} s)")

        try:
            total = synthetic.generate(issues, force=force, progress=progress)
        except synthetic.RealContent as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Added {issues} synthetic issues in {time.monotonic() - started:.1f} s; "
            f"the archive holds {total}."
        )
