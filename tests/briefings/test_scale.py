"""What keeps pages flat as the archive grows: a sitemap index of bounded sections,
paginated tracker pages, a search that gives up instead of holding a worker."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.briefings.sitemaps import SITEMAPS
from apps.search import search as search_module
from tests.archive import make_archive, search_index_takes_entries_straight_into_its_tree
from tests.factories import CreditFactory, PersonFactory, published_issue, reindex

pytestmark = pytest.mark.django_db


def test_the_sitemap_is_an_index_of_sections_of_bounded_size(client, monkeypatch):
    make_archive(12)
    for sitemap in SITEMAPS.values():
        monkeypatch.setattr(sitemap, "limit", 25)  # 50,000 in production
    index = client.get(reverse("sitemap")).content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert "/sitemap-issues.xml" in sections
    assert "/sitemap-stories.xml" in sections and "/sitemap-stories.xml?p=3" in sections
    urls = []
    for section in sections:
        xml = client.get(section).content.decode()
        found = re.findall(r"<loc>([^<]+)</loc>", xml)
        assert 0 < len(found) <= 25, section
        urls += found
    assert len([u for u in urls if "/story-" in u]) == 60  # every story, once
    assert len(urls) == len(set(urls))


def test_a_person_page_is_paginated(client):
    person = PersonFactory(slug="prolific")
    for _ in range(27):
        CreditFactory(issue=published_issue(), person=person)
    reindex()
    first = client.get(person.get_absolute_url()).content.decode()
    second = client.get(person.get_absolute_url(), {"page": 2}).content.decode()
    assert first.count('class="context"') == 25 and second.count('class="context"') == 2
    assert 'rel="next"' in first
    assert client.get(person.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get(person.get_absolute_url(), {"page": "x"}).status_code == 404


def test_a_slow_search_says_so_instead_of_failing(client, monkeypatch):
    published_issue()

    def too_slow(*args, **kwargs):
        raise search_module.TooSlow

    monkeypatch.setattr("apps.search.views.search", too_slow)
    response = client.get(reverse("search:search"), {"q": "plan"})
    assert response.status_code == 200
    assert "took too long" in response.content.decode()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_search_runs_under_a_statement_timeout(client, settings):
    settings.SEARCH_TIMEOUT_MS = 1234
    published_issue()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("search:search"), {"q": "plan"})
    assert any("statement_timeout" in q["sql"] and "1234ms" in q["sql"] for q in queries)


def _slow_search_query():
    """A query that takes half a second, as a search over a huge archive might."""
    from django.db.models.expressions import RawSQL

    from apps.search.models import SearchEntry

    published_issue()
    reindex()
    return SearchEntry.objects.values_list(RawSQL("pg_sleep(0.5)", []))[:1].query.sql_with_params()


def _timeout_is_stopped_and_the_connection_goes_on(settings):
    settings.SEARCH_TIMEOUT_MS = 50
    with pytest.raises(search_module.TooSlow):
        search_module._limited(*_slow_search_query())
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")  # the search's timeout went with it
        assert cursor.fetchone()[0] == "0"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_slow_search_query_is_stopped_and_the_connection_goes_on(settings):
    _timeout_is_stopped_and_the_connection_goes_on(settings)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_slow_search_query_inside_a_transaction_spoils_nothing_else(settings):
    _timeout_is_stopped_and_the_connection_goes_on(settings)
    assert published_issue().pk  # the transaction is still usable


@pytest.mark.parametrize("query", ["\x00", "a\x00b", "plan\x1f", "中" * 300, "(((", "'\""])
def test_hostile_search_words_are_answered(client, query):
    published_issue()
    response = client.get(reverse("search:search"), {"q": query})
    # A NUL character is refused for every address (see test_bad_input); the rest searched.
    assert response.status_code == (400 if "\x00" in query else 200)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_new_search_entries_go_straight_into_the_index():
    assert search_index_takes_entries_straight_into_its_tree()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_word_in_many_entries_is_counted_as_more_than_the_limit(monkeypatch):
    """Ranked among its newest matches, as many as a count shows."""
    monkeypatch.setattr(search_module, "MAX_COUNT", 3)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 4)
    make_archive(2)
    reindex()
    page = search_module.search("batteries")
    assert (page.count, page.more_than) == (4, True), page.count
