"""generate_archive adds synthetic published issues for measurements, and only where it
can do no harm."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from apps.briefings.derived import bulk_writes
from apps.briefings.models import Appearance, Issue, NoteworthyItem, PolicyDocument, Story
from apps.search.models import SearchEntry
from tests.archive import search_index_takes_entries_straight_into_its_tree

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_archive", *args, stdout=out)
    return out.getvalue()


def test_it_adds_complete_published_issues_and_can_add_more(client):
    assert "the archive holds 4" in generate("--issues", "4")
    assert "the archive holds 7" in generate("--issues", "3")
    issues = Issue.objects.all()
    assert all(issue.is_live and not issue.live_problems() for issue in issues)
    assert Story.objects.count() == 35
    assert 70 <= NoteworthyItem.objects.count() <= 105
    assert all(item.sources.exists() for item in NoteworthyItem.objects.all())
    assert PolicyDocument.objects.count() <= 35  # some documents discussed twice
    assert all(issue.words > 1000 for issue in issues)
    # Searchable and tracked like any published issue.
    assert SearchEntry.objects.filter(kind="story").count() == 35
    assert Appearance.objects.filter(kind="credit").count() == Issue.objects.count() * 3
    latest = issues.order_by("-publication_date").first()
    assert latest.title in client.get("/").content.decode()
    assert client.get(latest.get_absolute_url()).status_code == 200


def test_it_refuses_a_database_with_real_content_unless_forced():
    call_command("seed_archive", stdout=io.StringIO())
    with pytest.raises(CommandError, match="holds real content"):
        generate("--issues", "2")
    assert Issue.objects.count() == 5
    generate("--issues", "2", "--force")
    assert Issue.objects.count() == 7


def test_it_wants_a_number_of_issues():
    with pytest.raises(CommandError, match="at least 1"):
        generate("--issues", "0")


def test_synthetic_text_is_rendered_as_the_markdown_renderer_would():
    generate("--issues", "2")
    for story in Story.objects.all():
        html = [story.glance_intro_html, story.bullets_html, story.glance_outro_html]
        html += [story.comment_html, story.box_body_html, story.words]
        story.render()
        assert html == [story.glance_intro_html, story.bullets_html, story.glance_outro_html,
                        story.comment_html, story.box_body_html, story.words]  # fmt: skip
    for item in NoteworthyItem.objects.all():
        html = (item.text_html, item.words)
        item.render()
        assert html == (item.text_html, item.words)


@pytest.mark.django_db(transaction=True)
def test_a_generated_archive_is_searchable_when_the_command_returns(client):
    """Outside a transaction the search vectors are written alongside, on a second
    connection; the command returns once every one is written."""
    generate("--issues", "3")
    item = NoteworthyItem.objects.order_by("pk").last()
    company = item.text.split()[0]
    response = client.get(reverse("search:search"), {"q": company})
    assert f"#item-{item.pk}" in response.content.decode()
    if connection.vendor == "postgresql":
        assert not SearchEntry.objects.filter(vector__isnull=True).exists()
    assert search_index_takes_entries_straight_into_its_tree()


def test_reindexing_leaves_the_search_index_taking_entries_straight_into_its_tree(client):
    generate("--issues", "2")
    SearchEntry.objects.all().delete()
    call_command("reindex_search", stdout=io.StringIO())
    assert SearchEntry.objects.filter(kind="story").count() == 10
    story = Story.objects.first()
    response = client.get(reverse("search:search"), {"q": story.headline})
    assert story.get_absolute_url() in response.content.decode()
    assert search_index_takes_entries_straight_into_its_tree()


def test_a_failed_bulk_write_leaves_the_search_index_as_it_was():
    with pytest.raises(RuntimeError), bulk_writes():
        raise RuntimeError("an import stopped half way")
    assert search_index_takes_entries_straight_into_its_tree()
