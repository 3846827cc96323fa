"""A revision holds the whole issue, and restoring it gives back exactly what it held."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.briefings import content, editing, history
from apps.briefings.models import (
    Credit,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    SourceLink,
    Story,
)
from tests.admin_forms import admin_form_data
from tests.factories import AgencyFactory, PersonFactory, PolicyDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_first_revision_keeps_sources_of_items_without_cited_agencies(editor_client):
    """The revision made by the admin's add form, restored, gives every source back."""
    documents = [PolicyDocumentFactory() for _ in range(5)]
    add = admin_form_data(editor_client.get(reverse("admin:briefings_issue_add")))
    add.update(title="A new issue", slug="a-new-issue", publication_date="2024-03-01")
    for index, document in enumerate(documents):
        add.update(
            {
                f"stories-{index}-position": str(index + 1),
                f"stories-{index}-headline": f"Headline {index + 1}",
                f"stories-{index}-document": str(document.pk),
            }
        )
    add.update(
        {
            "noteworthy_items-0-section": "1",
            "noteworthy_items-0-date": "2024-02-03",
            "noteworthy_items-0-text": "An item with sources and no cited agency",
            "noteworthy_items-0-sources": "NDRC notice (CN) https://www.ndrc.gov.cn/a.html\n"
            "Reuters article (EN)",
            "noteworthy_items-0-position": "1",
        }
    )
    assert editor_client.post(reverse("admin:briefings_issue_add"), add).status_code == 302
    issue = Issue.objects.get(slug="a-new-issue")
    first = issue.revisions.get()
    assert [s["label"] for s in first.content["noteworthy_items"][0]["sources"]] == [
        "NDRC notice",
        "Reuters article",
    ]
    change = reverse("admin:briefings_issue_change", args=[issue.pk])
    data = admin_form_data(editor_client.get(change))
    data["noteworthy_items-0-sources"] = "Xinhua article (CN)"
    assert editor_client.post(change, data).status_code == 302

    editing.restore(issue, first, user=None)

    item = issue.noteworthy_items.get()
    assert [(s.label, s.url) for s in item.sources.all()] == [
        ("NDRC notice", "https://www.ndrc.gov.cn/a.html"),
        ("Reuters article", ""),
    ]
    newest = issue.revisions.first()
    assert history.compare(first.content, newest.content) == []


# Property: any content, changed into any other, restores exactly --------------------------

text = st.text(alphabet="abc xyz 中文《》—*_[]()<>&\n", min_size=0, max_size=40)
line = st.text(alphabet="abcdef XYZ", min_size=1, max_size=30)


@st.composite
def issue_contents(draw):
    positions = draw(st.lists(st.integers(1, 5), unique=True, max_size=5))
    return {
        "title": draw(line),
        "standfirst": draw(text),
        "stories": [
            {
                "position": position,
                "headline": draw(line),
                "glance_intro": draw(text),
                "glance_bullets": draw(text),
                "comment": draw(text),
                "box_title": draw(st.sampled_from(["", "Explainer"])),
                "document": draw(st.integers(-1, 2)),  # -1: none
            }
            for position in positions
        ],
        "items": [
            {
                "section": draw(st.sampled_from([1, 2])),
                "day": draw(st.integers(1, 28)),
                "text": draw(line),
                "sources": draw(
                    st.lists(
                        st.tuples(line, st.sampled_from(["", "CN", "EN"]), st.booleans()),
                        max_size=3,
                    )
                ),
                "agencies": draw(st.lists(st.integers(0, 2), unique=True, max_size=3)),
            }
            for _ in range(draw(st.integers(0, 4)))
        ],
        "credits": draw(
            st.lists(
                st.tuples(st.integers(0, 2), st.sampled_from(["author", "editor"]), line),
                unique_by=lambda c: (c[0], c[1]),
                max_size=3,
            )
        ),
    }


def write(issue, wanted, records):
    """Make the issue hold `wanted`, as a writer would: rows saved one by one."""
    documents, agencies, people = records
    issue.title, issue.standfirst = wanted["title"], wanted["standfirst"]
    issue.save()
    issue.stories.all().delete()
    issue.noteworthy_items.all().delete()
    issue.credits.all().delete()
    for story in wanted["stories"]:
        Story.objects.create(
            issue=issue,
            **{k: v for k, v in story.items() if k != "document"},
            document=documents[story["document"]] if story["document"] >= 0 else None,
        )
    for n, item in enumerate(wanted["items"]):
        saved = NoteworthyItem.objects.create(
            issue=issue,
            section=item["section"],
            date=datetime.date(2024, 2, item["day"]),
            text=item["text"],
            position=n,
        )
        for p, (label, language, link) in enumerate(item["sources"]):
            url = f"https://example.org/{p}" if link else ""
            SourceLink.objects.create(
                item=saved, label=label, language=language, url=url, position=p
            )
        for a in item["agencies"]:
            NoteworthyAgency.objects.create(item=saved, agency=agencies[a])
    for person, role, title in wanted["credits"]:
        Credit.objects.create(issue=issue, person=people[person], role=role, role_title=title)


@pytest.fixture
def records(db):
    return (
        [PolicyDocumentFactory() for _ in range(3)],
        [AgencyFactory() for _ in range(3)],
        [PersonFactory() for _ in range(3)],
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=issue_contents(), second=issue_contents())
def test_restoring_any_revision_gives_back_exactly_what_it_held(records, first, second):
    with transaction.atomic():
        user = UserFactory(is_staff=True, is_superuser=True)
        issue = Issue.objects.create(
            title="x", slug="property", publication_date=datetime.date(2024, 3, 1)
        )
        with editing.change(issue, user=user, via="admin") as change:
            write(change.issue, first, records)
        held = issue.revisions.first()
        with editing.change(issue, user=user, via="admin") as change:
            write(change.issue, second, records)

        editing.restore(issue, held, user=user)

        restored = content.snapshot(issue)
        assert content.owned(restored) == content.owned(held.content)
        # Rows keep their ids where they can, so the comparison finds no difference.
        assert history.compare(held.content, restored) == []
        transaction.set_rollback(True)
