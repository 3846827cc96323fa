import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.agencies.models import Agency
from apps.briefings.models import Issue, NoteworthyItem, PolicyDocument, SourceLink, Story
from apps.briefings.resources import (
    AgencyResource,
    NoteworthyItemResource,
    PersonResource,
    PolicyDocumentResource,
    StoryResource,
)
from apps.people.models import Person

pytestmark = pytest.mark.django_db

RESOURCES = [AgencyResource, PersonResource, PolicyDocumentResource, StoryResource,
             NoteworthyItemResource]  # fmt: skip


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)


def snapshot():
    return (
        list(Agency.objects.values()),
        list(Person.objects.values()),
        list(PolicyDocument.objects.values()),
        list(Story.objects.values()),
        list(NoteworthyItem.objects.values()),
        list(SourceLink.objects.values_list("item", "label", "language", "url", "position")),
        sorted(NoteworthyItem.agencies.through.objects.values_list("item", "agency")),
    )


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(seeded, editor, resource_class, file_format):
    exported = resource_class().export()
    data = exported.export(file_format)
    before = snapshot()

    dataset = tablib.Dataset().load(data, format=file_format)
    result = resource_class().import_data(dataset, dry_run=False, user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert snapshot() == before


def test_a_changed_row_is_updated_and_a_new_row_created(seeded, editor):
    dataset = AgencyResource().export()
    dataset.append(["TC261", "A new committee", "", "tc261", "other"])
    row = dataset.dict[0]
    dataset[0] = tuple({**row, "name_en": "Renamed ministry"}.values())
    dataset[0] = tuple(row[c] if c != "name_en" else "Renamed ministry" for c in dataset.headers)
    result = AgencyResource().import_data(dataset, dry_run=False, user=editor)
    assert result.totals["new"] == 1 and result.totals["update"] == 1
    assert Agency.objects.get(abbreviation=row["abbreviation"]).name_en == "Renamed ministry"


def test_abbreviations_match_in_any_case(seeded, editor):
    dataset = tablib.Dataset(headers=["abbreviation", "name_en", "name_zh", "slug", "kind"])
    dataset.append(["miit", "Ministry of Industry and Information Technology", "工业和信息化部",
                    "miit", "ministry"])  # fmt: skip
    result = AgencyResource().import_data(dataset, dry_run=False, user=editor)
    assert result.rows[0].import_type == "update"  # the same agency, not a second one
    assert Agency.objects.filter(abbreviation__iexact="miit").count() == 1


def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_saved(seeded, editor):
    resource = NoteworthyItemResource()
    dataset = resource.export()
    good = dict(zip(dataset.headers, dataset[0], strict=True))
    rows = [
        {**good, "text": "A fine new item", "position": 91},
        {**good, "date": "31/02/2023", "position": 92},
        {**good, "agencies": "MIIT; NOPE", "position": 93},
        {**good, "position": 91},
        {**good, "sources": "Reuters article (EN) htp://x", "position": 94},
    ]
    bad = tablib.Dataset(*[tuple(row.values()) for row in rows], headers=dataset.headers)
    before = snapshot()

    result = resource.import_data(bad, dry_run=False, user=editor)

    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(errors) == {2, 3, 4, 5}
    assert "date" in errors[2]
    assert errors[3]["agencies"] == ["Unknown agency: NOPE. Add it first."]
    assert "Repeats row 1" in errors[4]["position"][0]
    assert "is not a valid web address" in errors[5]["sources"][0]
    assert snapshot() == before  # the good first row was not saved either


def test_duplicate_story_position_is_refused(seeded, editor):
    resource = StoryResource()
    dataset = resource.export()
    first = dataset[0]
    dataset.append(first)
    result = resource.import_data(dataset, dry_run=False, user=editor)
    (invalid,) = result.invalid_rows
    assert invalid.number == len(dataset)
    assert "Repeats row 1: issue" in invalid.error_dict["position"][0]


def test_contributors_cannot_import_into_a_scheduled_issue(seeded):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    Issue.objects.update(publish_at=timezone.now() + datetime.timedelta(days=3))
    contributor = UserFactory(is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributor"))
    dataset = StoryResource().export()
    result = StoryResource().import_data(dataset, dry_run=False, user=contributor)
    message = result.invalid_rows[0].error_dict["issue"][0]
    assert "is scheduled: only editors may change it" in message


def test_admin_import_previews_then_confirms(seeded, editor_client):
    dataset = AgencyResource().export()
    dataset.append(["TC999", "Standards committee", "", "tc999", "other"])
    upload = SimpleUploadedFile("agencies.csv", dataset.export("csv").encode())
    url = reverse("admin:agencies_agency_import")

    preview = editor_client.post(url, {"import_file": upload, "format": "0", "resource": "0"})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "New" in html and "Skipped" in html
    assert not Agency.objects.filter(abbreviation="TC999").exists()
    confirm = preview.context["confirm_form"]
    data = {name: field.initial for name, field in confirm.fields.items()}
    data.update(confirm.initial)
    editor_client.post(reverse("admin:agencies_agency_process_import"), data)
    assert Agency.objects.filter(abbreviation="TC999").exists()


def test_admin_import_with_an_error_offers_no_confirmation(seeded, editor_client):
    dataset = tablib.Dataset(headers=["abbreviation", "name_en", "name_zh", "slug", "kind"])
    dataset.append(["NEW1", "New", "", "new1", "ministry"])
    dataset.append(["NEW2", "Bad kind", "", "new2", "not-a-kind"])
    upload = SimpleUploadedFile("agencies.csv", dataset.export("csv").encode())
    response = editor_client.post(
        reverse("admin:agencies_agency_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    assert "not-a-kind" in html and "is not a valid choice" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Agency.objects.filter(abbreviation__in=["NEW1", "NEW2"]).exists()


def test_export_honours_the_admin_filters(seeded, editor_client):
    url = reverse("admin:briefings_noteworthyitem_export") + "?section__exact=2"
    response = editor_client.post(
        url, {"format": "0", "resource": "0", **{f"noteworthyitemresource_{f}": "on" for f in
              ["issue", "section", "position", "date", "text", "sources", "agencies"]}},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    rows = body.strip().splitlines()[1:]
    assert len(rows) == NoteworthyItem.objects.filter(section=2).count()
    assert all(",Corporate news," in row for row in rows)


def test_stories_and_items_are_imported_in_the_admin_but_written_on_their_issue(
    seeded, editor_client
):
    story = Story.objects.first()
    assert editor_client.get(reverse("admin:briefings_story_changelist")).status_code == 200
    change = reverse("admin:briefings_story_change", args=[story.pk])
    assert editor_client.get(change).status_code == 200  # to read
    assert editor_client.post(change, {"headline": "Changed"}).status_code == 403
    delete = reverse("admin:briefings_story_delete", args=[story.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert Story.objects.filter(pk=story.pk).exists()
    item = NoteworthyItem.objects.first()
    page = editor_client.get(reverse("admin:briefings_noteworthyitem_change", args=[item.pk]))
    assert item.sources.first().label in page.content.decode()

    dataset = StoryResource().export()
    upload = SimpleUploadedFile("stories.csv", dataset.export("csv").encode())
    preview = editor_client.post(
        reverse("admin:briefings_story_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert preview.status_code == 200 and "Skipped" in preview.content.decode()
