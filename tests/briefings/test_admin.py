import datetime

import pytest
from django.urls import reverse

from apps.agencies.models import Agency
from apps.briefings.models import Issue, NoteworthyItem, SourceLink, Story
from apps.people.models import Person
from tests.admin_forms import admin_form_data
from tests.factories import (
    AgencyFactory,
    CreditFactory,
    IssueFactory,
    NoteworthyItemFactory,
    PersonFactory,
    PolicyDocumentFactory,
    SourceLinkFactory,
    complete_issue,
    published_issue,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:briefings_issue_add")


def change_url(issue):
    return reverse("admin:briefings_issue_change", args=[issue.pk])


def noteworthy_prefix(data, item):
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("noteworthy_items-") and key.endswith("-id") and value == str(item.pk)
    )


def fill_issue(data, documents, author):
    data.update(
        title="ICT infrastructure + IPR enforcement + Battery innovation",
        slug="2021-12-ict-infrastructure",
        publication_date="2021-12-01",
        hero_caption="",
    )
    # Two noteworthy rows: the form offers one blank row; “Add another” adds the second.
    data["noteworthy_items-TOTAL_FORMS"] = str(max(int(data["noteworthy_items-TOTAL_FORMS"]), 2))
    for index, document in enumerate(documents):
        data.update(
            {
                f"stories-{index}-position": str(index + 1),
                f"stories-{index}-headline": f"Headline {index + 1}",
                f"stories-{index}-glance_intro": "MIIT released a plan. Targets include:",
                f"stories-{index}-glance_bullets": "Grow investment\nIncrease 5G use",
                f"stories-{index}-comment": "The plan reflects ambition.\n\nA second paragraph.",
                f"stories-{index}-document": str(document.pk),
            }
        )
    data.update(
        {
            "credits-0-role": "author",
            "credits-0-person": str(author.pk),
            "credits-0-role_title": "Analyst",
            "credits-0-position": "1",
            "noteworthy_items-0-section": "1",
            "noteworthy_items-0-date": "2021-11-03",
            "noteworthy_items-0-text": "NDRC releases an implementation plan",
            "noteworthy_items-0-sources": "NDRC notice (CN) https://www.ndrc.gov.cn/x.html",
            "noteworthy_items-0-position": "1",
            "noteworthy_items-1-section": "2",
            "noteworthy_items-1-date": "2021-11-01",
            "noteworthy_items-1-text": "Yahoo ends its presence in China",
            "noteworthy_items-1-sources": "Sina article (CN); Reuters article (EN)",
            "noteworthy_items-1-position": "1",
        }
    )
    return data


def test_editor_adds_a_full_issue_in_one_form(editor_client):
    documents = [PolicyDocumentFactory() for _ in range(5)]
    author = PersonFactory()
    ndrc = AgencyFactory(abbreviation="NDRC")
    data = fill_issue(admin_form_data(editor_client.get(ADD_URL)), documents, author)
    data["noteworthy_items-0-cited_agencies"] = [str(ndrc.pk)]

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["errors"]
    issue = Issue.objects.get(slug="2021-12-ict-infrastructure")
    assert issue.status == Issue.Status.DRAFT
    assert [s.position for s in issue.stories.all()] == [1, 2, 3, 4, 5]
    assert issue.stories.get(position=3).document == documents[2]
    assert issue.credits.get().person == author
    policy, corporate = issue.noteworthy_items.order_by("section")
    assert [(s.label, s.language, s.url) for s in policy.sources.all()] == [
        ("NDRC notice", "CN", "https://www.ndrc.gov.cn/x.html")
    ]
    assert list(policy.agencies.all()) == [ndrc]
    assert [str(s) for s in corporate.sources.all()] == [
        "Sina article (CN)",
        "Reuters article (EN)",
    ]
    assert issue.publish_problems() == []


def test_editor_changes_a_story_and_a_noteworthy_item(editor_client):
    issue = complete_issue()
    item = issue.noteworthy_items.first()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-0-headline"] = "A better headline"
    data[f"{noteworthy_prefix(data, item)}-sources"] = "MIIT notice (CN)\nXinhua article (EN)"

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 302
    assert issue.stories.get(position=1).headline == "A better headline"
    assert [str(s) for s in item.sources.all()] == ["MIIT notice (CN)", "Xinhua article (EN)"]


def test_unchanged_resubmission_changes_nothing(editor_client):
    issue = complete_issue()
    SourceLink.objects.create(item=issue.noteworthy_items.first(), label="MOF notice")
    before = list(SourceLink.objects.values_list("pk", "label"))
    response = editor_client.post(
        change_url(issue), admin_form_data(editor_client.get(change_url(issue)))
    )
    assert response.status_code == 302
    assert list(SourceLink.objects.values_list("pk", "label")) == before


def test_stories_can_swap_positions(editor_client):
    issue = complete_issue()
    first, second = issue.stories.get(position=1), issue.stories.get(position=2)
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-0-position"], data["stories-1-position"] = "2", "1"

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_two_stories_in_one_position_are_refused_and_nothing_is_saved(editor_client):
    issue = complete_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-1-position"] = "1"
    data["stories-0-headline"] = "Changed"

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for position" in str(response.context["errors"])
    assert issue.stories.get(position=1).headline != "Changed"


def test_bad_source_address_is_refused_with_a_clear_message(editor_client):
    issue = complete_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["title"] = "Changed title"
    data[f"{noteworthy_prefix(data, issue.noteworthy_items.first())}-sources"] = (
        "MIIT notice (CN) htp://nowhere"
    )

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 200
    assert "is not a valid web address" in response.content.decode()
    issue.refresh_from_db()
    assert issue.title != "Changed title"


def test_publish_action_publishes_a_complete_issue(editor_client):
    issue = complete_issue()
    response = editor_client.post(
        reverse("admin:briefings_issue_changelist"),
        {"action": "publish_issues", "_selected_action": [issue.pk]},
        follow=True,
    )
    issue.refresh_from_db()
    assert issue.is_live
    assert "Published 1 issue" in response.content.decode()


def test_publish_action_refuses_an_incomplete_issue_naming_what_is_missing(editor_client):
    complete = complete_issue()
    incomplete = IssueFactory(title="Half-written issue")
    response = editor_client.post(
        reverse("admin:briefings_issue_changelist"),
        {"action": "publish_issues", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "“Half-written issue” cannot be published" in page
    assert "The Top 5 needs exactly five stories in positions 1–5; it has 0." in page
    assert "Credits: at least one author is needed." in page
    assert "Nothing was published." in page
    assert not Issue.objects.filter(status=Issue.Status.PUBLISHED).exists()


def workflow(client, issue, action, **data):
    url = reverse("admin:briefings_issue_workflow", args=[issue.pk])
    return client.post(url, {"action": action, **data}, follow=True)


def test_publish_button_on_the_change_page(editor_client):
    issue = complete_issue()
    page = editor_client.get(change_url(issue)).content.decode()
    assert reverse("admin:briefings_issue_workflow", args=[issue.pk]) in page
    assert 'value="publish"' in page

    response = workflow(editor_client, issue, "publish")

    assert "is now published" in response.content.decode()
    issue.refresh_from_db()
    assert issue.is_live


def test_workflow_messages_name_the_state_in_words(editor_client):
    issue = complete_issue()
    response = workflow(editor_client, issue, "submit")
    assert "is now in review." in response.content.decode()


def test_publish_button_refuses_an_incomplete_issue(editor_client):
    issue = IssueFactory()
    CreditFactory(issue=issue)
    response = workflow(editor_client, issue, "publish")
    assert "it has 0" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_workflow_needs_a_post(editor_client):
    issue = complete_issue()
    response = editor_client.get(reverse("admin:briefings_issue_workflow", args=[issue.pk]))
    assert response.status_code == 405


def test_staff_without_publish_permission_cannot_publish(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__endswith="_issue").exclude(codename="publish_issue")
    )
    sign_in(client, user)
    issue = complete_issue()
    url = reverse("admin:briefings_issue_workflow", args=[issue.pk])
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_unpublish_button(editor_client):
    issue = published_issue()
    workflow(editor_client, issue, "unpublish")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_published_issue_cannot_lose_a_story(editor_client):
    issue = published_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-4-DELETE"] = "on"

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 200
    assert "its Top 5 must stay complete" in response.content.decode()
    assert issue.stories.count() == 5


def test_published_issue_story_cannot_lose_its_comment(editor_client):
    issue = published_issue()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-2-comment"] = ""
    response = editor_client.post(change_url(issue), data)
    assert response.status_code == 200
    assert "Story 3: missing comment." in response.content.decode()


def test_draft_may_be_saved_incomplete(editor_client):
    issue = IssueFactory()
    data = admin_form_data(editor_client.get(change_url(issue)))
    data["stories-0-headline"] = "Only one story so far"
    response = editor_client.post(change_url(issue), data)
    assert response.status_code == 302, response.context["errors"]
    assert issue.stories.get().position == 1


def test_new_issue_form_offers_the_five_positions(editor_client):
    response = editor_client.get(ADD_URL)
    stories = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "stories"
    )
    assert [form["position"].value() for form in stories.forms] == [1, 2, 3, 4, 5]


def test_issue_list_filters_and_search(editor_client):
    published_issue(title="Carbon neutrality plan", publication_date=datetime.date(2021, 11, 2))
    IssueFactory(title="Computing power", publication_date=datetime.date(2023, 11, 1))
    url = reverse("admin:briefings_issue_changelist")
    assert "Carbon" in editor_client.get(url, {"year": "2021"}).content.decode()
    assert "Carbon" not in editor_client.get(url, {"year": "2023"}).content.decode()
    assert "Computing" in editor_client.get(url, {"state": "draft"}).content.decode()
    assert "Carbon" in editor_client.get(url, {"q": "carbon"}).content.decode()


def test_the_issue_list_filters_each_state_scheduled_included(editor_client):
    from django.utils import timezone

    live = published_issue(title="Live issue")
    scheduled = complete_issue(title="Scheduled issue")
    scheduled.publish(at=timezone.now() + datetime.timedelta(days=3))
    IssueFactory(title="Draft issue")
    IssueFactory(title="Issue in review", status=Issue.Status.IN_REVIEW)
    url = reverse("admin:briefings_issue_changelist")
    page = editor_client.get(url).content.decode()
    for label in ["Draft", "In review", "Scheduled", "Published"]:
        assert f">{label}</a>" in page
    shown = {
        state: editor_client.get(url, {"state": state}).content.decode()
        for state in ["draft", "review", "scheduled", "published"]
    }
    assert "Scheduled issue" in shown["scheduled"] and "Live issue" not in shown["scheduled"]
    assert "Live issue" in shown["published"] and "Scheduled issue" not in shown["published"]
    assert "Draft issue" in shown["draft"] and "Issue in review" in shown["review"]
    assert live.pk and editor_client.get(url, {"state": "nonsense"}).status_code == 200


def test_agency_in_use_cannot_be_deleted_in_the_admin(editor_client):
    agency = AgencyFactory(abbreviation="MIIT")
    PolicyDocumentFactory(agencies=[agency])
    url = reverse("admin:agencies_agency_delete", args=[agency.pk])
    page = editor_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    editor_client.post(url, {"post": "yes"})
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_agency_cited_by_noteworthy_item_cannot_be_deleted_in_the_admin(editor_client):
    agency = AgencyFactory()
    NoteworthyItemFactory().agencies.add(agency)
    url = reverse("admin:agencies_agency_delete", args=[agency.pk])
    editor_client.post(url, {"post": "yes"})
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_credited_person_cannot_be_deleted_in_the_admin(editor_client):
    person = CreditFactory().person
    url = reverse("admin:people_person_delete", args=[person.pk])
    page = editor_client.get(url).content.decode()
    assert "protected related objects" in page
    editor_client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()


def test_bulk_delete_of_agencies_in_use_is_refused(editor_client):
    agency = AgencyFactory()
    PolicyDocumentFactory(agencies=[agency])
    response = editor_client.post(
        reverse("admin:agencies_agency_changelist"),
        {"action": "delete_selected", "_selected_action": [agency.pk], "post": "yes"},
    )
    assert "protected" in response.content.decode()
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_unused_agency_can_be_deleted(editor_client):
    agency = AgencyFactory()
    editor_client.post(reverse("admin:agencies_agency_delete", args=[agency.pk]), {"post": "yes"})
    assert not Agency.objects.filter(pk=agency.pk).exists()


def test_autocomplete_finds_agencies_and_people(editor_client):
    AgencyFactory(abbreviation="MIIT", name_en="Ministry of Industry and Information Technology")
    PersonFactory(name="Rebecca Arcesati")
    url = reverse("admin:autocomplete")
    agencies = editor_client.get(
        url,
        {
            "app_label": "briefings",
            "model_name": "documentagency",
            "field_name": "agency",
            "term": "industry",
        },
    ).json()
    assert [r["text"] for r in agencies["results"]] == [
        "MIIT (Ministry of Industry and Information Technology)"
    ]
    people = editor_client.get(
        url,
        {
            "app_label": "briefings",
            "model_name": "credit",
            "field_name": "person",
            "term": "arces",
        },
    ).json()
    assert [r["text"] for r in people["results"]] == ["Rebecca Arcesati"]


def test_view_on_site_and_admin_pages_render(editor_client):
    issue = complete_issue()
    for url in [
        reverse("admin:index"),
        reverse("admin:briefings_issue_changelist"),
        change_url(issue),
        reverse("admin:briefings_policydocument_changelist"),
        reverse("admin:briefings_policydocument_add"),
        reverse("admin:agencies_agency_changelist"),
        reverse("admin:people_person_changelist"),
    ]:
        assert editor_client.get(url).status_code == 200, url
    # A draft is seen at its preview address, a live issue at its own.
    preview = reverse("briefings:preview", kwargs={"pk": issue.pk})
    assert preview in editor_client.get(change_url(issue)).content.decode()
    live = published_issue()
    assert live.get_absolute_url() in editor_client.get(change_url(live)).content.decode()


def test_noteworthy_item_ordering_groups_by_section():
    issue = IssueFactory()
    corporate = NoteworthyItemFactory(
        issue=issue, section=NoteworthyItem.Section.CORPORATE, position=1
    )
    policy = NoteworthyItemFactory(issue=issue, section=NoteworthyItem.Section.POLICY, position=2)
    assert list(issue.noteworthy_items.all()) == [policy, corporate]
    assert Story.objects.count() == 0


def test_change_page_has_no_form_inside_another(editor_client):
    """Browsers drop a form nested in another, so its button would submit the outer one."""
    from html.parser import HTMLParser

    class FormDepth(HTMLParser):
        depth = deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag == "form":
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag == "form":
                self.depth -= 1

    issue = complete_issue()
    from apps.briefings import sharing

    sharing.create(issue, None)
    parser = FormDepth()
    parser.feed(editor_client.get(change_url(issue)).content.decode())
    assert parser.deepest == 1


def test_browser_line_breaks_are_stored_plainly_and_are_no_change(editor_client):
    """Browsers send a textarea's lines joined by CRLF."""
    issue = complete_issue()
    item = issue.noteworthy_items.first()
    SourceLinkFactory(item=item, label="MIIT notice", language="CN", position=1)
    SourceLinkFactory(item=item, label="Reuters article", language="EN", position=2)
    data = admin_form_data(editor_client.get(change_url(issue)))
    crlf = {
        key: value.replace("\n", "\r\n") for key, value in data.items() if isinstance(value, str)
    }
    sources_before = list(SourceLink.objects.values_list("pk", flat=True))

    response = editor_client.post(change_url(issue), {**data, **crlf})

    assert response.status_code == 302
    story = issue.stories.get(position=1)
    assert "\r" not in story.comment and "\r" not in story.glance_bullets
    assert list(SourceLink.objects.values_list("pk", flat=True)) == sources_before
    # Nothing changed: no revision beyond the issue as it was, and forms opened before
    # stay current.
    assert [revision.via for revision in issue.revisions.all()] == ["system"]
    assert Issue.objects.get(pk=issue.pk).version == issue.version
