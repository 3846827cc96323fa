"""A refused stale save is recovered on the same page: their changes to what I did not
change are taken into my form, the fields we both changed are shown side by side with
“Keep mine” and “Take theirs”, and the next save goes through without retyping."""

import re

import pytest
from django.test import Client

from apps.briefings.models import Issue
from tests.admin_forms import admin_form_data, change_url, save_issue
from tests.factories import UserFactory, complete_issue, published_issue
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def story_field(data, position, name):
    index = next(k.split("-")[1] for k, v in data.items()
                 if re.fullmatch(r"stories-\d+-position", k) and v == str(position))  # fmt: skip
    return f"stories-{index}-{name}"


@pytest.fixture
def other_client(db):
    client = Client()
    sign_in(client, UserFactory(username="bea", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("make", [complete_issue, published_issue], ids=["draft", "live"])
def test_both_changed_fields_are_set_side_by_side_and_theirs_elsewhere_taken_in(
    editor_client, other_client, make
):
    issue = make()
    mine = admin_form_data(editor_client.get(change_url(issue)))

    save_issue(
        other_client,
        issue,
        standfirst="Their standfirst.",
        **{
            story_field(mine, 1, "headline"): "Their headline",
            story_field(mine, 2, "comment"): "Their comment.",
        },
    )

    mine[story_field(mine, 1, "headline")] = "My headline"
    mine[story_field(mine, 2, "comment")] = "My comment."
    mine["title"] = "My title"
    response = editor_client.post(change_url(issue), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "saved this issue after you opened it" in html
    assert "You both changed 2 fields" in html
    conflicts = response.context["conflicts"]
    assert [(c.mine, c.theirs) for c in conflicts] == [
        ("My headline", "Their headline"),
        ("My comment.", "Their comment."),
    ]
    assert "Top 5 story" in conflicts[0].label and conflicts[0].label.endswith("Headline")
    # The form comes back with my edits, their standfirst, and the version now current.
    again = admin_form_data(response)
    assert again["title"] == "My title"
    assert again[story_field(again, 1, "headline")] == "My headline"
    assert again["standfirst"] == "Their standfirst."

    # Keep mine for the headline, take theirs for the comment, save.
    again[f"resolve-{conflicts[0].name}"] = "mine"
    again[f"resolve-{conflicts[1].name}"] = "theirs"
    saved = editor_client.post(change_url(issue), again)
    assert saved.status_code == 302, saved.context and saved.context["errors"]

    shown = admin_form_data(editor_client.get(change_url(issue)))  # pending changes included
    assert shown["title"] == "My title"
    assert shown["standfirst"] == "Their standfirst."
    assert shown[story_field(shown, 1, "headline")] == "My headline"
    assert shown[story_field(shown, 2, "comment")] == "Their comment."


def test_a_stale_save_where_only_they_changed_things_keeps_their_changes(
    editor_client, other_client
):
    issue = complete_issue()
    mine = admin_form_data(editor_client.get(change_url(issue)))
    save_issue(other_client, issue, standfirst="Their standfirst.")

    mine["title"] = "My title"
    response = editor_client.post(change_url(issue), mine)
    assert response.status_code == 200
    assert response.context["conflicts"] == []
    assert Issue.objects.get(pk=issue.pk).title == issue.title  # refused once

    assert editor_client.post(change_url(issue), admin_form_data(response)).status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.standfirst) == ("My title", "Their standfirst.")


def test_another_save_while_choosing_is_caught_again(editor_client, other_client):
    issue = complete_issue()
    mine = admin_form_data(editor_client.get(change_url(issue)))
    save_issue(other_client, issue, title="Their title")
    mine["title"] = "My title"
    response = editor_client.post(change_url(issue), mine)
    assert len(response.context["conflicts"]) == 1

    save_issue(other_client, issue, title="Their second title")
    again = editor_client.post(change_url(issue), admin_form_data(response))
    assert again.status_code == 200
    assert [(c.mine, c.theirs) for c in again.context["conflicts"]] == [
        ("My title", "Their second title")
    ]
    assert Issue.objects.get(pk=issue.pk).title == "Their second title"
