"""A query compiled once answers every call as the ORM would with that call's values."""

import datetime

import pytest
from django.db.models.fields.json import KT
from django.db.models.functions import JSONObject
from django.utils import timezone

from apps.briefings.models import Issue
from apps.briefings.prepared import Prepared
from tests.factories import complete_issue, published_issue

pytestmark = pytest.mark.django_db


def issue_page_query():
    return Prepared(
        lambda slug, now: Issue.objects.published(now).with_neighbours(now).filter(slug=slug),
        slug=Issue._meta.get_field("slug"),
        now=Issue._meta.get_field("publish_at"),
    )


def test_each_call_answers_for_its_own_values():
    first = published_issue(title="First", publication_date=datetime.date(2021, 7, 6))
    second = published_issue(title="Second", publication_date=datetime.date(2021, 11, 2))
    draft = complete_issue(title="Draft", publication_date=datetime.date(2021, 9, 1))
    query = issue_page_query()
    now = timezone.now()
    (found,) = query(slug=second.slug, now=now)
    assert (found.pk, found.title, found.previous_issue, found.next_issue) == (
        second.pk, "Second", {"slug": first.slug, "title": "First"}, None,
    )  # fmt: skip
    (found,) = query(slug=first.slug, now=now)  # the compiled query again, other values
    assert (found.pk, found.previous_issue, found.next_issue) == (
        first.pk, None, {"slug": second.slug, "title": "Second"},
    )  # fmt: skip
    assert query(slug=draft.slug, now=now) == []
    assert query(slug="nothing-here", now=now) == []


def test_the_time_given_decides_what_is_published():
    issue = published_issue()
    Issue.objects.filter(pk=issue.pk).update(
        publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    query = issue_page_query()
    assert query(slug=issue.slug, now=timezone.now()) == []
    later = timezone.now() + datetime.timedelta(hours=2)
    assert [found.pk for found in query(slug=issue.slug, now=later)] == [issue.pk]


def test_a_value_the_query_does_not_use_is_refused_at_compilation():
    published_issue()
    query = Prepared(lambda slug: Issue.objects.published(), slug=Issue._meta.get_field("slug"))
    with pytest.raises(ValueError, match="stand-in for 'slug'"):
        query(slug="x")


def test_annotations_come_back_as_the_orm_gives_them():
    """A JSON annotation is decoded, and text is text, as a queryset would give them."""
    issue = published_issue()
    Issue.objects.filter(pk=issue.pk).update(rendered={"with": "x", "headlines": "A; B"})
    query = Prepared(
        lambda slug: Issue.objects.filter(slug=slug).annotate(
            meta=JSONObject(made_with=KT("rendered__with")), headlines=KT("rendered__headlines")
        ),
        slug=Issue._meta.get_field("slug"),
    )
    (found,) = query(slug=issue.slug)
    assert (found.meta, found.headlines) == ({"made_with": "x"}, "A; B")
