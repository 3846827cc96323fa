"""Shared records — policy documents, agencies, people — that a published issue shows are
changed by editors only; every change is kept and shown in the history of the issues
that show the record."""

import pytest
import tablib
from django.urls import reverse

from apps.agencies.models import Agency
from apps.briefings import editing
from apps.briefings.models import PolicyDocument, RecordChange
from apps.briefings.resources import AgencyResource, PersonResource, PolicyDocumentResource
from apps.people.models import Person
from tests.admin_forms import admin_form_data
from tests.factories import (
    AgencyFactory,
    PersonFactory,
    PolicyDocumentFactory,
    complete_issue,
    published_issue,
)

pytestmark = pytest.mark.django_db


def records_of(issue):
    story = issue.stories.get(position=1)
    return {
        "document": (story.document, "briefings_policydocument", "title_en"),
        "agency": (story.document.issuers.first().agency, "agencies_agency", "name_en"),
        "person": (issue.credits.first().person, "people_person", "role_title"),
    }


@pytest.mark.parametrize("kind", ["document", "agency", "person"])
def test_a_contributor_cannot_change_a_record_in_print(kind, login, contributor):
    issue = published_issue()
    record, admin_name, field = records_of(issue)[kind]
    client = login(contributor)
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])

    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    client.post(url, {**admin_form_data(page), field: "Changed by a contributor"})

    record.refresh_from_db()
    assert getattr(record, field) != "Changed by a contributor"
    assert not RecordChange.objects.exists()


@pytest.mark.parametrize("kind", ["document", "agency", "person"])
def test_an_editor_changes_a_record_in_print_and_the_issue_history_shows_it(
    kind, login, editor_user
):
    issue = published_issue()
    record, admin_name, field = records_of(issue)[kind]
    client = login(editor_user)
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])
    before = getattr(record, field)

    response = client.post(url, {**admin_form_data(client.get(url)), field: "Renamed by Eda"})

    assert response.status_code == 302
    change = RecordChange.objects.get()
    assert change.user == editor_user and change.via == "admin"
    label = {"title_en": "title_en", "name_en": "name_en", "role_title": "role_title"}[field]
    assert change.before[label] == before and change.after[label] == "Renamed by Eda"
    history = client.get(reverse("admin:briefings_issue_history", args=[issue.pk]))
    html = history.content.decode()
    assert "Renamed by Eda" in html and "Eda Editor" in html
    record_history = client.get(reverse(f"admin:{admin_name}_history", args=[record.pk]))
    assert "Renamed by Eda" in record_history.content.decode()


def test_a_contributor_may_change_records_not_in_print(login, contributor):
    agency = AgencyFactory(name_en="Not yet in print")
    client = login(contributor)
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    client.post(url, {**admin_form_data(client.get(url)), "name_en": "Renamed"})
    agency.refresh_from_db()
    assert agency.name_en == "Renamed"
    assert RecordChange.objects.get().user == contributor


def test_a_contributor_cannot_change_records_in_print_by_spreadsheet(contributor):
    issue = published_issue()
    records = records_of(issue)
    cases = [
        (AgencyResource, Agency.objects.filter(pk=records["agency"][0].pk), "name_en"),
        (PersonResource, Person.objects.filter(pk=records["person"][0].pk), "role_title"),
        (
            PolicyDocumentResource,
            PolicyDocument.objects.filter(pk=records["document"][0].pk),
            "title_en",
        ),
    ]
    for resource_class, queryset, field in cases:
        dataset = resource_class().export(queryset=queryset)
        row = list(dataset[0])
        row[dataset.headers.index(field)] = "Changed in a spreadsheet"
        result = resource_class().import_data(
            tablib.Dataset(row, headers=dataset.headers), dry_run=False, user=contributor
        )
        (invalid,) = result.invalid_rows
        assert "only editors may change it" in " ".join(
            message for messages in invalid.error_dict.values() for message in messages
        )
        assert getattr(queryset.get(), field) != "Changed in a spreadsheet"
    assert not RecordChange.objects.exists()


def test_an_editor_spreadsheet_change_of_a_record_is_kept(editor_user):
    agency = AgencyFactory(abbreviation="MIIT", name_en="Old name")
    dataset = AgencyResource().export()
    row = list(dataset[0])
    row[dataset.headers.index("name_en")] = "Ministry of Industry and Information Technology"
    AgencyResource().import_data(
        tablib.Dataset(row, headers=dataset.headers), dry_run=False, user=editor_user
    )
    change = RecordChange.objects.get()
    assert change.via == "spreadsheet" and change.object_id == agency.pk
    assert change.before["name_en"] == "Old name"


def test_a_restore_gives_back_links_not_the_records_themselves(editor_user):
    issue = complete_issue()
    original = issue.stories.get(position=1).headline
    with editing.change(issue, user=editor_user, via="admin") as change:
        change.issue.stories.filter(position=1).update(headline="Edited")
    baseline = issue.revisions.order_by("created_at").first()  # the issue as it was
    document = issue.stories.get(position=1).document
    with editing.change_record(document, user=editor_user, via="admin"):
        document.title_en = "A better English title"
        document.save()

    editing.restore(issue, baseline, user=editor_user)

    document.refresh_from_db()
    assert document.title_en == "A better English title"
    assert issue.stories.get(position=1).headline == original


def test_deleting_an_unused_record_is_kept_too(editor_client):
    person = PersonFactory()
    document = PolicyDocumentFactory(agencies=[])
    editor_client.post(reverse("admin:people_person_delete", args=[person.pk]), {"post": "yes"})
    editor_client.post(
        reverse("admin:briefings_policydocument_delete", args=[document.pk]), {"post": "yes"}
    )
    assert sorted(c.after is None for c in RecordChange.objects.all()) == [True, True]


def test_a_changed_agency_makes_every_issue_that_shows_it_render_again(editor_user):
    from apps.briefings.models import Issue, NoteworthyAgency
    from apps.briefings.rendering import render

    by_document, by_item, other = published_issue(), published_issue(), published_issue()
    agency = by_document.stories.get(position=1).document.issuers.first().agency
    cited = AgencyFactory(abbreviation="CITED")
    NoteworthyAgency.objects.create(item=by_item.noteworthy_items.first(), agency=cited)
    for issue in (by_document, by_item, other):
        render(issue)

    for record in (agency, cited):
        with editing.change_record(record, user=editor_user, via="admin"):
            record.name_en = "Renamed"
            record.save()

    stale = set(Issue.objects.filter(rendered_article="").values_list("pk", flat=True))
    assert {by_document.pk, by_item.pk} <= stale and other.pk not in stale


def test_a_new_record_is_added_without_looking_for_issues_that_show_it(editor_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = Agency(abbreviation="NEW", name_en="New", slug="new", kind="other")
    with (
        CaptureQueriesContext(connection) as queries,
        editing.change_record(agency, user=editor_user, via="admin"),
    ):
        agency.save()
    assert RecordChange.objects.filter(object_id=agency.pk).exists()
    # No issue can show what did not exist (at 10,000 issues the search took 0.1 s a row).
    looked_at = " ".join(query["sql"] for query in queries.captured_queries)
    assert "briefings_story" not in looked_at and "briefings_noteworthy" not in looked_at
