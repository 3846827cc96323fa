"""`check_archive` lists what stored data breaks of the rules and, with --fix, merges
duplicate documents: every story, pending change and revision then links to the one
kept, each change is recorded, and the old addresses redirect."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.briefings import editing
from apps.briefings.models import PolicyDocument, RecordChange, Story
from tests.factories import (
    AgencyFactory,
    PersonFactory,
    PolicyDocumentFactory,
    published_issue,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("check_archive", *args, stdout=out)
    return out.getvalue()


def test_a_clean_archive_passes():
    published_issue()
    assert "The archive keeps every rule." in run()


def test_it_lists_incomplete_published_issues_duplicates_and_orphans():
    issue = published_issue(title="Broken in the database")
    Story.objects.filter(issue=issue, position=3).update(comment="")
    first = issue.stories.get(position=1).document
    PolicyDocumentFactory(title_en=first.title_en.upper() + ".", title_zh="", date=first.date)
    AgencyFactory(abbreviation="UNUSED")
    PersonFactory(name="Nobody Credited")

    with pytest.raises(CommandError, match="2 problems found"):
        call_command("check_archive", stdout=(out := io.StringIO()))

    text = out.getvalue()
    assert "“Broken in the database”" in text and "Story 3: missing comment" in text
    assert "[duplicates] One document stored 2 times" in text
    assert "Agency “UNUSED”" in text and "Person “Nobody Credited”" in text


def test_fix_merges_duplicates_keeping_history_and_addresses(client, editor):
    issue = published_issue()
    kept = issue.stories.get(position=1).document
    other = published_issue()
    duplicate = PolicyDocumentFactory(
        title_en=kept.title_en, title_zh="", url="https://gov.cn/doc.html", date=kept.date
    )
    Story.objects.filter(issue=other, position=2).update(document=duplicate)
    with editing.change(other, user=editor, via="admin") as change:  # pending, links it too
        change.issue.stories.filter(position=3).update(document=duplicate)

    out = run("--fix")

    assert f"Merged #{duplicate.pk} into #{kept.pk}" in out
    assert not PolicyDocument.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert kept.url == "https://gov.cn/doc.html"  # a blank filled from the duplicate
    assert other.stories.get(position=2).document == kept
    other.refresh_from_db()
    pending_documents = [s["document"] for s in other.pending_revision.content["stories"]]
    assert duplicate.pk not in pending_documents and kept.pk in pending_documents
    assert other.revisions.first().summary.startswith(f"Policy document #{duplicate.pk} merged")
    assert RecordChange.objects.filter(object_id=duplicate.pk, after__isnull=True).exists()
    response = client.get(reverse("briefings:document", kwargs={"pk": duplicate.pk}))
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()
    assert "[duplicates]" not in run()
