import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from apps.briefings import sharing
from apps.briefings.models import Issue
from tests.factories import complete_issue, published_issue

pytestmark = pytest.mark.django_db


def test_scheduled_issue_goes_live_at_its_time_everywhere_with_no_job(client, login, editor_user):
    issue = complete_issue(title="The March issue")
    at = timezone.now() + datetime.timedelta(days=2)
    login(editor_user).post(
        reverse("admin:briefings_issue_workflow", args=[issue.pk]),
        {"action": "schedule", "publish_at": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")},
    )
    client.logout()
    public = [
        (reverse("briefings:home"), "The March issue"),
        (reverse("briefings:archive"), "The March issue"),
        (reverse("sitemap-section", args=["issues"]), issue.get_absolute_url()),
        (reverse("feeds:issues_rss"), "The March issue"),
        (reverse("search:search") + "?q=March", "<mark>March</mark> issue"),
    ]
    for url, marker in public:
        assert marker not in client.get(url).content.decode(), url
    assert client.get(issue.get_absolute_url()).status_code == 404

    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        for url, marker in public:
            assert marker in client.get(url).content.decode(), url
        assert client.get(issue.get_absolute_url()).status_code == 200


def test_staff_preview_any_state_with_a_banner(login, contributor):
    client = login(contributor)
    for issue in [complete_issue(), published_issue()]:
        issue_state = issue.state
        response = client.get(reverse("briefings:preview", kwargs={"pk": issue.pk}))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        banner = "Preview: this issue is not published" in response.content.decode()
        assert banner == (issue_state != "published")


# Share links ---------------------------------------------------------------------------


@pytest.fixture
def draft_with_link(editor_user):
    issue = complete_issue(title="A draft for review")
    return issue, sharing.create(issue, editor_user)


def test_share_link_shows_the_draft_to_someone_without_an_account(client, draft_with_link):
    issue, link = draft_with_link
    response = client.get(sharing.url(link))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A draft for review" in html
    assert "Shared preview: this issue is not published" in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    for story in issue.stories.all():
        assert story.headline in html
        assert f'href="{story.get_absolute_url()}"' not in html  # no way into other pages


def test_share_link_gives_access_to_that_issue_only(client, draft_with_link):
    issue, link = draft_with_link
    other = complete_issue(title="Another secret draft")
    client.get(sharing.url(link))
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert client.get(issue.stories.first().get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "Another secret draft" not in client.get(sharing.url(link)).content.decode()


def test_expired_share_link_is_gone(client, draft_with_link):
    _, link = draft_with_link
    with time_machine.travel(timezone.now() + datetime.timedelta(days=sharing.DAYS, minutes=1)):
        response = client.get(sharing.url(link))
    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()


def test_revoked_share_link_is_gone(client, login, editor_user, draft_with_link):
    issue, link = draft_with_link
    login(editor_user).post(reverse("admin:briefings_issue_revoke", args=[issue.pk, link.pk]))
    client.logout()
    assert client.get(sharing.url(link)).status_code == 410


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        lambda link: sharing.token(link)[:-2] + "xx",
        lambda link: signing.Signer(salt="some-other-salt").sign_object(link.pk),
        lambda link: signing.Signer(salt=sharing.SALT).sign_object(link.pk + 1000),
    ],
    ids=["garbage", "tampered", "wrong-salt", "unknown-link"],
)
def test_tampered_share_link_is_not_found(client, draft_with_link, token):
    _, link = draft_with_link
    value = token(link) if callable(token) else token
    assert client.get(reverse("briefings:share", args=[value])).status_code == 404


def test_a_share_link_always_reads_the_same(draft_with_link):
    _, link = draft_with_link
    first = sharing.url(link)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        assert sharing.url(link) == first


def test_editor_creates_a_share_link_from_the_change_page(login, editor_user):
    issue = complete_issue()
    client = login(editor_user)
    response = client.post(reverse("admin:briefings_issue_share", args=[issue.pk]), follow=True)
    link = issue.share_links.get()
    assert f"http://testserver{sharing.url(link)}" in response.content.decode()
    assert link.created_by == editor_user and link.is_active


def test_share_link_cannot_be_made_without_permission(login, superuser):
    from tests.factories import UserFactory

    issue = complete_issue()
    client = login(UserFactory(is_staff=True))
    response = client.post(reverse("admin:briefings_issue_share", args=[issue.pk]))
    assert response.status_code == 403
    assert not issue.share_links.exists()


def test_publish_time_is_shown_for_a_scheduled_issue(login, editor_user):
    issue = complete_issue()
    issue.publish(at=timezone.now() + datetime.timedelta(days=1))
    html = login(editor_user).get(reverse("admin:briefings_issue_change", args=[issue.pk]))
    assert "scheduled for" in html.content.decode()
    assert Issue.objects.get(pk=issue.pk).state == "scheduled"


def test_a_preview_links_only_to_pages_readers_can_open(client, login, editor_user):
    """A draft's new agency and new author have no public page yet (404), so neither the
    staff preview nor a share link links to them; those already shown in published issues
    keep their links."""
    from apps.briefings.models import Credit
    from tests.factories import AgencyFactory, CreditFactory

    live = published_issue()
    known_agency = live.stories.first().document.issuers.first().agency
    known_person = live.credits.first().person
    draft = complete_issue()
    new_agency = AgencyFactory(abbreviation="NEWCO")
    story = draft.stories.get(position=1)
    story.document.issuers.create(agency=new_agency, position=2)
    draft.stories.get(position=2).document.issuers.create(agency=known_agency, position=2)
    new_person = draft.credits.get().person
    CreditFactory(issue=draft, person=known_person, role=Credit.Role.EDITOR)
    assert client.get(new_agency.get_absolute_url()).status_code == 404
    assert client.get(new_person.get_absolute_url()).status_code == 404

    staff = login(editor_user).get(reverse("briefings:preview", kwargs={"pk": draft.pk}))
    shared = client.get(sharing.url(sharing.create(draft, editor_user)))
    for response in (staff, shared):
        html = response.content.decode()
        assert "NEWCO" in html and new_person.name in html
        assert f'href="{new_agency.get_absolute_url()}"' not in html
        assert f'href="{new_person.get_absolute_url()}"' not in html
        assert f'href="{known_agency.get_absolute_url()}"' in html
        assert f'href="{known_person.get_absolute_url()}"' in html


def test_a_preview_of_pending_changes_does_not_link_what_only_they_show(
    client, login, editor_user
):
    """Pending changes to a live issue that bring in a new agency: readers still see the
    live issue, so that agency has no public page yet, and the preview does not link it."""
    from tests.admin_forms import save_issue
    from tests.factories import AgencyFactory, PolicyDocumentFactory

    live = published_issue()
    new_agency = AgencyFactory(abbreviation="NEWCO")
    document = PolicyDocumentFactory(agencies=[new_agency])
    editor = login(editor_user)
    save_issue(editor, live, **{"stories-0-document": str(document.pk)})
    live.refresh_from_db()
    assert live.pending_revision_id
    assert client.get(new_agency.get_absolute_url()).status_code == 404

    html = editor.get(reverse("briefings:preview", kwargs={"pk": live.pk})).content.decode()
    assert "NEWCO" in html
    assert f'href="{new_agency.get_absolute_url()}"' not in html
