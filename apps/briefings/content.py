"""An issue's content as plain data: what a revision holds and what a restore writes back.

`snapshot(issue)` reads the whole issue — its own fields, Top 5 stories, noteworthy items
with their sources and cited agencies, credits — and, for reading and comparing only, the
documents its stories discuss (with their issuing agencies) and the names of the agencies
and people it links to. `apply(issue, content)` makes the issue's own content exactly what
a snapshot holds. It writes the issue and the rows that belong to it, never the shared
records (documents, agencies, people): those have their own history.

Rows keep their ids across a snapshot and an apply, so a revision's comparison follows a
story through edits, and feed ids and addresses built from them do not change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from apps import images
from apps.agencies.models import Agency
from apps.people.models import Person

from . import heroes, rendering
from .models import (
    Credit,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    PolicyDocument,
    SourceLink,
    Story,
)

FORMAT = 1

ISSUE_FIELDS = [
    "title",
    "slug",
    "publication_date",
    "standfirst",
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "editorial_note",
]
STORY_FIELDS = [
    "position",
    "headline",
    "slug",
    "glance_intro",
    "glance_bullets",
    "glance_outro",
    "comment",
    "box_title",
    "box_body",
]
ITEM_FIELDS = ["section", "date", "text", "position"]
CREDIT_FIELDS = ["role", "role_title", "position"]
DOCUMENT_FIELDS = ["label", "title_en", "title_zh", "url", "date", "issuer_note"]
DATE_FIELDS = {"publication_date", "date"}

Content = dict[str, Any]


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def values_of(obj, names) -> dict:
    """The named fields of a model instance as plain data."""
    return {name: _plain(getattr(obj, name)) for name in names}


def document_data(document: PolicyDocument) -> dict:
    """A policy document as a snapshot shows it, with its issuing agencies in order."""
    issuers = sorted(document.issuers.all(), key=lambda issuer: (issuer.position, issuer.id))
    return {
        **values_of(document, DOCUMENT_FIELDS),
        "agencies": [issuer.agency_id for issuer in issuers],
    }


def snapshot(issue: Issue) -> Content:
    """The whole content of an issue as it is stored now."""
    issue = Issue.objects.get(pk=issue.pk)
    stories = list(issue.stories.order_by("position", "id"))
    items = list(
        issue.noteworthy_items.prefetch_related("sources", "noteworthyagency_set").order_by(
            "section", "position", "id"
        )
    )
    credits = list(issue.credits.order_by("role", "position", "id"))
    document_ids = {story.document_id for story in stories if story.document_id}
    documents = PolicyDocument.objects.filter(pk__in=document_ids).prefetch_related("issuers")
    cited = {link.agency_id for item in items for link in item.noteworthyagency_set.all()}
    document_content = {}
    for document in documents:
        document_content[str(document.pk)] = document_data(document)
        cited.update(document_content[str(document.pk)]["agencies"])
    return {
        "format": FORMAT,
        "issue": values_of(issue, ISSUE_FIELDS),
        "stories": [
            {"id": story.pk, **values_of(story, STORY_FIELDS), "document": story.document_id}
            for story in stories
        ],
        "noteworthy_items": [
            {
                "id": item.pk,
                **values_of(item, ITEM_FIELDS),
                "sources": [
                    {"label": source.label, "language": source.language, "url": source.url}
                    for source in item.sources.all()
                ],
                "agencies": sorted(link.agency_id for link in item.noteworthyagency_set.all()),
            }
            for item in items
        ],
        "credits": [
            {"id": credit.pk, "person": credit.person_id, **values_of(credit, CREDIT_FIELDS)}
            for credit in credits
        ],
        # For reading and comparing only; apply() never writes them.
        "documents": document_content,
        "agencies": {
            str(pk): abbreviation
            for pk, abbreviation in Agency.objects.filter(pk__in=cited).values_list(
                "pk", "abbreviation"
            )
        },
        "people": {
            str(pk): name
            for pk, name in Person.objects.filter(
                pk__in={credit.person_id for credit in credits}
            ).values_list("pk", "name")
        },
    }


def owned(content: Content) -> Content:
    """The part of a snapshot that belongs to the issue, without row ids: two snapshots
    with equal owned parts show readers the same issue."""

    def strip(rows):
        return [{key: value for key, value in row.items() if key != "id"} for row in rows]

    return {
        "issue": content["issue"],
        "stories": strip(content["stories"]),
        "noteworthy_items": strip(content["noteworthy_items"]),
        "credits": strip(content["credits"]),
    }


def same(a: Content, b: Content) -> bool:
    return owned(a) == owned(b)


def _value(name, value):
    if name in DATE_FIELDS and value:
        return datetime.date.fromisoformat(value)
    return value


def missing_records(content: Content) -> list[str]:
    """Shared records the content links to that no longer exist, named for an editor."""
    problems = []
    wanted = {
        PolicyDocument: {s["document"] for s in content["stories"] if s.get("document")},
        Agency: {a for item in content["noteworthy_items"] for a in item["agencies"]},
        Person: {credit["person"] for credit in content["credits"]},
    }
    for model, ids in wanted.items():
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for pk in sorted(ids - found):
            if model is PolicyDocument:
                document = content["documents"].get(str(pk), {})
                name = f"policy document “{document.get('title_en') or document.get('title_zh')}”"
            elif model is Agency:
                name = f"agency “{content['agencies'].get(str(pk), pk)}”"
            else:
                name = f"person “{content['people'].get(str(pk), pk)}”"
            problems.append(f"The {name} it links to has been deleted since.")
    return problems


def apply(issue: Issue, content: Content) -> None:
    """Make the issue's own content exactly `content`. Call inside a transaction with the
    issue locked; raises ValidationError, having written nothing, if the content links to
    records deleted since or takes a slug another issue now has."""
    problems = missing_records(content)
    slug = content["issue"]["slug"]
    other = Issue.objects.filter(slug=slug).exclude(pk=issue.pk).first()
    if other is not None:
        problems.append(f"Another issue, “{other.title}”, now has the slug “{slug}”.")
    if problems:
        raise ValidationError(problems)

    fields = {name: _value(name, value) for name, value in content["issue"].items()}
    hero = fields["hero_image"]
    if hero and hero != issue.hero_renditions_of:  # e.g. an earlier revision's image
        storage = issue.hero_image.storage
        made = images.renditions_made(storage, hero, fields["hero_width"])
        fields["hero_renditions_of"] = hero if made else ""
    Issue.objects.filter(pk=issue.pk).update(**fields)
    for name, value in fields.items():
        setattr(issue, name, value)
    issue._saved_hero = hero
    if hero and issue.hero_renditions_of != hero:
        heroes.make_renditions_later(hero)

    # Replace the rows with the content's, keeping each row's id unless another issue's
    # row has it: deleting first means no unique position or slug collides midway.
    issue.stories.all().delete()
    issue.noteworthy_items.all().delete()  # with their sources and cited agencies
    issue.credits.all().delete()

    def free(model, rows):
        ids = {row["id"] for row in rows if row.get("id")}
        return ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))

    story_ids = free(Story, content["stories"])
    stories = [
        Story(
            pk=row["id"] if row.get("id") in story_ids else None,
            issue=issue,
            document_id=row.get("document"),
            **{name: _value(name, row[name]) for name in STORY_FIELDS},
        )
        for row in content["stories"]
    ]
    for story in stories:
        story.render()
    Story.objects.bulk_create(stories)
    item_ids = free(NoteworthyItem, content["noteworthy_items"])
    rows = content["noteworthy_items"]
    items = [
        NoteworthyItem(
            pk=row["id"] if row.get("id") in item_ids else None,
            issue=issue,
            **{name: _value(name, row[name]) for name in ITEM_FIELDS},
        )
        for row in rows
    ]
    for item in items:
        item.render()
    items = NoteworthyItem.objects.bulk_create(items)
    SourceLink.objects.bulk_create(
        SourceLink(item=item, position=n, **source)
        for item, row in zip(items, rows, strict=True)
        for n, source in enumerate(row["sources"], start=1)
    )
    NoteworthyAgency.objects.bulk_create(
        NoteworthyAgency(item=item, agency_id=agency)
        for item, row in zip(items, rows, strict=True)
        for agency in row["agencies"]
    )
    credit_ids = free(Credit, content["credits"])
    Credit.objects.bulk_create(
        Credit(
            pk=row["id"] if row.get("id") in credit_ids else None,
            issue=issue,
            person_id=row["person"],
            **{name: row[name] for name in CREDIT_FIELDS},
        )
        for row in content["credits"]
    )
    issue.count_words()
    Issue.objects.filter(pk=issue.pk).update(**rendering.out_of_date())


def document_ids(content: Content) -> set[int]:
    return {row["document"] for row in content["stories"] if row.get("document")}


def agency_ids(content: Content) -> set[int]:
    """Agencies the content shows: issuers of its documents and cited agencies."""
    ids = {a for item in content["noteworthy_items"] for a in item["agencies"]}
    for document in content["documents"].values():
        ids.update(document["agencies"])
    return ids


def person_ids(content: Content) -> set[int]:
    return {row["person"] for row in content["credits"]}
