from django.core.management import BaseCommand
from django.db import transaction

from apps.search.index import bulk_writes, index_issues


class Command(BaseCommand):
    help = "Make the search index of every published issue again (after loading fixtures)."

    def handle(self, *args, **options):
        # In one transaction: searches read the old index until the new one is whole.
        with bulk_writes(), transaction.atomic():
            made = index_issues()
        self.stdout.write(f"Indexed {made} issues, stories and noteworthy items.")
