"""The index behind the agency and person pages (`Appearance`): which published stories
discuss a document an agency issued, which noteworthy items cite it, which issues credit a
person, each with its date. It follows published content like the search index: the
editing layer announces which issues changed and their rows are made again."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from .derived import rebuild
from .models import Appearance, Credit, DocumentAgency, Issue, NoteworthyItem, Story
from .signals import published_content_changed


def rows_for(issue: Issue) -> list[Appearance]:
    common = {"issue": issue, "publish_at": issue.publish_at}
    rows = []
    for story in issue.stories.all():
        if story.document is None:
            continue
        for issuer in story.document.issuers.all():
            rows.append(
                Appearance(
                    kind=Appearance.Kind.STORY,
                    agency_id=issuer.agency_id,
                    story_pk=story.pk,
                    # newest issue first, then its stories in position order
                    sort=issue.pk * 16 + 15 - (story.position or 0),
                    date=issue.publication_date,
                    **common,
                )
            )
    for item in issue.noteworthy_items.all():
        for link in item.noteworthyagency_set.all():
            rows.append(
                Appearance(
                    kind=Appearance.Kind.ITEM,
                    agency_id=link.agency_id,
                    item_pk=item.pk,
                    sort=item.pk,
                    section=item.section,
                    date=item.date,
                    **common,
                )
            )
    for credit in issue.credits.all():
        rows.append(
            Appearance(
                kind=Appearance.Kind.CREDIT,
                person_id=credit.person_id,
                credit_pk=credit.pk,
                sort=issue.pk,
                date=issue.publication_date,
                **common,
            )
        )
    return rows


def published_issues():
    """Published issues with what `rows_for` reads."""
    return Issue.objects.filter(status=Issue.Status.PUBLISHED).prefetch_related(
        Prefetch(
            "stories",
            queryset=Story.objects.select_related("document").prefetch_related(
                Prefetch(
                    "document__issuers", queryset=DocumentAgency.objects.only("document", "agency")
                )
            ),
        ),
        Prefetch(
            "noteworthy_items",
            queryset=NoteworthyItem.objects.only("issue", "date", "section").prefetch_related(
                "noteworthyagency_set"
            ),
        ),
        Prefetch("credits", queryset=Credit.objects.only("issue", "person")),
    )


def index_issues(ids: Iterable[int] | None = None) -> int:
    """Make the rows of these issues (of all, with None) again; the number made."""
    return rebuild(Appearance, ids, published_issues(), rows_for, batch=5000)


def follow(sender, issue_ids, **kwargs):
    if issue_ids:
        index_issues(issue_ids)


published_content_changed.connect(follow, dispatch_uid="trackers")
