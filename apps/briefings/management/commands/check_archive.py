from django.core.management import BaseCommand, CommandError

from apps.briefings import editing, integrity


class Command(BaseCommand):
    help = (
        "List what the stored archive breaks of the rules: published issues that are not "
        "complete, policy documents stored more than once, records nothing uses, pending "
        "changes that link to deleted records. With --fix, merge duplicate documents (each "
        "merge is recorded, and the old address redirects to the kept document)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Merge duplicate documents.")

    def handle(self, *args, fix, **options):
        if fix:
            for group in integrity.duplicate_documents():
                keep, *duplicates = group
                names = ", ".join(f"#{d.pk}" for d in duplicates)
                editing.merge_documents(keep, duplicates, user=None)
                self.stdout.write(f"Merged {names} into #{keep.pk} “{keep}”.")
        findings = integrity.check()
        for finding in findings:
            self.stdout.write(f"[{finding.kind}] {finding.text}")
        serious = [f for f in findings if f.kind != "orphan"]
        if not findings:
            self.stdout.write("The archive keeps every rule.")
        if serious:
            raise CommandError(f"{len(serious)} problems found.")
