"""The archive's pages: every published issue once, newest first, however deep the page;
deep pages are found from where each page starts, remembered per content version."""

import datetime
import re

import pytest
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Issue
from tests.factories import IssueFactory, published_issue

pytestmark = pytest.mark.django_db


def live(**kwargs):
    issue = IssueFactory(
        status=Issue.Status.PUBLISHED,
        publish_at=timezone.now() - datetime.timedelta(days=1),
        **kwargs,
    )
    return issue


def listed(client, query=""):
    """The issue titles on every page of the archive, page by page."""
    pages, number = [], 1
    while True:
        response = client.get(f"/issues/?{query}page={number}")
        assert response.status_code == 200
        pages.append(re.findall(r'<li><a href="/issues/[^"]+/">([^<]+)</a>', response.text))
        if 'rel="next"' not in response.text:
            return pages
        number += 1


@pytest.fixture
def remembered(settings):
    """Counts and page starts kept as in production (pages themselves are not cached)."""
    settings.PAGE_CACHE = False


def test_every_issue_appears_once_newest_first_on_deep_pages(client, remembered):
    day = datetime.date(2024, 1, 1)
    # Issues sharing a date are ordered by id, newest first: a page may start inside them.
    issues = [live(publication_date=day - datetime.timedelta(days=n // 3)) for n in range(47)]
    editing.announce([issue.pk for issue in issues])
    expected = [
        issue.title
        for issue in sorted(issues, key=lambda i: (i.publication_date, i.pk), reverse=True)
    ]

    first = listed(client)
    again = listed(client)  # from the remembered count and page starts

    assert [len(page) for page in first] == [20, 20, 7]
    assert sum(first, []) == expected
    assert again == first
    assert client.get("/issues/?page=4").status_code == 404


def test_a_new_issue_moves_every_page_along(client, remembered):
    issues = [live() for _ in range(21)]
    editing.announce([issue.pk for issue in issues])
    before = listed(client)
    assert len(before[1]) == 1

    newest = published_issue(title="The newest issue", publication_date=datetime.date(2030, 1, 1))

    after = listed(client)
    assert after[0][0] == newest.title
    assert after[1] == [before[0][-1], before[1][0]]  # the second page starts one earlier


def test_filtered_pages_are_remembered_apart(client, remembered):
    start = [datetime.date(2021, 1, 1), datetime.date(2022, 1, 1)]
    issues = [live(publication_date=start[n % 2] + datetime.timedelta(days=n)) for n in range(44)]
    editing.announce([issue.pk for issue in issues])
    in_2021 = listed(client, "year=2021&")
    in_2022 = listed(client, "year=2022&")
    assert [len(page) for page in in_2021] == [20, 2]
    assert set(sum(in_2021, [])) == {i.title for i in issues if i.publication_date.year == 2021}
    assert set(sum(in_2022, [])) == {i.title for i in issues if i.publication_date.year == 2022}
    assert client.get("/issues/?year=1999").status_code == 200  # not a choice: no issues
