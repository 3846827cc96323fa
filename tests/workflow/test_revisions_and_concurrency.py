import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from apps.briefings.models import Issue, NoteworthyItem
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory, published_issue

pytestmark = pytest.mark.django_db


def change_url(issue):
    return reverse("admin:briefings_issue_change", args=[issue.pk])


def save(client, issue, **changes):
    data = admin_form_data(client.get(change_url(issue)))
    data.update(changes)
    response = client.post(change_url(issue), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def item_prefix(data, item):
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("noteworthy_items-") and key.endswith("-id") and value == str(item.pk)
    )


@pytest.fixture
def history(editor_client):
    """A published issue saved three times in the admin: as it was, with a story edited,
    and with a noteworthy item deleted."""
    issue = published_issue()
    original_headline = issue.stories.get(position=1).headline
    doomed = issue.noteworthy_items.get(section=NoteworthyItem.Section.CORPORATE)
    save(editor_client, issue)
    save(editor_client, issue, **{"stories-0-headline": "A sharper headline for story one"})
    data = admin_form_data(editor_client.get(change_url(issue)))
    data[f"{item_prefix(data, doomed)}-DELETE"] = "on"
    assert editor_client.post(change_url(issue), data).status_code == 302
    versions = list(Version.objects.get_for_object(issue).order_by("revision__date_created"))
    return issue, versions, original_headline, doomed


def test_every_save_stores_a_revision_of_the_whole_issue(history):
    issue, versions, _, doomed = history
    assert len(versions) == 3
    first = versions[0].revision
    models = {v.content_type.model for v in first.version_set.all()}
    assert {"issue", "story", "noteworthyitem", "credit"} <= models
    assert first.version_set.filter(content_type__model="noteworthyitem", object_id=str(doomed.pk))


def test_history_lists_revisions_with_who_and_a_summary(editor_client, history):
    issue, *_ = history
    html = editor_client.get(reverse("admin:briefings_issue_history", args=[issue.pk])).content
    html = html.decode()
    assert html.count('name="from"') == 3
    assert "Changed Headline for Top 5 story “1. A sharper headline for story one”." in html
    assert "Deleted noteworthy item" in html


def test_diff_shows_the_story_edit_and_the_deleted_item(editor_client, history):
    issue, versions, original_headline, doomed = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    response = editor_client.get(
        url, {"from": versions[0].revision_id, "to": versions[2].revision_id}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<del>{original_headline}</del><ins>A sharper headline for story one</ins>" in html
    assert "changed</span> Top 5 story" in html
    assert "removed</span> noteworthy item" in html


def test_diff_of_identical_revisions_says_so(editor_client, history):
    issue, versions, *_ = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    rev = versions[0].revision_id
    html = editor_client.get(url, {"from": rev, "to": rev}).content.decode()
    assert "These two revisions hold the same content." in html


def test_compare_with_a_bad_revision_goes_back_to_the_history(editor_client, history):
    issue, *_ = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    response = editor_client.get(url, {"from": "abc", "to": "999999"})
    assert response.status_code == 302


def test_restore_brings_back_the_story_and_the_deleted_item_as_a_new_revision(
    editor_client, history
):
    issue, versions, original_headline, doomed = history
    url = reverse("admin:briefings_issue_revision", args=[issue.pk, versions[0].pk])
    data = admin_form_data(editor_client.get(url))

    response = editor_client.post(url, data)

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.stories.get(position=1).headline == original_headline
    assert issue.noteworthy_items.filter(pk=doomed.pk).exists()
    assert Version.objects.get_for_object(issue).count() == 4
    assert issue.is_live  # a published issue stays published


def test_viewing_an_old_revision_changes_nothing(editor_client, history):
    issue, versions, *_ = history
    editor_client.get(reverse("admin:briefings_issue_revision", args=[issue.pk, versions[0].pk]))
    assert issue.stories.get(position=1).headline == "A sharper headline for story one"


# No lost edits -------------------------------------------------------------------------


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(UserFactory(is_staff=True, is_superuser=True, first_name="Sam"))
    return first, second


def test_second_save_after_the_first_is_refused(two_editors):
    first, second = two_editors
    issue = published_issue()
    first_form = admin_form_data(first.get(change_url(issue)))
    second_form = admin_form_data(second.get(change_url(issue)))

    first_form["title"] = "First editor's title"
    assert first.post(change_url(issue), first_form).status_code == 302
    second_form["title"] = "Second editor's title"
    response = second.post(change_url(issue), second_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "saved this issue after you opened it, so your changes were not saved" in html
    assert reverse("admin:briefings_issue_history", args=[issue.pk]) in html
    assert "Second editor&#x27;s title" in html  # their edit is still in the form
    issue.refresh_from_db()
    assert issue.title == "First editor's title"


def test_a_change_only_to_an_inline_also_refuses_the_second_save(two_editors):
    first, second = two_editors
    issue = published_issue()
    first_form = admin_form_data(first.get(change_url(issue)))
    second_form = admin_form_data(second.get(change_url(issue)))

    first_form["stories-1-comment"] = "A rewritten comment."
    assert first.post(change_url(issue), first_form).status_code == 302
    second_form["noteworthy_items-0-text"] = "An edited noteworthy item"
    response = second.post(change_url(issue), second_form)

    assert response.status_code == 200
    assert "your changes were not saved" in response.content.decode()
    assert issue.stories.get(position=2).comment == "A rewritten comment."
    assert not issue.noteworthy_items.filter(text="An edited noteworthy item").exists()


def test_saving_again_after_reloading_works(two_editors):
    first, second = two_editors
    issue = published_issue()
    save(first, issue, title="One")
    save(second, issue, title="Two")
    assert Issue.objects.get(pk=issue.pk).title == "Two"


def test_who_else_has_the_issue_open_is_shown(two_editors):
    first, second = two_editors
    issue = published_issue()
    first.get(change_url(issue))
    html = second.get(change_url(issue)).content.decode()
    assert "Also open by" in html


def test_word_diff_marks_what_was_removed_and_added():
    from apps.briefings.history import word_diff

    assert word_diff("MIIT issues a plan", "MIIT issues a draft plan") == (
        "MIIT issues a <ins>draft </ins>plan"
    )
    assert word_diff("<b>old</b>", "new") == "<del>&lt;b&gt;old&lt;/b&gt;</del><ins>new</ins>"
