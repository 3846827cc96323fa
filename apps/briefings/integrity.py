"""What the stored data breaks of the rules: published issues that are not complete,
policy documents stored twice, records nothing uses, pending changes that link to deleted
records. `python manage.py check_archive` lists them; with `--fix` it merges duplicate
documents through the editing layer (see `editing.merge_documents`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from apps.agencies.models import Agency
from apps.people.models import Person

from . import content as issue_content
from .models import Issue, PolicyDocument, Revision


def title_key(text: str) -> str:
    """A title without case, spaces or punctuation, for telling whether two are the same."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass
class Finding:
    kind: str  # "incomplete", "duplicates", "orphan", "broken pending"
    text: str


def incomplete_published_issues() -> list[Finding]:
    findings = []
    issues = Issue.objects.filter(status=Issue.Status.PUBLISHED).prefetch_related(
        "stories__document__issuers"
    )
    for issue in issues:
        problems = issue.live_problems()
        if problems:
            findings.append(
                Finding("incomplete", f"“{issue.title}” ({issue.slug}) is published but: "
                        + " ".join(problems))
            )  # fmt: skip
    return findings


def duplicate_documents() -> list[list[PolicyDocument]]:
    """Groups of documents that are one: the same date and the same English title, Chinese
    title or address. Each group is ordered oldest first."""
    documents = list(PolicyDocument.objects.order_by("id"))
    parent = {document.pk: document.pk for document in documents}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    seen = {}
    for document in documents:
        keys = [
            ("en", title_key(document.title_en)),
            ("zh", title_key(document.title_zh)),
            ("url", document.url.strip()),
        ]
        for kind, value in keys:
            if not value:
                continue
            key = (document.date, kind, value)
            if key in seen:
                a, b = root(seen[key]), root(document.pk)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                seen[key] = document.pk
    groups = {}
    for document in documents:
        groups.setdefault(root(document.pk), []).append(document)
    return [group for group in groups.values() if len(group) > 1]


def unused(among: dict | None = None) -> dict:
    """{model: queryset} of the documents no story discusses, the agencies no document or
    noteworthy item names and the people no issue credits, that no pending changes link
    to either; with `among` ({model: ids}), only those."""
    pending = [
        revision.content
        for revision in Revision.objects.filter(
            pk__in=Issue.objects.exclude(pending_revision=None).values("pending_revision")
        )
    ]
    records = {
        PolicyDocument: (PolicyDocument.objects.filter(stories=None), issue_content.document_ids),
        Agency: (Agency.objects.filter(issued=None, citations=None), issue_content.agency_ids),
        Person: (Person.objects.filter(credits=None), issue_content.person_ids),
    }
    found = {}
    for model, (queryset, linked) in records.items():
        queryset = queryset.exclude(pk__in={pk for content in pending for pk in linked(content)})
        if among is not None:
            queryset = queryset.filter(pk__in=among.get(model, ()))
        found[model] = queryset
    return found


def orphans() -> list[Finding]:
    records = unused()
    findings = [
        Finding("orphan", f"Policy document #{document.pk} “{document}” is discussed by no story.")
        for document in records[PolicyDocument]
    ]
    findings += [
        Finding("orphan", f"Agency “{agency.abbreviation}” issues no document and is cited by "
                "no noteworthy item.")
        for agency in records[Agency]
    ]  # fmt: skip
    findings += [
        Finding("orphan", f"Person “{person.name}” is credited on no issue.")
        for person in records[Person]
    ]
    return findings


def broken_pending() -> list[Finding]:
    findings = []
    for issue in Issue.objects.exclude(pending_revision=None).select_related("pending_revision"):
        for problem in issue_content.missing_records(issue.pending_revision.content):
            findings.append(
                Finding("broken pending", f"Pending changes of “{issue.title}”: {problem}")
            )
    return findings


def check() -> list[Finding]:
    """Every finding, most serious first."""
    findings = incomplete_published_issues() + broken_pending()
    for group in duplicate_documents():
        names = "; ".join(f"#{document.pk} “{document}”" for document in group)
        findings.append(Finding("duplicates", f"One document stored {len(group)} times: {names}"))
    return findings + orphans()
