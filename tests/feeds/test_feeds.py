import datetime

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Credit, Issue
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    PersonFactory,
    PolicyDocumentFactory,
    complete_issue,
    published_issue,
    reindex,
)

pytestmark = pytest.mark.django_db

ISSUE_FEEDS = [reverse("feeds:issues_rss"), reverse("feeds:issues_atom")]


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_issue_feed_lists_published_issues_newest_first(client, url):
    older = published_issue(title="Older issue")
    older.publish_at -= datetime.timedelta(days=30)
    older.save()
    newer = published_issue(title="Newer issue")
    IssueFactory(title="Draft issue")

    response, feed = parse(client, url)

    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newer.get_absolute_url()}"
    assert entry.published_parsed[:6] == newer.publish_at.utctimetuple()[:6]
    assert newer.stories.first().headline in entry.summary
    content = entry.content[0].value
    for story in newer.stories.all():
        assert story.headline in content
        assert story.document.title_zh in content
    assert "Policy news" in content and "Corporate news" in content
    assert {"Top 5", "Policy news", "Corporate news"} <= {t.term for t in entry.tags}
    assert entry.author == newer.credits.get(role=Credit.Role.AUTHOR).person.name
    assert response["Content-Type"].endswith("charset=utf-8")


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_chinese_text_is_intact(client, url):
    issue = published_issue()
    issue.stories.filter(position=1).update(
        document=PolicyDocumentFactory(title_zh="算力基础设施高质量发展行动计划")
    )
    _, feed = parse(client, url)
    assert "算力基础设施高质量发展行动计划" in feed.entries[0].content[0].value


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_entry_id_is_stable_across_an_edit_and_updated_date_moves(client, url):
    issue = published_issue()
    _, before = parse(client, url)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        issue.title = "A corrected topic line"
        issue.slug = "a-corrected-topic-line"
        issue.save()
        _, after = parse(client, url)
    assert after.entries[0].id == before.entries[0].id
    assert after.entries[0].title == "A corrected topic line"
    if "atom" in url:
        assert after.entries[0].updated_parsed > before.entries[0].updated_parsed


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_scheduled_issue_enters_the_feed_at_its_time_with_no_job(client, url):
    issue = complete_issue(title="Scheduled issue")
    issue.publish(at=timezone.now() + datetime.timedelta(days=1))
    _, feed = parse(client, url)
    assert feed.entries == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        _, feed = parse(client, url)
    assert [entry.title for entry in feed.entries] == ["Scheduled issue"]


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_unpublishing_removes_the_issue(client, url):
    issue = published_issue()
    issue.unpublish()
    _, feed = parse(client, url)
    assert feed.entries == []


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_conditional_get_answers_304_when_unchanged(client, url):
    published_issue()
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"] and response["Last-Modified"]

    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304
    assert (
        client.get(url, headers={"if-modified-since": response["Last-Modified"]}).status_code
        == 304
    )


def test_conditional_get_answers_200_after_an_edit(client):
    issue = published_issue()
    url = ISSUE_FEEDS[0]
    etag = client.get(url)["ETag"]
    with editing.change(issue, user=None, via="system") as change:
        change.issue.stories.filter(position=1).update(headline="Changed")
    editing.publish_changes(issue, user=None)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_issue_feed_runs_a_constant_number_of_queries(client, url, django_assert_num_queries):
    """Each issue is rendered once after it changes; then a feed of any length is two
    queries: the content version and the issues with their renderings."""
    published_issue()
    client.get(url)
    with django_assert_num_queries(2):
        client.get(url)
    for _ in range(6):
        published_issue()
    client.get(url)
    with django_assert_num_queries(2):
        client.get(url)


def test_an_issue_is_rendered_again_after_a_shared_record_it_shows_changes(client):
    issue = published_issue()
    agency = issue.stories.get(position=1).document.issuers.first().agency
    assert f">{agency.abbreviation}</a>" in client.get(issue.get_absolute_url()).content.decode()
    with editing.change_record(agency, user=None, via="system"):
        agency.abbreviation = "RENAMED"
        agency.save()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert ">RENAMED</a>" in page
    content = client.get(ISSUE_FEEDS[0]).content.decode()
    assert "RENAMED" in content


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_story_feed(client, kind, django_assert_num_queries):
    issue = published_issue()
    complete_issue()  # draft
    with django_assert_num_queries(3):
        _, feed = parse(client, reverse(f"feeds:stories_{kind}"))
    assert [e.title for e in feed.entries] == [s.headline for s in issue.stories.all()]
    assert feed.entries[0].link.endswith(issue.stories.get(position=1).get_absolute_url())


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_agency_feed_lists_stories_on_documents_it_issued(client, kind):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit")
    issue = published_issue()
    story = issue.stories.get(position=2)
    story.document = PolicyDocumentFactory(agencies=[miit])
    story.save()
    draft = complete_issue()
    draft.stories.filter(position=1).update(document=story.document)
    reindex()

    _, feed = parse(client, reverse(f"feeds:agency_{kind}", args=["miit"]))

    assert [e.title for e in feed.entries] == [story.headline]
    assert "MIIT" in feed.feed.title


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_person_feed_lists_the_issues_they_worked_on(client, kind):
    person = PersonFactory(slug="rebecca-arcesati", name="Rebecca Arcesati")
    theirs = published_issue()
    CreditFactory(issue=theirs, person=person, role=Credit.Role.EDITOR)
    published_issue()  # someone else's

    _, feed = parse(client, reverse(f"feeds:person_{kind}", args=["rebecca-arcesati"]))

    assert [e.title for e in feed.entries] == [theirs.title]


def test_unknown_agency_or_person_feed_is_not_found(client):
    assert client.get(reverse("feeds:agency_rss", args=["nobody"])).status_code == 404
    assert client.get(reverse("feeds:person_atom", args=["nobody"])).status_code == 404


def test_every_page_announces_the_feeds(client):
    page = client.get(reverse("briefings:home")).content.decode()
    rss, atom = ISSUE_FEEDS
    assert f'rss+xml" title="China Industries Briefing (RSS)" href="{rss}"' in page
    assert f'atom+xml" title="China Industries Briefing (Atom)" href="{atom}"' in page
    assert "Subscribe:" in page


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_hero_image_is_an_enclosure(client, url, settings, tmp_path):
    from tests.images import image_file

    settings.MEDIA_ROOT = tmp_path
    issue = published_issue(hero_image=image_file("port.jpg", 1200, 600), hero_alt="A port")
    _, feed = parse(client, url)
    (enclosure,) = feed.entries[0].enclosures
    assert enclosure.href == f"http://testserver{issue.hero_image.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == issue.hero_image.size


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_links_inside_entries_are_absolute(client, url):
    published_issue()
    _, feed = parse(client, url)
    content = feed.entries[0].content[0].value
    assert 'href="/' not in content
    assert 'href="http://testserver/agencies/' in content


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_issues_published_at_the_same_moment_keep_one_order_in_every_feed(
    client, monkeypatch, kind
):
    """Issues published together (an import, a restore) hold their places, newest first:
    the same entries every time, never a different few from one request to the next."""
    monkeypatch.setattr("apps.feeds.feeds.FEED_LENGTH", 3)
    monkeypatch.setattr("apps.feeds.feeds.ISSUE_FEED_LENGTH", 3)
    person = PersonFactory(slug="li-wei", name="Li Wei")
    issues = [published_issue(title=f"Issue {n}") for n in range(5)]
    for issue in issues:
        CreditFactory(issue=issue, person=person, role=Credit.Role.EDITOR)
    moment = timezone.now() - datetime.timedelta(hours=1)
    Issue.objects.update(publish_at=moment)
    newest = [issue.title for issue in reversed(issues)][:3]  # the last made first

    for url in [reverse(f"feeds:issues_{kind}"), reverse(f"feeds:person_{kind}", args=["li-wei"])]:
        _, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == newest, url
    _, feed = parse(client, reverse(f"feeds:stories_{kind}"))
    assert {entry.link.split("/")[4] for entry in feed.entries} == {issues[-1].slug}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_issue_feeds_hold_the_newest_ten_issues_in_full(client, kind):
    """Each entry is a whole issue (some 25 KB): ten months of the briefing, polled by
    every subscriber's reader, rather than twenty."""
    person = PersonFactory(slug="li-wei", name="Li Wei")
    issues = [published_issue(title=f"Issue {n}") for n in range(12)]
    for issue in issues:
        CreditFactory(issue=issue, person=person, role=Credit.Role.EDITOR)
    for url in [reverse(f"feeds:issues_{kind}"), reverse(f"feeds:person_{kind}", args=["li-wei"])]:
        _, feed = parse(client, url)
        assert len(feed.entries) == 10, url
    _, feed = parse(client, reverse(f"feeds:stories_{kind}"))
    assert len(feed.entries) == 20  # stories are short: twenty of them
