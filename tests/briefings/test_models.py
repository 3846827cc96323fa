import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from apps.briefings.models import Credit, Issue, NoteworthyItem, PolicyDocument, Story
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PolicyDocumentFactory,
    StoryFactory,
    complete_issue,
    published_issue,
)
from tests.images import image_file, run_jobs

pytestmark = pytest.mark.django_db


def test_two_stories_cannot_share_a_position():
    issue = IssueFactory()
    StoryFactory(issue=issue, position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(issue=issue, position=2)


@pytest.mark.parametrize("position", [0, 6])
def test_story_position_is_between_1_and_5(position):
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(position=position)


def test_story_position_outside_top_five_is_a_validation_error():
    story = StoryFactory.build(issue=IssueFactory(), position=6, document=None)
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "position" in error.value.message_dict


def test_a_document_needs_a_title_in_one_language():
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocumentFactory(title_en="", title_zh="")
    assert PolicyDocumentFactory(title_en="", title_zh="行动计划").pk


def test_one_document_is_found_from_every_story_that_discusses_it():
    document = PolicyDocumentFactory()
    first = StoryFactory(document=document)
    second = StoryFactory(document=document, issue=IssueFactory())
    assert set(document.stories.all()) == {first, second}


def test_published_is_live_issues_only():
    live = published_issue()
    scheduled = complete_issue()
    scheduled.publish(at=timezone.now() + datetime.timedelta(hours=1))
    complete_issue()  # draft
    assert list(Issue.objects.published()) == [live]
    assert scheduled.is_scheduled and not scheduled.is_live


def test_complete_issue_is_published():
    issue = complete_issue()
    issue.publish()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.publish_at <= timezone.now()


def test_incomplete_issue_is_refused_with_the_missing_fields_named():
    issue = IssueFactory()
    StoryFactory(issue=issue, position=1)
    StoryFactory(issue=issue, position=2, comment="", glance_intro="")
    StoryFactory(issue=issue, position=3, document=None)
    StoryFactory(issue=issue, position=4, document=PolicyDocumentFactory(agencies=[]))

    with pytest.raises(ValidationError) as error:
        issue.publish()

    messages = error.value.messages
    assert messages == [
        "The Top 5 needs exactly five stories in positions 1–5; it has 4. Missing position 5.",
        "Story 2: missing At a glance, comment.",
        "Story 3: missing policy document.",
        "Story 4: missing issuing agency.",
        "Credits: at least one author is needed.",
    ]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert issue.publish_at is None


def test_an_editor_alone_is_not_an_author():
    issue = complete_issue()
    issue.credits.update(role=Credit.Role.EDITOR)
    assert issue.publish_problems() == ["Credits: at least one author is needed."]


def test_unpublish_returns_the_issue_to_draft():
    issue = published_issue()
    issue.unpublish()
    assert not Issue.objects.published().exists()
    assert issue.status == Issue.Status.DRAFT


def test_published_status_needs_a_publication_time():
    issue = IssueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)


def test_reading_time_is_computed_from_the_content_when_it_changes():
    from apps.briefings import editing

    issue = IssueFactory()
    with editing.change(issue, user=None, via="system") as change:
        StoryFactory(issue=change.issue, comment="word " * 900)
        NoteworthyItemFactory(issue=change.issue, text="word " * 100)
    issue.refresh_from_db()
    assert issue.reading_time() == 5  # about 1,000 words at 230 a minute


def test_markdown_is_rendered_once_when_a_story_is_saved():
    story = StoryFactory(
        comment="One *emphasis*.\n\nTwo <script>x</script>.",
        glance_bullets="A\n[B](https://b.org)",
    )
    stored = Story.objects.values("comment_html", "bullets_html").get(pk=story.pk)
    assert (
        stored["comment_html"]
        == "<p>One <em>emphasis</em>.</p>\n<p>Two &lt;script&gt;x&lt;/script&gt;.</p>"
    )
    assert (
        stored["bullets_html"]
        == '<li>A</li><li><a href="https://b.org" rel="noopener noreferrer">B</a></li>'
    )


def test_the_seed_fixture_holds_what_rendering_gives():
    import json
    from pathlib import Path

    fixture = json.loads((Path(__file__).parents[2] / "fixtures" / "seed.json").read_text())
    for obj in fixture:
        model = {"briefings.story": Story, "briefings.noteworthyitem": NoteworthyItem}.get(
            obj["model"]
        )
        if model is None:
            continue
        fields = {k: v for k, v in obj["fields"].items() if k not in model.RENDERED_FIELDS}
        fields.pop("issue"), fields.pop("document", None)
        row = model(**fields)
        row.render()
        for name in model.RENDERED_FIELDS:
            assert obj["fields"][name] == getattr(row, name), (obj["pk"], name)


def test_documents_in_use_cannot_be_deleted():
    story = StoryFactory()
    with pytest.raises(ProtectedError):
        story.document.delete()


def test_agency_that_issued_a_document_cannot_be_deleted():
    agency = AgencyFactory()
    PolicyDocumentFactory(agencies=[agency])
    with pytest.raises(ProtectedError):
        agency.delete()


def test_agency_cited_by_a_noteworthy_item_cannot_be_deleted():
    agency = AgencyFactory()
    NoteworthyItemFactory().agencies.add(agency)
    with pytest.raises(ProtectedError):
        agency.delete()


def test_credited_person_cannot_be_deleted():
    credit = CreditFactory()
    with pytest.raises(ProtectedError):
        credit.person.delete()


def test_document_label_choices_match_the_briefing():
    assert PolicyDocument.Label.values == ["Policy name", "Article", "Article name"]


def test_hero_image_needs_alt_text():
    issue = IssueFactory.build(hero_image=image_file("hero.png", 800, 400), hero_alt="")
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "hero_alt" in error.value.message_dict


def test_hero_renditions_are_made_once_and_listed_in_srcset(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        issue = IssueFactory(hero_image=image_file("hero.jpg", 2000, 1000), hero_alt="A port")
    assert (issue.hero_width, issue.hero_height) == (2000, 1000)
    assert issue.hero_srcset() == "/media/issues/hero.jpg 2000w"  # until they are made
    run_jobs()
    renditions = sorted(p.name for p in (tmp_path / "issues" / "renditions").iterdir())
    assert renditions == ["hero.jpg-1600w.webp", "hero.jpg-480w.webp", "hero.jpg-960w.webp"]
    srcset = Issue.objects.get(pk=issue.pk).hero_srcset()
    assert "/media/issues/renditions/hero.jpg-480w.webp 480w" in srcset
    assert srcset.endswith("/media/issues/hero.jpg 2000w")

    before = (tmp_path / "issues" / "renditions" / "hero.jpg-480w.webp").stat().st_mtime_ns
    issue = Issue.objects.get(pk=issue.pk)
    issue.title = "Edited"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        issue.save()  # the image did not change: no new renditions
    assert queued == []
    run_jobs()
    after = (tmp_path / "issues" / "renditions" / "hero.jpg-480w.webp").stat().st_mtime_ns
    assert before == after


def test_small_hero_image_gets_no_upscaled_renditions(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks() as queued:
        issue = IssueFactory(hero_image=image_file("small.png", 400, 300), hero_alt="A chart")
    assert queued == []  # no job: there is nothing to make
    assert issue.hero_srcset().endswith("small.png 400w")
    assert "renditions" not in issue.hero_srcset()


def test_stories_with_the_same_headline_get_distinct_slugs_within_an_issue():
    issue = IssueFactory()
    first = StoryFactory(issue=issue, position=1, headline="MIIT issues a plan")
    second = StoryFactory(issue=issue, position=2, headline="MIIT issues a plan")
    elsewhere = StoryFactory(position=1, headline="MIIT issues a plan")
    assert (first.slug, second.slug, elsewhere.slug) == (
        "miit-issues-a-plan",
        "miit-issues-a-plan-2",
        "miit-issues-a-plan",
    )
