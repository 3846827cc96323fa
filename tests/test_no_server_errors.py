"""Whatever an address, a query string or a form holds, the answer is never a 500: every
public address and every admin form is given arbitrary text (hypothesis), and every answer
is a page, a redirect or a 4xx."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory, published_issue
from tests.hostile import XSS
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

# Text as it arrives: any character (NUL, surrogates excluded by HTTP), hostile payloads,
# numbers out of range, dates that do not exist.
ODD = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [*XSS, "", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "2030-02-30",
         "2030-13-01 25:61", "+99:00", "../../etc/passwd", "%00", "\x00", "中" * 200,
         "a" * 5000, "'; DROP TABLE briefings_issue; --", "[]", "{}", "None", "true"]
    ),
)  # fmt: skip
SEGMENT = st.one_of(
    st.text(min_size=1, max_size=30), st.sampled_from(["abc", "0", "-1", "9" * 25])
)
# Fields whose meaningful values a random text would almost never hit.
KNOWN = {
    "action": st.sampled_from(
        ["publish", "schedule", "submit", "approve", "reject", "unpublish", "archive",
         "submit_changes", "discard_changes", "publish_changes", "nonsense"]
    ),
    "status": st.sampled_from(["draft", "review", "scheduled", "published", "x"]),
    "publish_at": st.one_of(
        st.builds(
            "{:04d}-{:02d}-{:02d} {:02d}:{:02d}{}".format,
            st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
            st.integers(0, 25), st.integers(0, 61),
            st.sampled_from(["", "Z", "+01:00", "+99:00", "-25:00"]),
        ),
        ODD,
    ),
}  # fmt: skip
PUBLIC_PARAMETERS = ["q", "page", "news_page", "year", "agency", "person", "section", "p"]
EXAMPLES = 150
# Hypothesis's explain phase traces every line of Django once a failure is found, which takes
# many minutes on an admin form; the failing example itself is enough.
PHASES = [phase for phase in Phase if phase != Phase.explain]
ADMIN_PROFILE = settings(
    max_examples=25,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def answer(client, method, path, data):
    response = getattr(client, method)(path, data)
    assert response.status_code < 500, (method, path, data, response.status_code)
    return response


@pytest.fixture
def archive(db):
    issue = published_issue()
    story = issue.stories.first()
    agency = story.document.issuers.first().agency
    person = issue.credits.first().person
    return {
        "issue": issue.slug,
        "story": story.slug,
        "agency": agency.slug,
        "person": person.slug,
        "document": str(story.document.pk),
    }


PUBLIC = [
    "/",
    "/issues/",
    "/issues/{issue}/",
    "/issues/{issue}/{story}/",
    "/issues/{odd}/",
    "/issues/{issue}/{odd}/",
    "/documents/{document}/",
    "/documents/{odd}/",
    "/agencies/",
    "/agencies/{agency}/",
    "/agencies/{odd}/",
    "/people/",
    "/people/{person}/",
    "/people/{odd}/",
    "/search/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/stories/atom/",
    "/feeds/agencies/{agency}/rss/",
    "/feeds/people/{person}/atom/",
    "/feeds/agencies/{odd}/atom/",
    "/sitemap.xml",
    "/sitemap-{odd}.xml",
    "/sitemap-issues.xml",
    "/preview/{odd}/",
    "/preview/issues/{odd}/",
    "/{odd}",
]


def test_no_public_address_answers_500(archive):
    client = Client(raise_request_exception=False)

    @PROFILE
    @given(
        template=st.sampled_from(PUBLIC),
        odd=SEGMENT,
        query=st.dictionaries(
            st.one_of(st.sampled_from(PUBLIC_PARAMETERS), st.text(max_size=10)),
            ODD,
            max_size=4,
        ),
    )
    def probe(template, odd, query):
        answer(client, "get", template.format(odd=odd, **archive), query)

    probe()


def strategy_for(name: str):
    if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
        # Odd counts, but not thousands of forms to render in every example.
        return st.sampled_from(["0", "1", "2", "7", "-1", "x", "", "\x00", "1e3"])
    return KNOWN.get(name, ODD)


def form_fields(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html)
    return sorted({n for n in names if n != "csrfmiddlewaretoken"})


ADMIN_FORMS = [
    "/admin/briefings/issue/add/",
    "/admin/briefings/issue/{issue_pk}/change/",
    "/admin/briefings/policydocument/add/",
    "/admin/agencies/agency/add/",
    "/admin/agencies/agency/{agency_pk}/change/",
    "/admin/people/person/add/",
    "/admin/people/person/{person_pk}/change/",
    "/admin/auth/user/add/",
    "/admin/briefings/issue/import-briefing/",
    "/admin/briefings/issue/{issue_pk}/workflow/",
    "/admin/briefings/issue/{issue_pk}/share/",
    "/admin/briefings/issue/{issue_pk}/history/compare/",
    "/admin/briefings/issue/",
    "/admin/briefings/story/",
    "/admin/briefings/noteworthyitem/",
    "/admin/login/",
    "/admin/two-factor/set-up/",
]


@pytest.mark.parametrize("template", ADMIN_FORMS)
def test_no_admin_form_answers_500(db, template):
    issue = published_issue()
    path = template.format(
        issue_pk=issue.pk,
        agency_pk=issue.stories.first().document.issuers.first().agency.pk,
        person_pk=issue.credits.first().person.pk,
    )
    client = Client(raise_request_exception=False)
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    page = client.get(path)
    assert page.status_code < 500, path
    names = form_fields(page.content.decode()) or ["a", "b", "q"]
    if path.endswith(("/workflow/", "/share/")):  # they take posts but show no form
        names = ["action", "publish_at", "days", "note"]

    @ADMIN_PROFILE
    @given(data=st.data())
    def probe(data):
        chosen = data.draw(
            st.lists(st.sampled_from(names), min_size=len(names) // 2, max_size=len(names),
                     unique=True)
        )  # fmt: skip
        values = {name: data.draw(strategy_for(name)) for name in chosen}
        method = data.draw(st.sampled_from(["post", "post", "get"]))
        answer(client, method, path, values)

    probe()
