import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.briefings.models import Credit, NoteworthyItem
from tests.factories import (
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PersonFactory,
    SourceLinkFactory,
    complete_issue,
    published_issue,
)

pytestmark = pytest.mark.django_db

HOME = reverse("briefings:home")


def test_home_lists_published_issues_newest_first(client):
    older = published_issue(title="Older issue", publication_date=datetime.date(2021, 7, 6))
    newer = published_issue(title="Newer issue", publication_date=datetime.date(2021, 11, 2))
    IssueFactory(title="Draft issue")
    page = client.get(HOME).content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert "Draft issue" not in page


def test_scheduled_issue_is_not_listed_until_its_time(client):
    issue = complete_issue(title="Scheduled issue")
    issue.publish(at=timezone.now() + datetime.timedelta(hours=2))
    assert "Scheduled issue" not in client.get(HOME).content.decode()
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_draft_issue_page_is_not_found(client):
    assert client.get(IssueFactory().get_absolute_url()).status_code == 404


def test_unknown_issue_is_not_found(client):
    assert client.get(reverse("briefings:issue", args=["no-such-issue"])).status_code == 404


def test_malformed_page_number_is_not_found(client):
    assert client.get(HOME, {"page": "abc"}).status_code == 404


def test_issue_page_shows_the_whole_issue(client):
    issue = published_issue()
    story = issue.stories.get(position=3)
    story.box_title = "Explainer: China's Taxonomy of Autonomous Vehicles"
    story.glance_outro = "Foreign owned companies are eligible."
    story.save()
    item = issue.noteworthy_items.get(section=NoteworthyItem.Section.POLICY)
    SourceLinkFactory(item=item, label="MIIT notice", language="CN", position=1)
    SourceLinkFactory(item=item, label="Reuters article", language="EN", position=2)
    CreditFactory(
        issue=issue,
        person=PersonFactory(name="Tashi Götzmann"),
        role=Credit.Role.CONTRIBUTOR,
        role_title="Intern",
    )

    response = client.get(issue.get_absolute_url())

    page = response.content.decode()
    assert response["Cache-Control"] == "public, max-age=300"
    for story in issue.stories.all():
        assert story.headline in page
        assert story.document.title_en in page
        assert story.document.title_zh in page
        assert f'id="story-{story.position}"' in page
    assert "<li>Build 100 standards by 2025</li>" in page
    assert "Foreign owned companies are eligible." in page
    assert "Explainer: China&#x27;s Taxonomy of Autonomous Vehicles" in page
    assert "Policy news" in page and "Corporate news" in page
    assert "(MIIT notice (CN); Reuters article (EN))" in page
    assert "With support from" in page and "Tashi Götzmann, Intern" in page
    assert f"{issue.reading_time()} min read" in page
    assert "not published" not in page


def test_comment_markup_is_sanitised_on_the_page(client):
    issue = published_issue()
    issue.stories.filter(position=1).update(
        comment='Hello <script>alert("x")</script> and [bad](javascript:alert(1))'
    )
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page


def test_staff_preview_a_draft_with_a_banner_and_private_caching(editor_client):
    issue = complete_issue()
    response = editor_client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this issue is not published" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_issue_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    small = published_issue()
    big = published_issue()
    for _ in range(30):
        item = NoteworthyItemFactory(issue=big)
        SourceLinkFactory(item=item)
        SourceLinkFactory(item=item)
    for _ in range(5):
        CreditFactory(issue=big)

    with django_assert_num_queries(6) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(big.get_absolute_url())
    assert small_queries


def test_home_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    published_issue()
    with django_assert_num_queries(2):
        client.get(HOME)
    for _ in range(5):
        published_issue()
    with django_assert_num_queries(2):
        client.get(HOME)
