"""Who may do what: anonymous readers, contributors, editors and superusers, for every
workflow transition and for adding, changing and deleting each kind of record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.agencies.models import Agency
from apps.briefings.models import Issue, IssueTransition, PolicyDocument
from apps.people.models import Person
from tests.admin_forms import admin_form_data
from tests.factories import (
    AgencyFactory,
    IssueFactory,
    PersonFactory,
    PolicyDocumentFactory,
    complete_issue,
    published_issue,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "contributor", "editor", "superuser"]


@pytest.fixture
def as_role(request, login, contributor, editor_user, superuser):
    users = {
        "anonymous": None,
        "contributor": contributor,
        "editor": editor_user,
        "superuser": superuser,
    }
    return lambda role: login(users[role])


def issue_in(state):
    issue = complete_issue()
    if state == "review":
        issue.status = Issue.Status.IN_REVIEW
        issue.save()
    elif state == "published":
        issue.publish(at=timezone.now() - datetime.timedelta(hours=1))
    elif state == "scheduled":
        issue.publish(at=timezone.now() + datetime.timedelta(days=2))
    return issue


SOON = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

# transition, starting state, state after, who may
TRANSITIONS = [
    ("submit", "draft", "review", {"contributor", "editor", "superuser"}),
    ("return", "review", "draft", {"editor", "superuser"}),
    ("publish", "draft", "published", {"editor", "superuser"}),
    ("publish", "review", "published", {"editor", "superuser"}),
    ("schedule", "review", "scheduled", {"editor", "superuser"}),
    ("publish", "scheduled", "published", {"editor", "superuser"}),
    ("unpublish", "published", "draft", {"editor", "superuser"}),
    ("unpublish", "scheduled", "draft", {"editor", "superuser"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action, start, end, allowed", TRANSITIONS, ids=[f"{t[0]}-{t[1]}" for t in TRANSITIONS]
)
def test_transition_matrix(as_role, role, action, start, end, allowed):
    issue = issue_in(start)
    client = as_role(role)
    url = reverse("admin:briefings_issue_workflow", args=[issue.pk])

    response = client.post(
        url, {"action": action, "publish_at": SOON if action == "schedule" else ""}
    )

    issue.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert issue.state == end
        step = IssueTransition.objects.get(issue=issue)
        assert (step.from_state, step.to_state) == (start, end)
        assert step.user is not None
    else:
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("admin:login"))
        assert issue.state == start
        assert not IssueTransition.objects.filter(issue=issue).exists()


@pytest.mark.parametrize("action", ["submit", "return", "unpublish"])
def test_transitions_from_the_wrong_state_are_refused(login, editor_user, action):
    issue = issue_in("published" if action != "unpublish" else "draft")
    before = issue.state
    client = login(editor_user)
    response = client.post(
        reverse("admin:briefings_issue_workflow", args=[issue.pk]), {"action": action}, follow=True
    )
    assert "cannot be moved" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == before


def test_scheduling_needs_a_future_time(login, editor_user):
    issue = issue_in("review")
    client = login(editor_user)
    url = reverse("admin:briefings_issue_workflow", args=[issue.pk])
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for value, message in [
        ("", "Give the date and time"),
        (past, "must be in the future"),
        ("next tuesday", "Give the time as"),
        ("2030-02-30 10:00", "“2030-02-30 10:00” is not a time that exists"),
        ("2030-13-01 10:00", "is not a time that exists"),
        ("2030-01-01 10:00+99:00", "is not a time that exists"),
        ("2030-01-01 25:61", "is not a time that exists"),
    ]:
        response = client.post(url, {"action": "schedule", "publish_at": value}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == "review"


def test_incomplete_issue_cannot_be_scheduled(login, editor_user):
    issue = IssueFactory()
    client = login(editor_user)
    response = client.post(
        reverse("admin:briefings_issue_workflow", args=[issue.pk]),
        {"action": "schedule", "publish_at": SOON},
        follow=True,
    )
    assert "Credits: at least one author is needed." in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == "draft"


def test_transitions_are_shown_on_the_history(login, editor_user):
    issue = issue_in("draft")
    client = login(editor_user)
    url = reverse("admin:briefings_issue_workflow", args=[issue.pk])
    client.post(url, {"action": "submit"})
    client.post(url, {"action": "schedule", "publish_at": SOON})
    html = client.get(reverse("admin:briefings_issue_history", args=[issue.pk])).content.decode()
    assert "<td>draft → review</td>" in html
    assert "<td>review → scheduled for" in html
    assert "Eda Editor" in html


# Add, change and delete in the admin ---------------------------------------------------

ISSUE_ACCESS = {
    # role: add, change a draft, prepare changes to a live issue, change a scheduled issue,
    # delete a draft, delete a published issue
    "anonymous": (False, False, False, False, False, False),
    "contributor": (True, True, True, False, True, False),
    "editor": (True, True, True, True, True, True),
    "superuser": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_issue_add_change_delete_matrix(as_role, role):
    may_add, may_change_draft, may_prepare, may_change_scheduled, may_delete_draft, may_delete = (
        ISSUE_ACCESS[role]
    )
    client = as_role(role)
    draft, published, scheduled = issue_in("draft"), issue_in("published"), issue_in("scheduled")

    response = client.get(reverse("admin:briefings_issue_add"))
    assert (response.status_code == 200) == may_add

    for issue, allowed in [
        (draft, may_change_draft),
        (published, may_prepare),
        (scheduled, may_change_scheduled),
    ]:
        url = reverse("admin:briefings_issue_change", args=[issue.pk])
        page = client.get(url)
        if role == "anonymous":
            assert page.status_code == 302
            continue
        data = admin_form_data(page)
        data["title"] = f"Changed by {role}"
        response = client.post(url, data)
        issue.refresh_from_db()
        if issue is published:
            # A live issue keeps its title; the change waits as pending changes.
            assert issue.title != f"Changed by {role}"
            pending = issue.pending_revision
            pending_title = pending.content["issue"]["title"] if pending else None
            assert (pending_title == data["title"]) == allowed
        else:
            assert (issue.title == f"Changed by {role}") == allowed
        if not allowed:
            assert response.status_code == 403

    for issue, allowed in [(published, may_delete), (draft, may_delete_draft)]:
        client.post(reverse("admin:briefings_issue_delete", args=[issue.pk]), {"post": "yes"})
        assert Issue.objects.filter(pk=issue.pk).exists() != allowed


def test_contributor_cannot_bulk_delete(login, contributor):
    published = issue_in("published")
    client = login(contributor)
    response = client.post(
        reverse("admin:briefings_issue_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Issue.objects.filter(pk=published.pk).exists()


def test_contributor_cannot_use_the_publish_action(login, contributor):
    issue = issue_in("review")
    client = login(contributor)
    client.post(
        reverse("admin:briefings_issue_changelist"),
        {"action": "publish_issues", "_selected_action": [issue.pk]},
    )
    issue.refresh_from_db()
    assert issue.state == "review"


# role: may add/change, may delete — for agencies, people and documents
REFERENCE_ACCESS = {
    "anonymous": (False, False),
    "contributor": (True, False),
    "editor": (True, True),
    "superuser": (True, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "model, factory, admin_name, change",
    [
        (Agency, AgencyFactory, "agencies_agency", {"name_en": "Renamed"}),
        (Person, PersonFactory, "people_person", {"role_title": "Senior Analyst"}),
        (PolicyDocument, lambda: PolicyDocumentFactory(agencies=[]), "briefings_policydocument",
         {"title_en": "Renamed"}),
    ],
    ids=["agency", "person", "document"],
)  # fmt: skip
def test_reference_data_matrix(as_role, role, model, factory, admin_name, change):
    may_edit, may_delete = REFERENCE_ACCESS[role]
    client = as_role(role)
    obj = factory()

    add = client.get(reverse(f"admin:{admin_name}_add"))
    assert (add.status_code == 200) == may_edit

    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    page = client.get(url)
    if page.status_code == 200 and "adminform" in (page.context or {}):
        data = admin_form_data(page)
        data.update(change)
        client.post(url, data)
    obj.refresh_from_db()
    field, value = next(iter(change.items()))
    assert (getattr(obj, field) == value) == may_edit

    client.post(reverse(f"admin:{admin_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists() != may_delete


def test_roles_exist_after_migrating():
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Editor")
    contributor = Group.objects.get(name="Contributor")
    assert editor.permissions.filter(codename="publish_issue").exists()
    assert not contributor.permissions.filter(codename="publish_issue").exists()


def test_contributor_sees_a_scheduled_issue_read_only(login, contributor):
    issue = issue_in("scheduled")
    response = login(contributor).get(reverse("admin:briefings_issue_change", args=[issue.pk]))
    assert response.status_code == 200
    assert "adminform" in response.context
    assert not response.context["has_change_permission"]


def test_contributor_may_prepare_changes_to_a_live_issue(login, contributor):
    issue = published_issue()
    response = login(contributor).get(reverse("admin:briefings_issue_change", args=[issue.pk]))
    assert response.context["has_change_permission"]
    assert not response.context["may_publish_changes"]
