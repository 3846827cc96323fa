"""bulk.insert writes many new rows at once and gives them their ids, on both databases."""

import datetime

import pytest
from django.utils import timezone

from apps.agencies.models import Agency
from apps.briefings import bulk
from apps.briefings.models import DocumentAgency, Issue, PolicyDocument
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_new_rows_get_their_ids_and_related_rows_can_point_at_them():
    agency = AgencyFactory()
    documents = bulk.insert(
        [
            PolicyDocument(title_en=f"Plan {n}", title_zh="计划", date=datetime.date(2024, 3, n))
            for n in range(1, 4)
        ]
    )
    assert all(document.pk for document in documents)
    assert len({document.pk for document in documents}) == 3
    bulk.insert([DocumentAgency(document=d, agency=agency, position=1) for d in documents])
    stored = PolicyDocument.objects.order_by("date")
    assert [(d.pk, d.title_en, d.date.day) for d in stored] == [
        (d.pk, d.title_en, d.date.day) for d in documents
    ]
    assert set(agency.issued.values_list("document", flat=True)) == {d.pk for d in documents}
    # The ORM's next row takes a fresh id.
    later = PolicyDocument.objects.create(title_en="Later", date=datetime.date(2024, 4, 1))
    assert later.pk not in {d.pk for d in documents}


def test_defaults_json_and_auto_times_are_written():
    before = timezone.now()
    (issue,) = bulk.insert(
        [
            Issue(
                title="Bulk",
                slug="bulk",
                publication_date=datetime.date(2024, 3, 1),
                rendered={"article": "<p>x</p>"},
            )
        ]
    )
    stored = Issue.objects.get(pk=issue.pk)
    assert stored.rendered == {"article": "<p>x</p>"}
    assert stored.status == Issue.Status.DRAFT
    assert stored.updated_at >= before - datetime.timedelta(seconds=1)
    assert not issue._state.adding


def test_nothing_to_insert_is_nothing():
    assert bulk.insert([]) == []
    assert Agency.objects.count() == 0
