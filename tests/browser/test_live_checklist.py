"""The publish checklist beside a draft follows the form as the editor types, before any
save. In Debian's Chromium, through the admin."""

from apps.briefings.models import Issue
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import UserFactory, complete_issue


def test_emptying_a_comment_shows_in_the_checklist_at_once(live_server, transactional_db,
                                                           browser):  # fmt: skip
    UserFactory(username="chief", password=PASSWORD, is_staff=True, is_superuser=True)
    issue = complete_issue()
    page = log_in(browser, live_server.url, "chief")
    page.goto(f"{live_server.url}/admin/briefings/issue/{issue.pk}/change/")
    checklist = page.locator("#publish-checklist")
    assert "Ready to publish" in checklist.inner_text()

    page.locator("#stories-0 > details > summary").click()
    page.fill("#id_stories-0-comment", "")
    page.wait_for_selector("#publish-checklist li")
    assert "Story 1: missing comment." in checklist.inner_text()
    assert not page.locator("#publish-checklist .checklist-done").is_visible()

    page.fill("#id_stories-0-comment", "A comment again.")
    page.wait_for_selector("#publish-checklist li", state="detached")
    assert page.locator("#publish-checklist .checklist-done").is_visible()
    assert Issue.objects.get(pk=issue.pk).stories.get(position=1).comment != "A comment again."
    page.context.close()
