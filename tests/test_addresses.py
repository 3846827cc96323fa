"""Addresses reversed once per process are the addresses `reverse()` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from apps.addresses import slug_address


@pytest.fixture
def prefix():
    yield set_script_prefix
    set_script_prefix("/")


def test_the_same_address_as_reverse_for_any_slugs():
    for slug in ["a", "made-in-china-2025", "x_y-9"]:
        assert slug_address("briefings:issue", slug=slug) == reverse(
            "briefings:issue", kwargs={"slug": slug}
        )
    assert slug_address("briefings:story", issue_slug="march", slug="chips") == reverse(
        "briefings:story", kwargs={"issue_slug": "march", "slug": "chips"}
    )


def test_a_site_under_a_prefix_gets_its_prefix(prefix):
    slug_address("people:detail", slug="li-wei")  # remembered without the prefix
    prefix("/briefs/")
    assert slug_address("people:detail", slug="li-wei") == "/briefs/people/li-wei/"


@pytest.mark.parametrize("value", ["", "a/b", "../x", "a b", "ü", "a\nb"])
def test_what_is_not_a_slug_is_refused_as_reverse_refuses_it(value):
    with pytest.raises(NoReverseMatch):
        slug_address("agencies:detail", slug=value)


def test_a_value_that_is_not_text_is_given_to_reverse():
    assert slug_address("agencies:detail", slug=7) == reverse("agencies:detail", args=["7"])


def test_an_address_without_arguments(prefix):
    assert slug_address("feeds:issues_rss") == reverse("feeds:issues_rss")
    prefix("/briefs/")
    assert slug_address("feeds:issues_rss") == "/briefs/feeds/rss/"
