from django.core.management import BaseCommand

from apps.search.index import index_issues


class Command(BaseCommand):
    help = "Make the search index of every published issue again (after loading fixtures)."

    def handle(self, *args, **options):
        made = index_issues()
        self.stdout.write(f"Indexed {made} issues, stories and noteworthy items.")
