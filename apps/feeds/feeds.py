"""RSS 2.0 and Atom 1.0 feeds of published issues and stories.

Entry ids are tag URIs built from the primary key and the creation date, so editing an
issue (even its slug) never re-announces it; the updated date moves instead. Only
`published()` content appears, so a scheduled issue enters the feeds at its time.
"""

import contextvars
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from apps.agencies.models import Agency
from apps.briefings import rendering
from apps.briefings.markdown import plain_text
from apps.briefings.models import Appearance, DocumentAgency, Issue, Story, rendering_fields
from apps.briefings.views.agencies import agency_counts
from apps.briefings.views.people import credit_counts
from apps.people.models import Person

FEED_LENGTH = 20  # stories and other short entries
# Issue feeds carry each issue in full (some 25 KB): ten months of the briefing, fetched
# by every subscriber's reader on every poll.
ISSUE_FEED_LENGTH = 10
SITE_TITLE = "China Industries Briefing"


def _escaped(values: dict, names) -> dict:
    return {
        name: escape(value) if isinstance(value, str) and name in names else value
        for name, value in values.items()
    }


class FullContentRss(Rss201rev2Feed):
    """RSS with the entry's full HTML in <content:encoded>.

    Readers show an RSS title, description, category or name as HTML, so text goes into
    them HTML-escaped (as Django's own `Feed.item_title` does); markup comes only from the
    sanitised renderer, in <content:encoded>."""

    TEXT = ("title", "description", "author_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = _escaped(self.feed, (*self.TEXT, "subtitle"))
        self.feed["categories"] = [escape(c) for c in self.feed.get("categories") or ()]

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        item = self.items[-1] = _escaped(self.items[-1], self.TEXT)
        item["categories"] = [escape(c) for c in item.get("categories") or ()]

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class FullContentAtom(Atom1Feed):
    """Atom with the entry's full HTML in <content type="html">.

    Titles, names and categories are Atom text constructs, shown as text; the summary is
    `type="html"`, so its text goes in HTML-escaped."""

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = _escaped(self.items[-1], ("description",))

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


# The site's address for the request being answered, so that links inside entries are
# absolute; a context variable keeps concurrent requests apart.
site_root = contextvars.ContextVar("site_root", default="")


class AbsoluteLinksFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        token = site_root.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return super().__call__(request, *args, **kwargs)
        finally:
            site_root.reset(token)


def latest_stories(stories):
    return (
        stories.select_related("issue", "document")
        .defer(*rendering_fields("issue"))
        .prefetch_related(
            Prefetch("document__issuers", queryset=DocumentAgency.objects.select_related("agency"))
        )
        .order_by("-issue__publish_at", "-issue_id", "position")[:FEED_LENGTH]
    )


def tag_uri(kind, obj, date):
    return f"tag:{settings.FEED_TAG_AUTHORITY},{date:%Y-%m-%d}:{kind}/{obj.pk}"


class IssueFeed(AbsoluteLinksFeed):
    """The newest published issues, in full."""

    feed_type = FullContentRss
    title = SITE_TITLE
    description = (
        "A monthly briefing on China’s industrial policy: Top 5 stories and noteworthy news."
    )

    def link(self):
        return reverse("briefings:home")

    def items(self):
        return (
            Issue.objects.published()
            .defer("rendered_article")
            .order_by("-publish_at", "-id")[:ISSUE_FEED_LENGTH]
        )

    def item_title(self, issue):
        return issue.title

    def item_description(self, issue):
        headlines = rendering.of(issue)["headlines"]
        return f"Top 5: {headlines}" if headlines else issue.standfirst

    def item_extra_kwargs(self, issue):
        # Rendered once when the issue changed; links made absolute for this host.
        rendering.of(issue)
        return {"content": rendering.absolute(issue.rendered_feed, site_root.get())}

    def item_guid(self, issue):
        return tag_uri("issues", issue, issue.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, issue):
        return issue.publish_at

    def item_updateddate(self, issue):
        return max(issue.publish_at, issue.updated_at)

    def item_author_name(self, issue):
        return ", ".join(rendering.of(issue)["authors"]) or None

    def item_categories(self, issue):
        return rendering.of(issue)["categories"]

    def item_enclosure_url(self, issue):
        if not issue.hero_image:
            return None
        url = issue.hero_image.url  # relative unless media lives on another host
        return url if "://" in url else site_root.get() + url

    def item_enclosure_length(self, issue):
        return issue.hero_image.size if issue.hero_image else 0

    def item_enclosure_mime_type(self, issue):
        return mimetypes.guess_type(issue.hero_image.name)[0] or "application/octet-stream"


class IssueAtomFeed(IssueFeed):
    feed_type = FullContentAtom
    subtitle = IssueFeed.description


class StoryFeed(AbsoluteLinksFeed):
    """Top 5 stories across issues, newest first."""

    feed_type = FullContentRss
    title = f"{SITE_TITLE}: Top 5 stories"
    description = "Every Top 5 policy story as it is published."

    def link(self):
        return reverse("briefings:home")

    def items(self):
        return latest_stories(Story.objects.published())

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        return plain_text(story.glance_intro)

    def item_extra_kwargs(self, story):
        return {
            "content": render_to_string(
                "feeds/story_content.html", {"story": story, "site_root": site_root.get()}
            )
        }

    def item_guid(self, story):
        return tag_uri("stories", story, story.issue.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, story):
        return story.issue.publish_at

    def item_updateddate(self, story):
        return max(story.issue.publish_at, story.issue.updated_at)

    def item_categories(self, story):
        if not story.document:
            return []
        return [issuer.agency.abbreviation for issuer in story.document.issuers.all()]


class StoryAtomFeed(StoryFeed):
    feed_type = FullContentAtom
    subtitle = StoryFeed.description


class AgencyStoryFeed(StoryFeed):
    """Every new story about a document the agency issued: a policy tracker."""

    def get_object(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        if not any(agency_counts().get(agency.pk, ())):  # as its page: none unless in print
            raise Http404("This agency appears in no published issue.")
        return agency

    def title(self, agency):
        return f"{SITE_TITLE}: {agency.abbreviation}"

    def description(self, agency):
        return f"Top 5 stories on documents issued by {agency.name_en or agency.abbreviation}."

    def items(self, agency):
        newest = (
            Appearance.objects.filter(
                agency=agency, kind=Appearance.Kind.STORY, publish_at__lte=timezone.now()
            )
            .order_by("-date", "-sort")
            .values("story_pk")[:FEED_LENGTH]
        )
        return latest_stories(Story.objects.filter(pk__in=newest))


class AgencyStoryAtomFeed(AgencyStoryFeed):
    feed_type = FullContentAtom
    subtitle = AgencyStoryFeed.description


class PersonIssueFeed(IssueFeed):
    """The issues a person worked on."""

    def get_object(self, request, slug):
        person = get_object_or_404(Person, slug=slug)
        if not credit_counts().get(person.pk):  # as their page: none unless in print
            raise Http404("This person is credited on no published issue.")
        return person

    def title(self, person):
        return f"{SITE_TITLE}: {person.name}"

    def description(self, person):
        return f"Issues {person.name} worked on."

    def items(self, person):
        return (
            Issue.objects.published()
            .filter(pk__in=person.credits.values("issue"))
            .defer("rendered_article")
            .order_by("-publish_at", "-id")[:ISSUE_FEED_LENGTH]
        )


class PersonIssueAtomFeed(PersonIssueFeed):
    feed_type = FullContentAtom
    subtitle = PersonIssueFeed.description
