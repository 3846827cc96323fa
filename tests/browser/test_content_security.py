"""Under the Content Security Policy nothing the site or the admin needs is blocked: no
console error on the public pages or the editors' pages, in Debian's Chromium."""

from tests.browser.helpers import PASSWORD, log_in
from tests.factories import UserFactory, published_issue


def test_no_page_breaks_the_content_security_policy(live_server, transactional_db, browser):
    issue = published_issue()
    UserFactory(username="chief", password=PASSWORD, is_staff=True, is_superuser=True)
    base = live_server.url
    page = log_in(browser, base, "chief")
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append((page.url, m.text)))
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    paths = [
        "/admin/",
        "/admin/briefings/issue/",
        f"/admin/briefings/issue/{issue.pk}/change/",
        "/admin/briefings/issue/add/",
        f"/admin/briefings/issue/{issue.pk}/history/",
        "/admin/agencies/agency/",
        "/admin/briefings/story/import/",
        "/",
        "/issues/",
        issue.get_absolute_url(),
        "/search/?q=plan",
    ]
    for path in paths:
        response = page.goto(base + path)
        assert response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
    assert errors == []
