"""Odd input gets a clear answer, never a 500: NUL characters in addresses, ids that are
not numbers, feeds of records no published issue shows."""

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, PersonFactory, complete_issue, published_issue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/search/?q=%00", "/search/?q=battery%00", "/issues/?agency=%00", "/issues/?year=20%0024",
     "/issues/?%00=1", "/agencies/?page=%00"],
)  # fmt: skip
def test_a_nul_character_in_an_address_is_a_bad_request(client, url):
    published_issue()
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("suffix", ["change/", "history/", "history/compare/", "delete/"])
def test_an_admin_address_with_an_id_that_is_not_a_number_is_not_an_error(editor_client, suffix):
    response = editor_client.get(f"/admin/briefings/issue/abc/{suffix}", follow=True)
    assert response.status_code in (200, 404)
    response = editor_client.get(f"/admin/briefings/issue/{'9' * 30}/{suffix}", follow=True)
    assert response.status_code in (200, 404)


def test_records_only_drafts_show_have_no_feeds(client):
    draft = complete_issue()
    agency = draft.stories.first().document.issuers.first().agency
    person = draft.credits.first().person
    lonely_agency, lonely_person = AgencyFactory(), PersonFactory()
    for kind, record in [("agency", agency), ("person", person), ("agency", lonely_agency),
                         ("person", lonely_person)]:  # fmt: skip
        for feed in ("rss", "atom"):
            url = reverse(f"feeds:{kind}_{feed}", args=[record.slug])
            response = client.get(url)
            assert response.status_code == 404, url
            name = record.name_en if kind == "agency" else record.name
            assert name not in response.content.decode()

    published_issue()  # other records in print keep their feeds
    live = published_issue()
    agency = live.stories.first().document.issuers.first().agency
    assert client.get(reverse("feeds:agency_rss", args=[agency.slug])).status_code == 200


def test_an_autocomplete_field_given_something_that_is_not_an_id_says_so(editor_client):
    response = editor_client.post(
        "/admin/briefings/policydocument/add/",
        {"issuers-TOTAL_FORMS": "1", "issuers-INITIAL_FORMS": "0", "issuers-0-agency": ":",
         "label": "policy", "title_en": "A plan", "date": "2024-01-01", "_save": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("field", ["stories-0-document", "credits-0-person",
                                   "noteworthy_items-0-cited_agencies"])  # fmt: skip
@pytest.mark.parametrize("value", [":", "99999999999999999999", "-99999999999999999999"])
def test_every_autocomplete_field_of_the_issue_form_takes_odd_values(editor_client, field, value):
    import re

    form = editor_client.get("/admin/briefings/issue/add/").content.decode()
    data = {name: value for name, value in re.findall(r'name="([^"]+-(?:TOTAL|INITIAL)_FORMS)"'
                                                      r'[^>]*value="([^"]*)"', form)}  # fmt: skip
    response = editor_client.post(
        "/admin/briefings/issue/add/", {**data, field: value, "title": "x"}
    )
    assert response.status_code == 200
