"""An editor corrects a live issue's headline and previews it; a second editor reviews the
difference and publishes it; readers see the correction only then. In Debian's Chromium,
through the admin."""

import pytest
from django.contrib.auth.models import Group

from tests.browser.helpers import PASSWORD, log_in
from tests.factories import UserFactory, published_issue

OLD = "MIIT issues a plan for computing power"
NEW = "MIIT and NDRC issue a plan for computing power"


@pytest.fixture
def live_issue(transactional_db, roles):
    issue = published_issue(title="Computing power + Civil aviation")
    issue.stories.filter(position=1).update(headline=OLD)
    for username, first_name in [("eda", "Eda"), ("max", "Max")]:
        editor = UserFactory(
            username=username, password=PASSWORD, is_staff=True, first_name=first_name
        )
        editor.groups.add(Group.objects.get(name="Editor"))
    return issue


def read(browser, url, width):
    """The public page as a reader sees it, in a fresh browser (no cached copy)."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(url)
    return page


def test_a_correction_waits_for_review_and_goes_live_when_published(
    live_server, live_issue, browser, artifacts
):
    base = live_server.url
    public = f"{base}{live_issue.get_absolute_url()}"
    change = f"{base}/admin/briefings/issue/{live_issue.pk}/change/"

    # Eda corrects the headline; the issue is live, so the change waits.
    page = log_in(browser, base, "eda")
    page.goto(change)
    assert "saving keeps your changes pending" in page.inner_text(".workflow-panel")
    page.locator("#stories-0 > details > summary").click()  # a complete story is folded
    page.fill("#id_stories-0-headline", NEW)
    page.click("input[name=_continue]")
    assert "your changes are pending" in page.inner_text(".messagelist")
    assert page.input_value("#id_stories-0-headline") == NEW
    page.screenshot(path=artifacts / "pending-1-saved.png", full_page=False)

    # She previews it: the correction, with a banner saying readers don't see it yet.
    page.click(".pending-panel a:has-text('Preview the changes')")
    assert "Preview of changes not yet published" in page.inner_text(".preview-banner")
    assert NEW in page.inner_text("main")
    page.screenshot(path=artifacts / "pending-2-preview.png")
    page.context.close()

    for width in (360, 1280):
        reader = read(browser, public, width)
        assert OLD in reader.inner_text("main") and NEW not in reader.content()
        reader.context.close()

    # Max reviews the difference and publishes it with a note for readers.
    page = log_in(browser, base, "max")
    page.goto(change)
    page.click(".pending-panel a:has-text('Compare with live')")
    diff = page.inner_text("#content-main")
    assert "Top 5 story" in diff
    assert page.locator("ins").first.inner_text().strip() in NEW
    page.screenshot(path=artifacts / "pending-3-compare.png")
    page.go_back()
    page.fill("#id_correction_note", "The headline now names both issuing agencies.")
    page.click("button[name=_publish]")
    assert "Published the changes" in page.inner_text(".messagelist")
    assert not page.locator(".pending-panel").count()
    page.context.close()

    for width in (360, 1280):
        reader = read(browser, public, width)
        text = reader.inner_text("main")
        assert NEW in text and OLD not in text
        assert "The headline now names both issuing agencies." in text
        reader.screenshot(path=artifacts / f"pending-4-published-{width}.png", full_page=True)
        reader.context.close()
