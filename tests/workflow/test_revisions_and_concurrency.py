import pytest
from django.test import Client
from django.urls import reverse

from apps.briefings.models import Issue, NoteworthyItem, Revision
from tests.admin_forms import admin_form_data, change_url
from tests.admin_forms import save_issue as save
from tests.factories import UserFactory, complete_issue, published_issue
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def item_prefix(data, item):
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("noteworthy_items-") and key.endswith("-id") and value == str(item.pk)
    )


@pytest.fixture
def history(editor_client):
    """A draft saved twice in the admin: with a story edited, then a noteworthy item
    deleted. Its first recorded change also keeps the issue as it was."""
    issue = complete_issue()
    original_headline = issue.stories.get(position=1).headline
    doomed = issue.noteworthy_items.get(section=NoteworthyItem.Section.CORPORATE)
    save(editor_client, issue, **{"stories-0-headline": "A sharper headline for story one"})
    data = admin_form_data(editor_client.get(change_url(issue)))
    data[f"{item_prefix(data, doomed)}-DELETE"] = "on"
    assert editor_client.post(change_url(issue), data).status_code == 302
    revisions = list(issue.revisions.order_by("created_at", "id"))
    return issue, revisions, original_headline, doomed


def test_every_save_stores_a_revision_of_the_whole_issue(history):
    issue, revisions, original_headline, doomed = history
    assert [r.via for r in revisions] == ["system", "admin", "admin"]
    first = revisions[0].content
    assert first["stories"][0]["headline"] == original_headline
    assert [item["id"] for item in first["noteworthy_items"]].count(doomed.pk) == 1
    assert len(first["credits"]) == 1
    document = first["documents"][str(first["stories"][0]["document"])]
    assert document["title_en"] and document["agencies"]
    assert doomed.pk not in [item["id"] for item in revisions[2].content["noteworthy_items"]]


def test_history_lists_revisions_with_who_how_and_a_summary(editor_client, history):
    issue, *_ = history
    html = editor_client.get(reverse("admin:briefings_issue_history", args=[issue.pk])).content
    html = html.decode()
    assert html.count('name="from"') == 3
    assert "Changed Headline for Top 5 story “1. A sharper headline for story one”." in html
    assert "Deleted noteworthy item" in html
    assert "the system" in html and "admin" in html


def test_diff_shows_the_story_edit_and_the_deleted_item(editor_client, history):
    issue, revisions, original_headline, doomed = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    response = editor_client.get(url, {"from": revisions[0].pk, "to": revisions[2].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<del>{original_headline}</del><ins>A sharper headline for story one</ins>" in html
    assert "changed</span> Top 5 story" in html
    assert "removed</span> noteworthy item" in html


def test_diff_of_identical_revisions_says_so(editor_client, history):
    issue, revisions, *_ = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    rev = revisions[0].pk
    html = editor_client.get(url, {"from": rev, "to": rev}).content.decode()
    assert "These two hold the same content." in html


def test_compare_with_a_bad_revision_goes_back_to_the_history(editor_client, history):
    issue, *_ = history
    url = reverse("admin:briefings_issue_compare", args=[issue.pk])
    for query in [{"from": "abc", "to": "999999"}, {"from": "pending", "to": "live"}, {}]:
        assert editor_client.get(url, query).status_code == 302


def test_restore_brings_back_the_story_and_the_deleted_item_as_a_new_revision(
    editor_client, history
):
    issue, revisions, original_headline, doomed = history
    url = reverse("admin:briefings_issue_revision", args=[issue.pk, revisions[0].pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "A sharper headline for story one" in page.content.decode()  # what it undoes

    response = editor_client.post(url, {"loaded_version": Issue.objects.get(pk=issue.pk).version})

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.stories.get(position=1).headline == original_headline
    assert issue.noteworthy_items.filter(pk=doomed.pk).exists()
    latest = issue.revisions.first()
    assert latest.via == "restore" and issue.revisions.count() == 4
    assert issue.state == "draft"


def test_a_restore_from_a_stale_page_is_refused(editor_client, history):
    issue, revisions, *_ = history
    url = reverse("admin:briefings_issue_revision", args=[issue.pk, revisions[0].pk])
    stale = Issue.objects.get(pk=issue.pk).version - 1
    response = editor_client.post(url, {"loaded_version": stale}, follow=True)
    assert "saved this issue after you opened it" in response.content.decode()
    assert issue.revisions.count() == 3


def test_viewing_an_old_revision_changes_nothing(editor_client, history):
    issue, revisions, *_ = history
    editor_client.get(reverse("admin:briefings_issue_revision", args=[issue.pk, revisions[0].pk]))
    assert issue.stories.get(position=1).headline == "A sharper headline for story one"
    assert issue.revisions.count() == 3


def test_a_revision_of_another_issue_is_not_found(editor_client, history):
    issue, revisions, *_ = history
    other = complete_issue()
    url = reverse("admin:briefings_issue_revision", args=[other.pk, revisions[0].pk])
    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url).status_code == 404


# No lost edits -------------------------------------------------------------------------


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    sign_in(first, editor)
    sign_in(second, UserFactory(is_staff=True, is_superuser=True, first_name="Sam"))
    return first, second


@pytest.mark.parametrize("make", [complete_issue, published_issue], ids=["draft", "live"])
def test_second_save_after_the_first_is_refused(two_editors, make):
    first, second = two_editors
    issue = make()
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
    working = issue.pending_revision.content["issue"] if issue.is_live else {"title": issue.title}
    assert working["title"] == "First editor's title"


def test_a_change_only_to_an_inline_also_refuses_the_second_save(two_editors):
    first, second = two_editors
    issue = complete_issue()
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
    issue = complete_issue()
    save(first, issue, title="One")
    save(second, issue, title="Two")
    assert Issue.objects.get(pk=issue.pk).title == "Two"


def test_a_refused_save_keeps_nothing(two_editors):
    first, second = two_editors
    issue = complete_issue()
    second_form = admin_form_data(second.get(change_url(issue)))
    save(first, issue, title="One")
    revisions = Revision.objects.count()
    second_form["title"] = "Two"
    second.post(change_url(issue), second_form)
    assert Revision.objects.count() == revisions
    assert Issue.objects.get(pk=issue.pk).title == "One"


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
