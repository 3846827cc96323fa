"""Changes to a live issue wait as pending changes: readers, feeds, search and the sitemap
keep the live issue; staff previews and share links show the changes; an editor
publishes them, with a correction note readers see."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.briefings import editing, sharing
from apps.briefings.models import Issue
from tests.admin_forms import admin_form_data, change_url
from tests.admin_forms import save_issue as save
from tests.factories import complete_issue, published_issue

pytestmark = pytest.mark.django_db


def public_texts(client, issue):
    urls = [
        issue.get_absolute_url(),
        reverse("briefings:home"),
        reverse("briefings:archive"),
        reverse("feeds:issues_rss"),
        reverse("feeds:issues_atom"),
        reverse("feeds:stories_rss"),
        reverse("sitemap-section", args=["issues"]),
        reverse("sitemap-section", args=["stories"]),
        reverse("search:search") + "?q=Corrected",
    ]
    return "\n".join(client.get(url).content.decode() for url in urls)


@pytest.fixture
def live_with_changes(editor_client):
    issue = published_issue(title="The live issue")
    save(
        editor_client,
        issue,
        title="The live issue, corrected",
        **{"stories-0-headline": "Corrected headline of story one"},
    )
    issue.refresh_from_db()
    return issue


def test_a_save_of_a_live_issue_keeps_the_changes_pending(live_with_changes, client):
    issue = live_with_changes
    assert issue.title == "The live issue"
    assert issue.pending_revision is not None
    html = public_texts(client, issue)
    assert "The live issue" in html
    assert "The live issue, corrected" not in html
    assert "Corrected headline of story one" not in html


def test_pending_changes_show_in_the_form_preview_and_share_links(
    live_with_changes, editor_client, editor, client
):
    issue = live_with_changes
    form = editor_client.get(change_url(issue)).content.decode()
    assert "The live issue, corrected" in form
    assert "Changes pending" in form and "Compare with live" in form

    preview = editor_client.get(reverse("briefings:preview", kwargs={"pk": issue.pk}))
    assert "Corrected headline of story one" in preview.content.decode()
    assert "Preview of changes not yet published" in preview.content.decode()
    assert preview["Cache-Control"] == "private, no-store"

    shared = client.get(sharing.url(sharing.create(issue, editor)))
    assert "Corrected headline of story one" in shared.content.decode()
    assert shared["Cache-Control"] == "private, no-store"
    # and the live rows are untouched by showing them
    assert Issue.objects.get(pk=issue.pk).stories.get(position=1).headline != (
        "Corrected headline of story one"
    )


def test_compare_with_live_shows_the_pending_changes(live_with_changes, editor_client):
    issue = live_with_changes
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    html = editor_client.get(url, {"from": "live", "to": "pending"}).content.decode()
    assert "<ins>Corrected headline of story one</ins>" in html
    assert "the pending changes" in html


def test_a_second_save_builds_on_the_pending_changes(live_with_changes, editor_client):
    issue = live_with_changes
    save(editor_client, issue, **{"stories-1-headline": "Story two, corrected too"})
    issue.refresh_from_db()
    headlines = [s["headline"] for s in issue.pending_revision.content["stories"]]
    assert headlines[:2] == ["Corrected headline of story one", "Story two, corrected too"]


def test_an_editor_publishes_the_changes_with_a_correction_note(
    live_with_changes, editor_client, client
):
    issue = live_with_changes
    updated_before = issue.updated_at
    data = admin_form_data(editor_client.get(change_url(issue)))
    data.update(_publish="1", correction_note="The headline of story one misnamed the ministry.")

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.pending_revision is None
    assert issue.title == "The live issue, corrected"
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Corrected headline of story one" in page
    assert "The headline of story one misnamed the ministry." in page
    assert f"{timezone.localdate():%-d %B %Y}</time>:</strong> The headline" in page
    entry = feedparser.parse(client.get(reverse("feeds:issues_atom")).content).entries[0]
    assert issue.updated_at > updated_before
    assert entry.updated_parsed[:5] == issue.updated_at.utctimetuple()[:5]
    assert issue.revisions.first().kind == "published"


def test_a_contributor_prepares_and_submits_changes_but_cannot_publish_them(login, contributor):
    issue = published_issue()
    client = login(contributor)
    save(client, issue, title="Proposed by a contributor")
    client.post(
        reverse("admin:briefings_issue_workflow", args=[issue.pk]), {"action": "submit_changes"}
    )
    issue.refresh_from_db()
    assert issue.pending_in_review

    form = client.get(change_url(issue)).content.decode()
    assert 'name="_publish"' not in form
    data = admin_form_data(client.get(change_url(issue)))
    client.post(change_url(issue), {**data, "_publish": "1"})
    issue.refresh_from_db()
    assert issue.title != "Proposed by a contributor"
    assert issue.pending_revision is not None


def test_pending_changes_can_be_discarded(live_with_changes, editor_client):
    issue = live_with_changes
    editor_client.post(
        reverse("admin:briefings_issue_workflow", args=[issue.pk]), {"action": "discard_changes"}
    )
    issue.refresh_from_db()
    assert issue.pending_revision is None
    form = editor_client.get(change_url(issue)).context["adminform"].form
    assert form["title"].value() == "The live issue"


def test_pending_changes_that_empty_a_story_are_refused(editor_client):
    issue = published_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    response = editor_client.post(change_url(issue), {**data, "stories-0-comment": ""})
    assert response.status_code == 200
    assert "must stay complete" in response.content.decode()
    issue.refresh_from_db()
    assert issue.pending_revision is None


def test_unpublishing_makes_the_pending_changes_the_content(live_with_changes, editor):
    issue = live_with_changes
    editing.transition(issue, "unpublish", user=editor)
    issue.refresh_from_db()
    assert issue.title == "The live issue, corrected" and issue.pending_revision is None


def test_a_scheduled_issue_is_saved_directly(editor_client, editor):
    issue = complete_issue()
    editing.transition(
        issue, "schedule", user=editor, at=timezone.now() + datetime.timedelta(days=1)
    )
    save(editor_client, issue, title="Fixed before it goes live")
    issue.refresh_from_db()
    assert issue.title == "Fixed before it goes live" and issue.pending_revision is None


def test_a_moved_issue_and_its_stories_redirect_permanently(editor_client, client):
    issue = published_issue()
    old_issue, old_story = issue.get_absolute_url(), issue.stories.get(position=1)
    old_story_url = old_story.get_absolute_url()
    save(editor_client, issue, slug="a-new-address", _publish="1")
    issue.refresh_from_db()
    assert issue.slug == "a-new-address"

    response = client.get(old_issue)
    assert response.status_code == 301 and response["Location"] == issue.get_absolute_url()
    response = client.get(old_story_url)
    assert response.status_code == 301
    assert response["Location"] == issue.stories.get(position=1).get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_the_issue_list_filters_pending_changes(live_with_changes, editor_client):
    other = published_issue(title="No changes here")
    html = editor_client.get(
        reverse("admin:briefings_issue_changelist"), {"pending": "yes"}
    ).content.decode()
    assert live_with_changes.title in html and other.title not in html


def test_saving_pending_changes_keeps_the_live_issue_in_trackers_and_search(
    live_with_changes, editor_client, client
):
    """Saving pending changes rewrites the live rows with their ids; the agency and
    person pages and search still find the live issue."""
    issue = live_with_changes
    story = issue.stories.get(position=2)
    agency = story.document.issuers.first().agency
    person = issue.credits.first().person
    save(editor_client, issue, **{"stories-1-headline": "Another pending headline"})
    assert story.headline in client.get(agency.get_absolute_url()).content.decode()
    assert issue.title in client.get(person.get_absolute_url()).content.decode()
    results = client.get(reverse("search:search"), {"q": story.headline})
    assert story.headline in results.content.decode()


def test_a_rendering_of_content_that_changed_meanwhile_is_not_kept(
    live_with_changes, editor, client
):
    """A reader's request renders the issue from what it read; meanwhile an editor
    publishes a correction. That reader's page shows the old text (it began first), but
    its rendering must not be kept: every reader after sees the correction."""
    from unittest import mock

    from apps.briefings import rendering

    issue = live_with_changes
    Issue.objects.filter(pk=issue.pk).update(rendered={})  # the next reader renders it
    render_to_string = rendering.render_to_string
    published = []

    def editor_publishes_meanwhile(*args, **kwargs):
        html = render_to_string(*args, **kwargs)
        if not published:
            published.append(editing.publish_changes(Issue.objects.get(pk=issue.pk), user=editor))
        return html

    with mock.patch.object(rendering, "render_to_string", editor_publishes_meanwhile):
        first = client.get(issue.get_absolute_url()).content.decode()
    assert published and "The live issue, corrected" not in first

    after = client.get(issue.get_absolute_url()).content.decode()
    assert "Corrected headline of story one" in after
    feed = client.get(reverse("feeds:issues_atom")).content.decode()
    assert "Corrected headline of story one" in feed
