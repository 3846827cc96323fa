"""Nothing unpublished reaches a reader. Beside a published issue lie a draft, an issue in
review, one scheduled for next year, a live issue with pending changes and an unpublished
one, with a marker word in every text field and in the documents, agencies and people
only they show. An anonymous reader crawls every link from the home page, the sitemap and
every feed, searches for the markers and probes every unpublished address: no marker, no
unpublished address, and every probe a 404."""

import datetime
import re
from collections import deque

import pytest
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Issue, SourceLink
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PersonFactory,
    PolicyDocumentFactory,
    SourceLinkFactory,
    StoryFactory,
    published_issue,
)

pytestmark = pytest.mark.django_db

STATES = ["draft", "review", "scheduled", "unpublished"]
MARKERS = {state: f"Zq{state.capitalize()}mark" for state in [*STATES, "pending"]}
LINK = re.compile(r'(?:href|src)="(/[^"#]*)"|<loc>https?://[^/<]+(/[^<]*)</loc>|'
                  r'<link[^>]*href="https?://testserver(/[^"]*)"')  # fmt: skip


def marked_issue(marker: str) -> Issue:
    """A complete issue whose every text, and the records only it shows, carry `marker`."""
    agency = AgencyFactory(abbreviation=f"{marker}A", name_en=f"{marker} agency",
                           slug=f"{marker.lower()}-agency")  # fmt: skip
    person = PersonFactory(name=f"{marker} Person", slug=f"{marker.lower()}-person")
    issue = IssueFactory(
        title=f"{marker} topic", slug=f"{marker.lower()}-issue", standfirst=marker,
        hero_caption=marker, hero_credit=marker, editorial_note=marker,
    )  # fmt: skip
    for position in range(1, 6):
        document = PolicyDocumentFactory(
            title_en=f"{marker} plan {position}", title_zh=f"{marker}计划", agencies=[agency],
            url=f"https://example.org/{marker}/{position}",
        )  # fmt: skip
        StoryFactory(
            issue=issue, position=position, headline=f"{marker} headline {position}",
            slug=f"{marker.lower()}-story-{position}", glance_intro=marker,
            glance_bullets=marker, glance_outro=marker, comment=marker, document=document,
        )  # fmt: skip
    item = NoteworthyItemFactory(issue=issue, text=f"{marker} news")
    item.agencies.add(agency)
    SourceLinkFactory(item=item, label=f"{marker} notice", language=SourceLink.Language.ENGLISH)
    CreditFactory(issue=issue, person=person)
    return issue


@pytest.fixture
def archive():
    live = published_issue(title="The live issue")
    hidden = {state: marked_issue(MARKERS[state]) for state in STATES}
    editing.transition(hidden["review"], "submit", user=None)
    next_year = timezone.now() + datetime.timedelta(days=365)
    editing.transition(hidden["scheduled"], "schedule", user=None, at=next_year)
    editing.transition(hidden["unpublished"], "publish", user=None)
    editing.transition(hidden["unpublished"], "unpublish", user=None)
    pending = published_issue(title="A live issue with pending changes")
    marker = MARKERS["pending"]
    with editing.change(pending, user=None, via="system") as change:
        change.issue.standfirst = marker
        change.issue.save()
        change.issue.stories.filter(position=1).update(headline=f"{marker} headline")
        change.issue.noteworthy_items.update(text=f"{marker} news")
    pending.refresh_from_db()
    assert pending.pending_revision is not None
    return live, hidden


def assert_clean(url, text):
    for state, marker in MARKERS.items():
        assert marker.lower() not in text.lower(), f"{state} marker on {url}"


def crawl(client, starts):
    seen, queue = set(), deque(starts)
    while queue and len(seen) < 600:
        url = queue.popleft()
        if url in seen or url.startswith(("/static/", "/media/")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        text = response.content.decode()
        assert_clean(url, text)
        for match in LINK.finditer(text):
            link = next(group for group in match.groups() if group).replace("&amp;", "&")
            if link not in seen:
                queue.append(link)
    return seen


def test_no_unpublished_content_or_address_reaches_a_reader(client, archive):
    live, hidden = archive
    feeds = ["/feeds/rss/", "/feeds/atom/", "/feeds/stories/rss/", "/feeds/stories/atom/"]
    seen = crawl(client, ["/", "/sitemap.xml", "/issues/", "/agencies/", "/people/", *feeds])
    assert live.get_absolute_url() in seen
    assert len(seen) > 40

    probes = []
    for issue in hidden.values():
        probes.append(issue.get_absolute_url())
        for story in issue.stories.all():
            probes += [story.get_absolute_url(), story.document.get_absolute_url()]
            agency = story.document.issuers.first().agency
            probes += [agency.get_absolute_url(), f"/feeds/agencies/{agency.slug}/rss/"]
        person = issue.credits.first().person
        probes += [person.get_absolute_url(), f"/feeds/people/{person.slug}/atom/"]
    assert not set(probes) & seen
    for url in probes:
        response = client.get(url)
        assert response.status_code == 404, url
        assert_clean(url, response.content.decode().replace(url, ""))  # the address it was asked

    for marker in MARKERS.values():
        results = client.get("/search/", {"q": marker}).content.decode()
        baseline = client.get("/search/", {"q": "Zqnothingmark"}).content.decode()
        assert results.replace(marker, "Zqnothingmark") == baseline, marker

    for issue in hidden.values():  # staff previews: the same answer whether or not it exists
        missing = client.get(f"/preview/issues/{issue.pk + 1000}/")
        response = client.get(f"/preview/issues/{issue.pk}/")
        assert response.status_code == missing.status_code in (302, 404)
        assert_clean(
            response.url if response.status_code == 302 else "", response.content.decode()
        )
    assert client.get("/preview/not-a-token/").status_code == 404

    archive_page = client.get("/issues/").content.decode()
    published = Issue.objects.published().count()
    assert f"{published} issue" in archive_page and published == 2
