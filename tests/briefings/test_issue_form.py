"""The issue form at a glance: stories fold when complete, a contents bar, the publish
checklist beside the form, dates one can't misread, the schedule's time zone said once,
Noteworthy rows with every field labelled."""

import datetime
import re

import pytest
from django.urls import reverse

from apps.briefings.models import Issue
from tests.admin_forms import admin_form_data
from tests.factories import complete_issue

pytestmark = pytest.mark.django_db


def change_url(issue):
    return reverse("admin:briefings_issue_change", args=[issue.pk])


def details(html):
    """Each story's <details> opening tag and its summary's text (not the hidden template
    that “Add another” copies)."""
    html = html.split('id="stories-empty"')[0]
    found = re.findall(r'(<details class="story-details"[^>]*>)\s*<summary>(.*?)</summary>', html,
                       re.S)  # fmt: skip
    return [(tag, " ".join(re.sub(r"<[^>]+>", " ", summary).split())) for tag, summary in found]


def test_complete_stories_fold_and_one_missing_its_comment_stays_open(editor_client):
    issue = complete_issue()
    third = issue.stories.get(position=3)
    third.comment = ""
    third.save()
    html = editor_client.get(change_url(issue)).content.decode()
    stories = details(html)
    assert len(stories) == 5
    for position, (tag, summary) in enumerate(stories, start=1):
        headline = issue.stories.get(position=position).headline
        assert summary.startswith(f"{position}. {headline}")
        if position == 3:
            assert " open" in tag and summary.endswith("missing: comment")
        else:
            assert " open" not in tag and summary.endswith("complete")


def test_a_new_issue_shows_its_stories_open(editor_client):
    html = editor_client.get(reverse("admin:briefings_issue_add")).content.decode()
    stories = details(html)
    assert len(stories) >= 5 and all(" open" in tag for tag, _ in stories)


def test_a_story_with_errors_opens_and_says_so(editor_client):
    issue = complete_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    prefix = next(
        key.removesuffix("-position")
        for key, value in data.items()
        if key.startswith("stories-") and key.endswith("-position") and value == "2"
    )
    data[f"{prefix}-document"] = "not a document"
    response = editor_client.post(change_url(issue), data)
    assert response.status_code == 200
    tag, summary = details(response.content.decode())[1]
    assert " open" in tag and summary.endswith("has errors")


def test_the_contents_bar_jumps_to_each_part(editor_client):
    html = editor_client.get(change_url(complete_issue())).content.decode()
    bar = re.search(r'<nav class="form-contents".*?</nav>', html, re.S).group(0)
    for target in ["stories-group", "credits-group", "noteworthy_items-group"]:
        assert f'href="#{target}"' in bar
        assert f'id="{target}"' in html


def test_the_checklist_beside_a_draft_says_what_is_missing(editor_client):
    issue = complete_issue()
    html = editor_client.get(change_url(issue)).content.decode()
    assert '<p class="checklist-done">' in html and '<p class="checklist-todo" hidden>' in html
    issue.credits.all().delete()
    issue.stories.get(position=5).delete()
    html = editor_client.get(change_url(issue)).content.decode()
    checklist = re.search(r'<div class="checklist".*?</div>', html, re.S).group(0)
    assert '<p class="checklist-todo">' in checklist
    assert '<p class="checklist-done" hidden>' in checklist
    for problem in Issue.objects.get(pk=issue.pk).publish_problems():
        assert str(problem) in checklist.replace("&#x27;", "'").replace("&quot;", '"')


def checklist_url(issue):
    return reverse("admin:briefings_issue_checklist", args=[issue.pk])


def test_the_checklist_follows_the_form_as_typed_without_saving(editor_client):
    issue = complete_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    assert editor_client.post(checklist_url(issue), data).json() == {"problems": []}

    third = next(k for k, v in data.items() if re.fullmatch(r"stories-\d+-position", k)
                 and v == "3").removesuffix("-position")  # fmt: skip
    data[f"{third}-comment"] = ""
    credit = next(k for k in data if re.fullmatch(r"credits-\d+-id", k)).removesuffix("-id")
    data[f"{credit}-DELETE"] = "on"
    answer = editor_client.post(checklist_url(issue), data).json()
    assert answer["problems"] == [
        "Story 3: missing comment.",
        "Credits: at least one author is needed.",
    ]
    assert issue.stories.get(position=3).comment  # nothing saved
    assert issue.credits.exists()


def test_the_checklist_address_answers_only_staff_who_may_see_the_issue(editor_client):
    from django.test import Client

    issue = complete_issue()
    assert editor_client.get(checklist_url(issue)).status_code == 405
    missing = reverse("admin:briefings_issue_checklist", args=[999999])
    assert editor_client.post(missing, {}).status_code == 404
    assert (
        editor_client.post(checklist_url(issue), {"stories-TOTAL_FORMS": "x"}).status_code == 200
    )
    assert Client().post(checklist_url(issue), {}).status_code == 302  # to the sign-in page


def test_dates_are_shown_year_first_and_still_read_day_first(editor_client):
    issue = complete_issue(publication_date=datetime.date(2024, 3, 5))
    response = editor_client.get(change_url(issue))
    assert 'value="2024-03-05"' in response.content.decode()
    data = admin_form_data(response)
    data["publication_date"] = "06/03/2024"  # a British date: 6 March
    assert editor_client.post(change_url(issue), data).status_code == 302
    issue.refresh_from_db()
    assert issue.publication_date == datetime.date(2024, 3, 6)


def test_the_schedule_field_names_the_office_time_zone(editor_client, settings):
    issue = complete_issue()
    html = editor_client.get(change_url(issue)).content.decode()
    field = re.search(r'<input id="schedule-at"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'aria-describedby="schedule-help"' in field
    help_text = re.search(r'id="schedule-help">(.*?)</span>', html, re.S).group(1)
    assert "YYYY-MM-DD HH:MM" in help_text and settings.TIME_ZONE in help_text


def test_every_noteworthy_field_has_its_label(editor_client):
    issue = complete_issue()
    html = editor_client.get(change_url(issue)).content.decode()
    names = ["section", "date", "text", "sources", "cited_agencies", "position"]
    for name in names:
        for field_id in re.findall(rf'id="(id_noteworthy_items-\d+-{name})"', html):
            assert f'for="{field_id}"' in html, field_id
