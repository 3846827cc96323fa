"""No text an editor types runs in a feed reader: every hostile payload, in every field a
feed shows, comes out as text; HTML content comes only from the sanitised renderer."""

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.briefings.models import SourceLink
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PersonFactory,
    PolicyDocumentFactory,
    SourceLinkFactory,
    StoryFactory,
    reindex,
)
from tests.hostile import XSS

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SAFE_TAGS = {
    "a", "p", "ul", "ol", "li", "h2", "h3", "h4", "strong", "em", "b", "i", "br", "blockquote",
    "span", "div", "section", "article", "header", "footer", "figure", "figcaption", "img",
    "time", "small", "cite", "abbr", "dl", "dt", "dd", "hr", "q", "code",
}  # fmt: skip


class Fragment(HTMLParser):
    """The elements of an HTML fragment, as a feed reader's HTML parser sees them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def assert_text(fragment, where):
    """Shown as HTML by readers: it must hold no element at all."""
    elements = Fragment(fragment or "").elements
    assert not elements, f"{where}: {elements} in {fragment!r}"


def assert_sanitised(fragment, where):
    for tag, attrs in Fragment(fragment or "").elements:
        assert tag in SAFE_TAGS, f"{where}: <{tag}> in {fragment[:300]!r}"
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "srcdoc"), (where, name)
            if name in ("href", "src"):
                assert (value or "").split(":")[0].lower() in ("http", "https", "mailto") or (
                    ":" not in (value or "")
                ), (where, value)


@pytest.fixture
def hostile_archive():
    """Published issues whose every text field is a payload, with hostile records."""
    agency = AgencyFactory(
        abbreviation=XSS[1][:50], name_en=XSS[0], name_zh=XSS[2], slug="hostile-agency"
    )
    person = PersonFactory(name=XSS[1][:200], slug="hostile-person")
    for n, payload in enumerate(XSS):
        issue = IssueFactory(
            title=payload, standfirst=payload, hero_caption=payload[:300], hero_credit=payload
        )
        for position in range(1, 6):
            document = PolicyDocumentFactory(
                title_en=payload, title_zh=payload, agencies=[agency], url="https://example.org/"
            )
            StoryFactory(
                issue=issue,
                position=position,
                headline=payload,
                glance_intro=payload,
                glance_bullets=f"{payload}\n{payload}",
                glance_outro=payload,
                comment=f"{payload}\n\n{payload}",
                document=document,
            )
        item = NoteworthyItemFactory(issue=issue, text=payload)
        SourceLinkFactory(item=item, label=payload[:200], url="https://example.org/")
        SourceLinkFactory(item=item, label="Reuters", language=SourceLink.Language.ENGLISH)
        CreditFactory(issue=issue, person=person)
        issue.publish(at=timezone.now() - datetime.timedelta(days=n + 1))
    reindex()
    return agency, person


def feeds(agency, person):
    return [
        reverse("feeds:issues_rss"),
        reverse("feeds:issues_atom"),
        reverse("feeds:stories_rss"),
        reverse("feeds:stories_atom"),
        reverse("feeds:agency_rss", args=[agency.slug]),
        reverse("feeds:agency_atom", args=[agency.slug]),
        reverse("feeds:person_rss", args=[person.slug]),
        reverse("feeds:person_atom", args=[person.slug]),
    ]


def test_no_payload_in_any_field_becomes_markup_in_any_feed(client, hostile_archive, monkeypatch):
    # Every payload's issue in the issue feeds, not only the newest ten.
    monkeypatch.setattr("apps.feeds.feeds.ISSUE_FEED_LENGTH", len(XSS))
    checked = 0
    for url in feeds(*hostile_archive):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        if root.tag == "rss":
            channel = root.find("channel")
            for name in ("title", "description"):
                assert_text(channel.findtext(name), f"{url} channel {name}")
            items = channel.findall("item")
            assert items, url
            for item in items:
                for name in ("title", "description", "category", "author", "dc:creator"):
                    for element in item.findall(name, NS):
                        assert_text(element.text, f"{url} {name}")
                        checked += 1
                assert_sanitised(item.findtext("content:encoded", "", NS), f"{url} content")
                checked += 1
        else:
            entries = root.findall("atom:entry", NS)
            assert entries, url
            for entry in entries:
                for name in ("title", "summary", "content"):
                    element = entry.find(f"atom:{name}", NS)
                    if element is None:
                        continue
                    if element.get("type") in ("html", "xhtml"):
                        check = assert_text if name == "summary" else assert_sanitised
                        check(element.text, f"{url} {name}")
                    else:  # text: shown as it is, whatever it holds
                        assert element.get("type") in (None, "text"), (url, name)
                    checked += 1
    assert checked > 500
