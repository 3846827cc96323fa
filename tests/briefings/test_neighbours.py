"""An issue page links the published issues before and after it. They are found once per
content version and kept on the issue, so a reader's request reads them with the issue;
every change that could move them moves the version on, and the next page shows it."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Issue
from tests.factories import complete_issue, published_issue

pytestmark = pytest.mark.django_db

JULY, NOVEMBER, DECEMBER = (datetime.date(2021, m, d) for m, d in [(7, 6), (11, 2), (12, 1)])


def links(client, issue):
    html = client.get(issue.get_absolute_url()).content.decode()
    nav = (
        html.split('<nav class="issue-nav"', 1)[1].split("</nav>", 1)[0]
        if "issue-nav" in html
        else ""
    )
    return {
        side: nav.split(f'rel="{rel}"><span>', 1)[1].split("</span> ", 1)[1].split("</a>", 1)[0]
        for side, rel in [("previous", "prev"), ("next", "next")]
        if f'rel="{rel}"' in nav
    }


@pytest.fixture
def three(client):
    issues = [
        published_issue(title=title, publication_date=date)
        for title, date in [("July", JULY), ("November", NOVEMBER), ("December", DECEMBER)]
    ]
    assert links(client, issues[1]) == {"previous": "July", "next": "December"}
    return issues


def test_an_issue_published_between_is_linked_at_once(client, three, editor):
    between = complete_issue(title="September", publication_date=datetime.date(2021, 9, 1))
    editing.transition(between, "publish", user=editor)
    assert links(client, three[1]) == {"previous": "September", "next": "December"}
    assert links(client, three[0]) == {"next": "September"}


def test_an_unpublished_neighbour_is_skipped_at_once(client, three, editor):
    editing.transition(three[2], "unpublish", user=editor)
    assert links(client, three[1]) == {"previous": "July"}


def test_a_renamed_neighbour_shows_its_new_title(client, three, editor):
    with editing.change(three[0], user=editor, via="admin") as change:
        change.issue.title = "July, revised"
        change.issue.save()
    editing.publish_changes(Issue.objects.get(pk=three[0].pk), user=editor)
    assert links(client, three[1]) == {"previous": "July, revised", "next": "December"}


def test_a_scheduled_neighbour_is_linked_once_its_time_comes(client, three, editor):
    january = complete_issue(title="January", publication_date=datetime.date(2022, 1, 3))
    at = timezone.now() + datetime.timedelta(days=2)
    editing.transition(january, "schedule", user=editor, at=at)
    assert links(client, three[2]) == {"previous": "November"}

    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        assert links(client, three[2]) == {"previous": "November", "next": "January"}


def test_neighbours_kept_for_another_version_are_found_again(client, three):
    middle = Issue.objects.get(pk=three[1].pk)
    stale = {**middle.neighbours, "previous": {"slug": "gone", "title": "Gone"}}
    number, moved = stale["version"].split("@")
    stale["version"] = f"{number}@2001-01-01T00:00:00+00:00"  # the number came round again
    Issue.objects.filter(pk=middle.pk).update(neighbours=stale)

    assert links(client, middle) == {"previous": "July", "next": "December"}


def test_the_issue_page_reads_its_neighbours_with_the_issue(client, three):
    url = three[1].get_absolute_url()
    client.get(url)  # finds them for this version
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # The issue, in one query; besides it only the content version, where it is kept in
    # the database (in Redis it costs no query).
    issue_queries = [q["sql"] for q in queries if "briefings_issue" in q["sql"]]
    assert len(issue_queries) == 1 and issue_queries[0].startswith("SELECT")
    assert len(queries) - len(issue_queries) <= 1
