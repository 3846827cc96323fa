"""Every writer goes through the editing layer: it records one revision with who and how,
bumps the version (so a form opened before is refused), and keeps the rules of the issue's
state, or saves nothing."""

import datetime
import io
from pathlib import Path

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.briefings import editing
from apps.briefings.models import Issue, Revision, Story
from apps.briefings.resources import NoteworthyItemResource, StoryResource
from tests.admin_forms import admin_form_data
from tests.factories import complete_issue, published_issue
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def change_url(issue):
    return reverse("admin:briefings_issue_change", args=[issue.pk])


def story_rows(issue, **changes):
    """The issue's stories as a spreadsheet would hold them, with `changes` to story 1."""
    dataset = StoryResource().export(queryset=Story.objects.filter(issue=issue))
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[0].update(changes)
    return tablib.Dataset(*[list(row.values()) for row in rows], headers=dataset.headers)


def import_stories(dataset, user):
    return StoryResource().import_data(dataset, dry_run=False, user=user)


def latest(issue):
    return Revision.objects.filter(issue=issue).first()


# One path, whatever the writer ------------------------------------------------------------


def write_with_admin(issue, user, client):
    sign_in(client, user)
    data = admin_form_data(client.get(change_url(issue)))
    data["stories-0-headline"] = "Written in the admin"
    assert client.post(change_url(issue), data).status_code == 302


def write_with_spreadsheet(issue, user, client):
    result = import_stories(story_rows(issue, headline="Written in a spreadsheet"), user)
    assert not result.has_errors() and not result.has_validation_errors()


def write_with_workflow(issue, user, client):
    editing.transition(issue, "submit", user=user)


def write_with_restore(issue, user, client):
    with editing.change(issue, user=user, via="admin") as change:
        change.issue.stories.filter(position=1).update(headline="Written before a restore")
    editing.restore(issue, issue.revisions.order_by("created_at").first(), user=user)


WRITERS = {
    "admin": write_with_admin,
    "spreadsheet": write_with_spreadsheet,
    "workflow": write_with_workflow,
    "restore": write_with_restore,
}


@pytest.mark.parametrize("via", WRITERS)
def test_each_writer_records_a_revision_and_bumps_the_version(via, editor, client):
    issue = complete_issue()
    version = issue.version

    WRITERS[via](issue, editor, client)

    issue.refresh_from_db()
    assert issue.version > version
    if via != "workflow":  # a transition changes no content; the workflow log keeps it
        revision = latest(issue)
        assert revision.via == via and revision.user == editor
        assert revision.content == editing.issue_content.snapshot(issue)


def test_the_importer_records_its_revision_as_the_system_from_a_command():
    source = Path(__file__).parents[1] / "data" / "seeds" / "001_37bc1a9cd968a2f4.txt"
    call_command("import_briefing", str(source), stdout=io.StringIO())
    revision = Revision.objects.get()
    assert revision.via == "importer" and revision.user is None
    assert revision.author == "the system"


def test_a_stale_form_is_refused_after_a_spreadsheet_import(editor_client, editor):
    issue = complete_issue()
    form = admin_form_data(editor_client.get(change_url(issue)))
    import_stories(story_rows(issue, headline="From the spreadsheet"), editor)

    form["title"] = "Typed in a form opened before the import"
    response = editor_client.post(change_url(issue), form)

    assert response.status_code == 200
    assert "saved this issue after you opened it" in response.content.decode()
    assert issue.stories.get(position=1).headline == "From the spreadsheet"
    assert Issue.objects.get(pk=issue.pk).title == issue.title


def test_a_stale_form_is_refused_after_a_workflow_step(editor_client, editor):
    issue = complete_issue()
    form = admin_form_data(editor_client.get(change_url(issue)))
    editing.transition(issue, "submit", user=editor)
    response = editor_client.post(change_url(issue), {**form, "title": "Late"})
    assert "saved this issue after you opened it" in response.content.decode()


# The rules of a published issue ------------------------------------------------------------


@pytest.mark.parametrize("make", [published_issue, complete_issue], ids=["live", "draft"])
def test_a_spreadsheet_row_that_would_break_a_published_issue_is_refused(editor, make):
    issue = make()
    if issue.state == "draft":
        editing.transition(
            issue, "schedule", user=editor, at=timezone.now() + datetime.timedelta(days=1)
        )
    before = editing.issue_content.snapshot(issue)

    result = import_stories(story_rows(issue, comment=""), editor)

    (invalid,) = result.invalid_rows
    assert invalid.number == 1
    assert "must stay complete" in invalid.error_dict["comment"][0]
    assert "comment" in invalid.error_dict["comment"][0]
    assert editing.issue_content.snapshot(issue) == before
    issue.refresh_from_db()
    assert issue.pending_revision is None


def test_a_noteworthy_import_into_a_live_issue_becomes_pending_changes(editor):
    issue = published_issue()
    dataset = NoteworthyItemResource().export(queryset=issue.noteworthy_items.all())
    row = list(dataset[0])
    row[dataset.headers.index("text")] = "A corrected item"
    dataset[0] = row

    result = NoteworthyItemResource().import_data(dataset, dry_run=False, user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.pending_issues == [issue]
    issue.refresh_from_db()
    assert not issue.noteworthy_items.filter(text="A corrected item").exists()  # live as it was
    pending = issue.pending_revision.content["noteworthy_items"]
    assert "A corrected item" in [item["text"] for item in pending]
    assert issue.pending_revision.via == "spreadsheet"


def test_a_dry_run_import_records_nothing(editor):
    issue = complete_issue()
    StoryResource().import_data(
        story_rows(issue, headline="Only previewed"), dry_run=True, user=editor
    )
    issue.refresh_from_db()
    assert not Revision.objects.exists()
    assert issue.stories.get(position=1).headline != "Only previewed"


def test_a_restore_that_would_break_a_published_issue_is_refused(editor):
    issue = complete_issue()
    with editing.change(issue, user=editor, via="admin") as change:
        change.issue.stories.filter(position=5).delete()
    incomplete = latest(issue)
    with editing.change(issue, user=editor, via="admin") as change:
        Story.objects.create(
            issue=change.issue,
            position=5,
            headline="Back again",
            glance_intro="Intro",
            comment="Comment",
            document=change.issue.stories.first().document,
        )
    editing.transition(issue, "publish", user=editor)

    with pytest.raises(ValidationError, match="must stay complete"):
        editing.restore(issue, incomplete, user=editor)
    issue.refresh_from_db()
    assert issue.pending_revision is None and issue.stories.count() == 5


def test_an_import_that_would_leave_a_live_issue_incomplete_is_refused():
    from django.core.management import call_command

    from apps.briefings.importer.save import import_briefing

    call_command("seed_archive", stdout=io.StringIO())
    issue = Issue.objects.get(slug__startswith="2023-11")
    text = (Path(__file__).parents[1] / "data" / "seeds" / "000_562a71cf05ffeb37.txt").read_text()
    cut = text[: text.index("\n5. ")]  # the fifth story lost
    before = editing.issue_content.snapshot(issue)

    with pytest.raises(ValidationError, match="must stay complete"):
        import_briefing(cut.encode(), name="000.txt", replace=True)

    assert editing.issue_content.snapshot(issue) == before
    issue.refresh_from_db()
    assert issue.pending_revision is None
