"""A published archive of any size, made with bulk inserts so that 200 issues are quick."""

import datetime

from django.db import connection
from django.utils import timezone

from apps.agencies.models import Agency
from apps.briefings import editing
from apps.briefings.models import (
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    PolicyDocument,
    SourceLink,
    Story,
)
from apps.people.models import Person

AGENCIES = ["MIIT", "NDRC", "State Council", "CAC", "MOF", "MOST", "SAMR", "Xinhua"]


def make_archive(issues, start=0):
    """`issues` more published issues, each complete, sharing agencies and people."""
    agencies = [
        Agency.objects.get_or_create(
            abbreviation=name, defaults={"slug": name.lower().replace(" ", "-")}
        )[0]
        for name in AGENCIES
    ]
    people = [
        Person.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in ["alexander-brown", "gregor-sebastian", "rebecca-arcesati"]
    ]
    first = datetime.date(2005, 1, 3)
    made = Issue.objects.bulk_create(
        Issue(
            title=f"Issue {n} + Chips + Batteries",
            slug=f"archive-issue-{n}",
            publication_date=first + datetime.timedelta(days=30 * n),
            status=Issue.Status.PUBLISHED,
            publish_at=timezone.now() - datetime.timedelta(days=1),
        )
        for n in range(start, start + issues)
    )
    documents = PolicyDocument.objects.bulk_create(
        PolicyDocument(title_en=f"Plan {i.pk}-{p}", title_zh=f"计划{i.pk}-{p}")
        for i in made
        for p in range(1, 6)
    )
    DocumentAgency.objects.bulk_create(
        DocumentAgency(document=d, agency=agencies[d.pk % len(agencies)]) for d in documents
    )
    Story.objects.bulk_create(
        rendered(
            Story(
                issue=issue,
                position=p,
                slug=f"story-{p}",
                headline=f"Story {p} of issue {issue.pk}",
                glance_intro="Targets include semiconductors.",
                glance_bullets="One\nTwo",
                comment="A comment.\n\nAnother paragraph.",
                document=documents[5 * index + p - 1],
            )
        )
        for index, issue in enumerate(made)
        for p in range(1, 6)
    )
    items = NoteworthyItem.objects.bulk_create(
        rendered(
            NoteworthyItem(
                issue=issue,
                section=1 + n % 2,
                date=issue.publication_date - datetime.timedelta(days=n),
                text=f"News {n} about batteries",
                position=n,
            )
        )
        for issue in made
        for n in range(6)
    )
    SourceLink.objects.bulk_create(
        SourceLink(item=item, label=label, language=lang, position=p)
        for item in items
        for p, (label, lang) in enumerate([("MIIT notice", "CN"), ("Reuters article", "EN")])
    )
    NoteworthyAgency.objects.bulk_create(
        NoteworthyAgency(item=item, agency=agencies[item.pk % len(agencies)]) for item in items
    )
    Credit.objects.bulk_create(
        Credit(issue=issue, person=people[issue.pk % len(people)], role=Credit.Role.AUTHOR)
        for issue in made
    )
    for issue in made:
        issue.count_words()
    editing.announce([issue.pk for issue in made])
    return made


def rendered(row):
    row.render()
    return row


def search_index_takes_entries_straight_into_its_tree() -> bool:
    """The search index's GIN takes new entries into its tree, with no pending list that
    every search would read through until a vacuum (always so off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_entry_vector_gin'")
        return "fastupdate=off" in cursor.fetchone()[0]
