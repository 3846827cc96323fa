import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Credit, Issue, NoteworthyItem
from apps.search.index import index_issues
from tests.archive import make_archive
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PersonFactory,
    PolicyDocumentFactory,
    SourceLinkFactory,
    complete_issue,
    published_issue,
    reindex,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

HOME = reverse("briefings:home")
ARCHIVE = reverse("briefings:archive")
SEARCH = reverse("search:search")


def page(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# Home ----------------------------------------------------------------------------------


def test_home_shows_the_latest_issue_with_its_headlines_then_recent_issues(client):
    older = published_issue(title="Older issue", publication_date=datetime.date(2021, 7, 6))
    latest = published_issue(title="Latest issue", publication_date=datetime.date(2021, 11, 2))
    IssueFactory(title="Draft issue", publication_date=datetime.date(2022, 1, 3))

    html = page(client, HOME)

    assert f'id="latest-title"><a href="{latest.get_absolute_url()}">Latest issue' in html
    for story in latest.stories.all():
        assert f'<a href="{story.get_absolute_url()}">{story.headline}</a>' in html
    assert html.index("Recent issues") < html.index("Older issue")
    assert "Draft issue" not in html
    assert older.get_absolute_url() in html


def test_home_of_an_empty_archive_says_so(client):
    assert "No issues have been published yet." in page(client, HOME)


# Archive -------------------------------------------------------------------------------


def test_archive_groups_issues_by_year_newest_first(client):
    published_issue(title="July 2021", publication_date=datetime.date(2021, 7, 6))
    published_issue(title="October 2022", publication_date=datetime.date(2022, 10, 4))
    IssueFactory(title="A draft")
    html = page(client, ARCHIVE)
    assert html.index('id="year-2022"') < html.index("October 2022") < html.index('id="year-2021"')
    assert html.index('id="year-2021"') < html.index("July 2021")
    assert "A draft" not in html
    assert "2 issues." in html


def test_archive_is_paginated(client):
    make_archive(25)
    first, second = page(client, ARCHIVE), page(client, ARCHIVE, {"page": 2})
    assert first.count("archive-issue-") == 20 and second.count("archive-issue-") == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_archive_filters_by_year_agency_person_and_section_combined(client):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit")
    rebecca = PersonFactory(slug="rebecca")
    in_top_five = published_issue(
        title="MIIT in Top 5", publication_date=datetime.date(2022, 10, 4)
    )
    story = in_top_five.stories.get(position=1)
    story.document = PolicyDocumentFactory(agencies=[miit])
    story.save()
    CreditFactory(issue=in_top_five, person=rebecca)
    in_news = published_issue(title="MIIT in news", publication_date=datetime.date(2021, 7, 6))
    in_news.noteworthy_items.get(section=NoteworthyItem.Section.CORPORATE).agencies.add(miit)
    published_issue(title="Without MIIT", publication_date=datetime.date(2021, 11, 2))
    reindex()

    def titles(**params):
        html = page(client, ARCHIVE, params)
        return [t for t in ["MIIT in Top 5", "MIIT in news", "Without MIIT"] if t in html]

    assert titles(agency="miit") == ["MIIT in Top 5", "MIIT in news"]
    assert titles(agency="miit", section="top5") == ["MIIT in Top 5"]
    assert titles(agency="miit", section="corporate") == ["MIIT in news"]
    assert titles(agency="miit", section="policy") == []
    assert titles(year="2021") == ["MIIT in news", "Without MIIT"]
    assert titles(year="2021", agency="miit") == ["MIIT in news"]
    assert titles(person="rebecca") == ["MIIT in Top 5"]
    assert "No issues match these filters." in page(
        client, ARCHIVE, {"agency": "miit", "section": "policy"}
    )


def test_archive_filter_choices_come_only_from_published_content(client):
    published_issue(publication_date=datetime.date(2021, 7, 6))
    draft = complete_issue(publication_date=datetime.date(2024, 1, 8))
    secret = AgencyFactory(abbreviation="SECRET", slug="secret")
    story = draft.stories.first()
    story.document = PolicyDocumentFactory(agencies=[secret])
    story.save()
    CreditFactory(issue=draft, person=PersonFactory(name="Draft Writer", slug="draft-writer"))
    html = page(client, ARCHIVE)
    assert '<option value="2021">' in html
    assert '<option value="2024">' not in html
    assert "SECRET" not in html
    assert "Draft Writer" not in html


@pytest.mark.parametrize(
    "params",
    [{"year": "99999"}, {"year": "abc"}, {"agency": "no-such-agency"}, {"section": "x"}],
)
def test_malformed_filters_give_a_clear_empty_result(client, params):
    published_issue()
    html = page(client, ARCHIVE, params)
    assert "No issues: these filters are not valid." in html


@pytest.mark.parametrize("number", ["abc", "0", "99"])
def test_malformed_page_number_is_not_found(client, number):
    published_issue()
    page(client, ARCHIVE, {"page": number}, status=404)


# Issue ---------------------------------------------------------------------------------


def test_issue_page_shows_the_whole_issue(client):
    issue = published_issue()
    story = issue.stories.get(position=3)
    story.box_title = "Explainer: China's Taxonomy of Autonomous Vehicles"
    story.glance_outro = "Foreign owned companies are eligible."
    story.save()
    item = issue.noteworthy_items.get(section=NoteworthyItem.Section.POLICY)
    SourceLinkFactory(item=item, label="MIIT notice", language="CN", position=1)
    SourceLinkFactory(item=item, label="Reuters article", language="EN", position=2)
    person = PersonFactory(name="Tashi Götzmann")
    CreditFactory(issue=issue, person=person, role=Credit.Role.CONTRIBUTOR, role_title="Intern")

    response = client.get(issue.get_absolute_url())

    html = response.content.decode()
    assert response["Cache-Control"] == "public, max-age=60"
    for story in issue.stories.all():
        assert f'<a href="{story.get_absolute_url()}">{story.headline}</a>' in html
        assert f'<a href="#story-{story.position}">' in html
        assert story.document.title_en in html
        assert f'<span lang="zh">{story.document.title_zh}</span>' in html
        agency = story.document.issuers.get().agency
        assert f'<a href="{agency.get_absolute_url()}">{agency.abbreviation}</a>' in html
    assert "<li>Build 100 standards by 2025</li>" in html
    assert "Foreign owned companies are eligible." in html
    assert "Explainer: China&#x27;s Taxonomy of Autonomous Vehicles" in html
    assert 'href="#section-1">Policy news' in html and 'href="#section-2">Corporate news' in html
    # One pair of brackets: the language follows its source after a comma.
    assert "(MIIT notice, CN; Reuters article, EN)" in html
    assert "With support from" in html
    assert f'<a href="{person.get_absolute_url()}">Tashi Götzmann</a>, Intern' in html
    assert f"{issue.reading_time()} min read" in html
    assert "not published" not in html


def test_issue_page_links_the_previous_and_next_issue(client):
    first = published_issue(title="First", publication_date=datetime.date(2021, 7, 6))
    middle = published_issue(title="Middle", publication_date=datetime.date(2021, 11, 2))
    last = published_issue(title="Last", publication_date=datetime.date(2021, 12, 1))
    complete_issue(title="Unpublished neighbour", publication_date=datetime.date(2021, 11, 20))
    html = page(client, middle.get_absolute_url())
    assert f'<a href="{first.get_absolute_url()}" rel="prev">' in html
    assert f'<a href="{last.get_absolute_url()}" rel="next">' in html
    assert "Unpublished neighbour" not in html


def test_issue_page_has_canonical_url_opengraph_and_json_ld(client):
    issue = published_issue()
    html = page(client, issue.get_absolute_url())
    url = f"http://testserver{issue.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:title" content="{issue.title}">' in html
    assert '<script type="application/ld+json">{"@context": "https://schema.org"' in html


def test_json_ld_cannot_be_broken_out_of(client):
    issue = published_issue(title="</script><script>alert(1)</script>")
    html = page(client, issue.get_absolute_url())
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_hero_image_with_caption_credit_and_srcset(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from tests.images import image_file, run_jobs

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        issue = published_issue(
            hero_image=image_file("port.jpg", 1200, 600),
            hero_alt="Container cranes at Qingdao port",
            hero_caption="Qingdao port",
            hero_credit="Photo: Example",
        )
    run_jobs()  # its renditions
    html = page(client, issue.get_absolute_url())
    assert 'alt="Container cranes at Qingdao port"' in html
    assert 'width="1200" height="600"' in html
    assert "/media/issues/renditions/port.jpg-480w.webp 480w" in html
    assert '<span class="credit">Photo: Example</span>' in html


def test_the_agency_tracker_dates_its_news_with_the_year(client):
    """The tracker lists news across years; an issue's own news are all of its month."""
    issue = published_issue()
    item = issue.noteworthy_items.first()
    agency = AgencyFactory(abbreviation="SAMR")
    item.agencies.add(agency)
    reindex()
    html = page(client, agency.get_absolute_url())
    assert '<time datetime="2021-06-03">June 3, 2021</time>' in html
    assert '<time datetime="2021-06-03">June 3</time>' in page(client, issue.get_absolute_url())


def test_the_agency_tracker_shortens_a_long_document_title_at_a_word(client):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit")
    issue = published_issue()
    story = issue.stories.first()
    title = ("Guiding Opinions on Accelerating the High-quality Development of the Industrial "
             "Internet Platform Ecosystem and Promoting the Digital Transformation of "
             "Small and Medium-sized Manufacturing Enterprises in Key Regions")  # fmt: skip
    story.document = PolicyDocumentFactory(agencies=[miit], title_en=title)
    story.save()
    reindex()
    html = page(client, miit.get_absolute_url())
    shown = re.search(rf'<a href="{story.document.get_absolute_url()}">([^<]*)</a>', html)
    words = shown.group(1).removesuffix("…").split()
    assert shown.group(1).endswith("…")
    assert words == title.split()[: len(words)]  # whole words only


def test_a_caption_without_its_picture_is_not_shown(client):
    """A caption describes a picture; with no picture it would stand alone under the
    heading, describing nothing."""
    issue = published_issue(hero_caption="An aerial view of the China Tower")
    assert "An aerial view" not in page(client, issue.get_absolute_url())
    assert "An aerial view" not in page(client, "/")


def test_comment_markup_is_sanitised_on_the_page(client):
    issue = published_issue()
    story = issue.stories.get(position=1)
    story.comment = 'Hello <script>alert("x")</script> and [bad](javascript:alert(1))'
    story.save()
    html = page(client, issue.get_absolute_url())
    assert "Hello &lt;script&gt;alert" in html  # shown as the text it is
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def test_staff_preview_a_draft_at_its_own_address_with_a_banner_and_no_caching(editor_client):
    issue = complete_issue()
    response = editor_client.get(reverse("briefings:preview", kwargs={"pk": issue.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: this issue is not published" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "private, no-store"
    # The public address shows staff what it shows everyone: published issues only.
    assert editor_client.get(issue.get_absolute_url()).status_code == 404


def test_preview_is_for_staff_only(client):
    issue = complete_issue()
    response = client.get(reverse("briefings:preview", kwargs={"pk": issue.pk}))
    assert response.status_code == 302  # to the admin's sign-in
    assert issue.title not in response.content.decode()


def test_unknown_issue_is_a_friendly_not_found_page(client):
    html = page(client, reverse("briefings:issue", args=["no-such-issue"]), status=404)
    assert "Page not found" in html
    assert f'href="{ARCHIVE}"' in html


def test_server_error_page_stands_alone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert '<a href="/">Back to the latest issue</a>' in html


# Story and document --------------------------------------------------------------------


def test_story_has_a_permalink(client):
    issue = published_issue()
    story = issue.stories.get(position=2)
    html = page(client, story.get_absolute_url())
    assert f'<h1 id="story-2-title"><span class="position">2.</span> {story.headline}</h1>' in html
    assert story.document.title_zh in html
    assert f'<a href="{issue.get_absolute_url()}">{issue.title}</a>' in html
    assert f'<a href="{story.document.get_absolute_url()}">' in html
    assert '"@type": "Article"' in html


def test_document_lists_every_published_story_that_discussed_it(client):
    document = PolicyDocumentFactory(title_en="Data Security Law")
    stories = []
    for title in ["First look", "Second look"]:
        story = published_issue().stories.get(position=1)
        story.headline, story.document = title, document
        story.save()
        stories.append(story)
    draft_story = complete_issue().stories.get(position=1)
    draft_story.headline, draft_story.document = "Draft look", document
    draft_story.save()

    html = page(client, document.get_absolute_url())

    assert "Data Security Law" in html
    assert "First look" in html and "Second look" in html
    assert "Draft look" not in html


def test_document_discussed_only_in_drafts_is_not_found(client):
    story = complete_issue().stories.first()
    page(client, story.document.get_absolute_url(), status=404)
    page(client, story.get_absolute_url(), status=404)


# Agencies and people -------------------------------------------------------------------


def test_agency_index_counts_only_published_content(client):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit", name_en="Ministry of Industry")
    for issue in [published_issue(), published_issue(), complete_issue()]:
        story = issue.stories.first()
        story.document = PolicyDocumentFactory(agencies=[miit])
        story.save()
        issue.noteworthy_items.first().agencies.add(miit)
    html = page(client, reverse("agencies:index"))
    assert '<a href="/agencies/miit/">MIIT</a><span class="full-name">Ministry of Industry' in html
    assert "<td>2</td>\n          <td>2</td>" in html


def test_agency_page_tracks_its_documents_and_news(client):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit", name_zh="工业和信息化部")
    older = published_issue(publication_date=datetime.date(2021, 7, 6))
    newer = published_issue(publication_date=datetime.date(2022, 10, 4))
    for issue, headline in [(older, "Older MIIT story"), (newer, "Newer MIIT story")]:
        story = issue.stories.first()
        story.headline, story.document = headline, PolicyDocumentFactory(agencies=[miit])
        story.save()
    item = newer.noteworthy_items.first()
    item.agencies.add(miit)
    draft = complete_issue()
    draft_story = draft.stories.first()
    draft_story.headline, draft_story.document = (
        "Draft MIIT story",
        PolicyDocumentFactory(agencies=[miit]),
    )
    draft_story.save()
    reindex()

    html = page(client, miit.get_absolute_url())

    assert '<p class="standfirst" lang="zh">工业和信息化部</p>' in html
    assert html.index("Newer MIIT story") < html.index("Older MIIT story")
    assert "Draft MIIT story" not in html
    assert item.text in html
    assert reverse("feeds:agency_rss", args=["miit"]) in html


def test_agency_without_published_content_and_unknown_agency_are_not_found(client):
    AgencyFactory(slug="quiet")
    page(client, reverse("agencies:detail", args=["quiet"]), status=404)
    page(client, reverse("agencies:detail", args=["no-such-agency"]), status=404)
    page(client, reverse("agencies:detail", args=["quiet"]), {"page": "abc"}, status=404)


def test_person_page_lists_the_issues_they_worked_on(client):
    person = PersonFactory(name="Rebecca Arcesati", slug="rebecca", role_title="Analyst")
    issue = published_issue(title="Her issue")
    CreditFactory(issue=issue, person=person, role=Credit.Role.AUTHOR)
    draft = complete_issue(title="Her draft")
    CreditFactory(issue=draft, person=person)
    reindex()

    html = page(client, person.get_absolute_url())

    assert "<h1>Rebecca Arcesati</h1>" in html
    assert "Analyst, MERICS" in html
    assert "Her issue" in html and "Her draft" not in html
    assert reverse("feeds:person_atom", args=["rebecca"]) in html
    assert "Rebecca Arcesati" in page(client, reverse("people:index"))


def test_person_only_in_drafts_is_not_found(client):
    person = PersonFactory(slug="drafter")
    CreditFactory(issue=complete_issue(), person=person)
    page(client, person.get_absolute_url(), status=404)
    assert "drafter" not in page(client, reverse("people:index"))


# Search --------------------------------------------------------------------------------


def test_search_finds_stories_issues_and_news_with_highlighted_snippets(client):
    issue = published_issue(title="Batteries + Chips")
    story = issue.stories.get(position=1)
    story.headline = "MIIT pushes battery makers to double down on innovation"
    story.comment = "The production of lithium-ion batteries is a key sector for China."
    story.save()
    NoteworthyItemFactory(issue=issue, text="CATL reveals plans for a battery recycling plant")
    index_issues()

    html = page(client, SEARCH, {"q": "battery"})

    assert "MIIT pushes <mark>battery</mark> makers" in html
    assert "<mark>battery</mark> recycling plant" in html
    assert html.index("MIIT pushes") < html.index("recycling plant")  # headline ranks first
    assert '<link rel="canonical" href="http://testserver/search/?q=battery">' in html


def test_a_news_result_is_headed_by_its_opening_words_and_dated_to_the_day(client):
    issue = published_issue(title="Batteries + Chips")
    NoteworthyItemFactory(
        issue=issue,
        date=datetime.date(2021, 6, 10),
        text="CATL reveals plans for a battery recycling plant in Sichuan with a capacity "
        "of 100,000 tonnes a year, its largest so far",
    )
    index_issues()
    html = page(client, SEARCH, {"q": "recycling"})
    heading = re.search(r'<h2><a href="[^"]*#item-\d+">(.*?)</a></h2>', html).group(1)
    words = re.sub(r"</?mark>", "", heading)
    assert "<mark>recycl" in heading  # the word searched for, marked
    assert words.startswith("CATL reveals plans for a battery recycling plant")
    assert words.endswith("…") and "largest so far" not in words
    assert '<time datetime="2021-06-10">June 10, 2021</time>' in html


def test_search_finds_a_chinese_title_by_a_substring(client):
    issue = published_issue()
    story = issue.stories.get(position=1)
    story.document = PolicyDocumentFactory(title_zh="算力基础设施高质量发展行动计划")
    story.save()
    index_issues()
    html = page(client, SEARCH, {"q": "高质量发展"})
    assert story.headline in html
    assert "<mark>高质量发展</mark>" in html


def test_search_never_shows_unpublished_content(client):
    draft = complete_issue()
    draft.stories.filter(position=1).update(headline="Secret draft headline")
    scheduled = complete_issue()
    scheduled.stories.filter(position=1).update(headline="Secret scheduled headline")
    scheduled.publish(at=timezone.now() + datetime.timedelta(days=1))
    index_issues()
    html = page(client, SEARCH, {"q": "secret"})
    assert "Secret" not in html.replace('value="secret"', "").replace("“secret”", "")
    assert "0 results" in html


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "<script>", "%00", "a" * 50 + " b" * 40])
def test_odd_queries_are_answered_without_error(client, query):
    published_issue()
    html = page(client, SEARCH, {"q": query})
    assert "<script>" not in html.split("<main", 1)[1]


def test_search_page_number_out_of_range_is_not_found(client):
    page(client, SEARCH, {"q": "nothing", "page": "5"}, status=404)


# Everything else -----------------------------------------------------------------------


def test_sitemap_lists_only_published_pages(client):
    issue = published_issue()
    draft = complete_issue()
    xml = sitemap_text(client)
    assert f"http://testserver{issue.get_absolute_url()}" in xml
    assert f"http://testserver{issue.stories.first().get_absolute_url()}" in xml
    assert draft.get_absolute_url() not in xml
    assert "/agencies/" in xml


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_unpublishing_hides_an_issue_everywhere(client):
    issue = published_issue(title="Soon withdrawn")
    story = issue.stories.first()
    person = issue.credits.first().person
    issue.unpublish()
    assert "Soon withdrawn" not in sitemap_text(client)
    for url in [HOME, ARCHIVE, reverse("feeds:issues_rss")]:
        assert "Soon withdrawn" not in page(client, url), url
    for url in [issue.get_absolute_url(), story.get_absolute_url(), person.get_absolute_url()]:
        page(client, url, status=404)


# Query counts --------------------------------------------------------------------------


def sitemap_text(client):
    """The sitemap index and every section it lists, as one text."""
    index = page(client, reverse("sitemap"))
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    return index + "".join(page(client, section) for section in sections)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("home", lambda: HOME, None),
    ("archive", lambda: ARCHIVE, None),
    ("archive filtered", lambda: ARCHIVE, {"agency": "miit", "section": "top5", "year": "2005"}),
    ("archive by person", lambda: ARCHIVE, {"person": "alexander-brown"}),
    ("issue", lambda: Issue.objects.get(slug="archive-issue-1").get_absolute_url(), None),
    (
        "story",
        lambda: Issue.objects.get(slug="archive-issue-1").stories.first().get_absolute_url(),
        None,
    ),
    (
        "document",
        lambda: (
            Issue.objects.get(slug="archive-issue-1").stories.first().document.get_absolute_url()
        ),
        None,
    ),
    ("agencies", lambda: reverse("agencies:index"), None),
    ("agency", lambda: reverse("agencies:detail", args=["miit"]), None),
    ("people", lambda: reverse("people:index"), None),
    ("person", lambda: reverse("people:detail", args=["alexander-brown"]), None),
    ("search", lambda: SEARCH, {"q": "batteries"}),
    ("search chinese", lambda: SEARCH, {"q": "计划"}),
    ("sitemap", lambda: reverse("sitemap"), None),
    ("sitemap stories", lambda: reverse("sitemap-section", args=["stories"]), None),
    ("issue feed", lambda: reverse("feeds:issues_rss"), None),
    ("agency feed", lambda: reverse("feeds:agency_atom", args=["miit"]), None),
    ("person feed", lambda: reverse("feeds:person_rss", args=["alexander-brown"]), None),
    ("story feed", lambda: reverse("feeds:stories_atom"), None),
]


ADMIN_PAGES = [
    ("admin issues", lambda: reverse("admin:briefings_issue_changelist"), None),
    ("admin issues searched", lambda: reverse("admin:briefings_issue_changelist"), {"q": "Chips"}),
    (
        "admin issue form",
        lambda: reverse(
            "admin:briefings_issue_change",
            args=[Issue.objects.get(slug="archive-issue-1").pk],
        ),
        None,
    ),
    (
        "admin issue history",
        lambda: reverse(
            "admin:briefings_issue_history",
            args=[Issue.objects.get(slug="archive-issue-1").pk],
        ),
        None,
    ),
    ("admin stories", lambda: reverse("admin:briefings_story_changelist"), None),
    ("admin noteworthy", lambda: reverse("admin:briefings_noteworthyitem_changelist"), None),
    ("admin documents", lambda: reverse("admin:briefings_policydocument_changelist"), None),
    ("admin agencies", lambda: reverse("admin:agencies_agency_changelist"), None),
    ("admin people", lambda: reverse("admin:people_person_changelist"), None),
]


def test_every_public_and_admin_page_runs_the_same_queries_with_5_and_500_issues(client, editor):
    """Query counts are part of correctness: they do not grow with the archive."""
    from django.test import Client

    staff = Client()
    sign_in(staff, editor)
    pages = [(name, url, params, client) for name, url, params in PAGES]
    pages += [(name, url, params, staff) for name, url, params in ADMIN_PAGES]

    def counts():
        # As a real change would: a new content version, so nothing computed for the
        # smaller archive is reused. Each page is asked twice and the second counted:
        # the first pays once-per-version work (counts, filter choices, cached lookups).
        editing.announce()
        for _name, url, params, who in pages:
            count_queries(who, url(), params)
        return {name: count_queries(who, url(), params) for name, url, params, who in pages}

    make_archive(5)
    small = counts()
    make_archive(495, start=5)
    assert counts() == small


def test_archive_filters_are_labelled_and_keep_the_choice(client):
    published_issue(publication_date=datetime.date(2021, 7, 6))
    html = page(client, ARCHIVE, {"year": "2021"})
    for label in ["Year", "Agency", "Person", "Section"]:
        assert f">{label}</label>" in html
    assert "[invalid name]" not in html and "Credits person" not in html
    assert '<option value="2021" selected>2021</option>' in html


def test_the_search_page_has_one_search_box(client):
    published_issue()
    html = page(client, reverse("search:search") + "?q=plan")
    assert html.count('type="search"') == 1
    assert 'value="plan"' in html
    assert page(client, "/").count('type="search"') == 1  # the header's, elsewhere


def test_a_storys_document_box_links_to_the_documents_page(client):
    """The document page gathers every story that discussed it; the “Link” beside the
    titles stays the original document's address."""
    issue = published_issue()
    story = issue.stories.get(position=1)
    document = story.document
    html = page(client, issue.get_absolute_url())
    assert f'<a href="{document.get_absolute_url()}"><span lang="en">{document.title_en}' in html
    assert client.get(document.get_absolute_url()).status_code == 200
    assert f'<a href="{document.get_absolute_url()}">' in page(client, story.get_absolute_url())
