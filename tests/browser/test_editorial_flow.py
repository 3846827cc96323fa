"""A contributor writes an issue and submits it; an editor previews and schedules it; at its
time it is on the home page and in the feed. In Debian's Chromium, through the admin."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.briefings.models import Issue
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import AgencyFactory, PersonFactory, PolicyDocumentFactory, UserFactory

TITLE = "Semiconductors + Shipbuilding + Data rules"


@pytest.fixture
def newsroom(transactional_db, roles):
    miit = AgencyFactory(abbreviation="MIIT", slug="miit")
    for n in range(1, 6):
        PolicyDocumentFactory(title_en=f"Policy document number {n}", agencies=[miit])
    PersonFactory(name="Rebecca Arcesati", slug="rebecca-arcesati")
    contributor = UserFactory(username="cora", password=PASSWORD, is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributor"))
    editor = UserFactory(username="eda", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))


def choose(page, select_id, text):
    """Pick an option in one of the admin's autocomplete (select2) widgets."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_contributor_writes_editor_schedules_readers_see_it(
    live_server, newsroom, browser, artifacts
):
    base = live_server.url

    # The contributor writes the whole issue and submits it for review.
    page = log_in(browser, base, "cora")
    page.goto(f"{base}/admin/briefings/issue/add/")
    page.fill("#id_title", TITLE)  # the slug is filled in from it
    page.fill("#id_publication_date", "2026-12-07")
    for n in range(5):
        page.fill(f"#id_stories-{n}-headline", f"Headline of story {n + 1}")
        page.fill(f"#id_stories-{n}-glance_intro", "The ministry released a plan. Targets:")
        page.fill(f"#id_stories-{n}-glance_bullets", "Build 20 fabs\nTrain engineers")
        page.fill(f"#id_stories-{n}-comment", "A first paragraph.\n\nA second paragraph.")
        choose(page, f"id_stories-{n}-document", f"number {n + 1}")
    choose(page, "id_credits-0-person", "Arcesati")
    page.select_option("#id_noteworthy_items-0-section", label="Policy news")
    page.fill("#id_noteworthy_items-0-date", "2026-11-20")
    page.fill("#id_noteworthy_items-0-text", "MIIT releases a list of pilot projects")
    page.fill("#id_noteworthy_items-0-sources", "MIIT notice (CN)")
    page.get_by_role("button", name="Add another Noteworthy item").click()
    page.select_option("#id_noteworthy_items-1-section", label="Corporate news")
    page.fill("#id_noteworthy_items-1-date", "2026-11-24")
    page.fill("#id_noteworthy_items-1-text", "A chipmaker opens a plant")
    page.fill("#id_noteworthy_items-1-sources", "Reuters article (EN)")
    page.click("input[name=_continue]")
    assert "was added successfully" in page.inner_text(".messagelist")
    page.screenshot(path=artifacts / "editorial-1-written.png")
    page.click("button:has-text('Submit for review')")
    assert "is now in review" in page.inner_text(".messagelist")
    assert not page.locator("button:has-text('Publish now')").count()  # not theirs to do
    page.context.close()

    issue = Issue.objects.get(title=TITLE)
    assert issue.state == "review" and issue.stories.count() == 5

    # The editor previews it as readers will see it, then schedules it.
    page = log_in(browser, base, "eda")
    page.goto(f"{base}/admin/briefings/issue/{issue.pk}/change/")
    page.click(".workflow-panel a:has-text('Preview')")
    assert page.url == f"{base}/preview/issues/{issue.pk}/"
    assert "Preview: this issue is not published" in page.inner_text(".preview-banner")
    assert page.locator("h1").inner_text() == TITLE
    page.screenshot(path=artifacts / "editorial-2-preview.png")
    page.go_back()
    live_at = timezone.localtime() + datetime.timedelta(days=2)
    page.fill("#schedule-at", live_at.strftime("%Y-%m-%dT%H:%M"))
    page.click(".workflow-panel button:has-text('Schedule')")
    assert "is now scheduled" in page.inner_text(".messagelist")
    page.screenshot(path=artifacts / "editorial-3-scheduled.png")
    page.context.close()

    # Readers: nothing yet; after its time, on the home page and in the feed.
    reader = browser.new_context().new_page()
    reader.goto(f"{base}/")
    assert TITLE not in reader.content()
    reader.context.close()
    with time_machine.travel(live_at + datetime.timedelta(minutes=1)):
        # A new browser context: the old one rightly cached the home page for 5 minutes,
        # and its clock did not travel.
        reader = browser.new_context().new_page()
        reader.goto(f"{base}/")
        assert reader.locator("#latest-title").inner_text() == TITLE
        reader.screenshot(path=artifacts / "editorial-4-live.png")
        feed = reader.request.get(f"{base}/feeds/rss/").text()
        assert f"<title>{TITLE}</title>" in feed
    reader.context.close()
