"""A reader finds their way through the archive, in a real browser, on a phone and a desktop."""

import pytest

from tests.browser.helpers import WIDTHS


@pytest.mark.parametrize("device", WIDTHS)
def test_home_issue_story_agency_search(seeded_site, browser, artifacts, device):
    width, height = WIDTHS[device]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=device == "phone",
        has_touch=device == "phone",
    )
    page = context.new_page()

    def snap(step):
        page.screenshot(path=artifacts / f"reader-{device}-{step}.png", full_page=True)

    page.goto(seeded_site + "/")
    latest = page.locator("#latest-title a")
    assert latest.inner_text().startswith("Computing power infrastructure")
    snap("1-home")

    latest.click()
    assert page.locator("h1").inner_text().startswith("Computing power infrastructure")
    assert page.get_by_role("navigation", name="Contents").is_visible()
    snap("2-issue")

    page.locator("#story-1-title a").click()
    assert page.locator("h1").inner_text() == (
        "1. China wants green, efficient, and controllable computing power"
    )
    snap("3-story")

    page.locator(".document a", has_text="MIIT").first.click()
    assert page.locator("h1").inner_text() == "MIIT"
    assert page.get_by_text("Ministry of Industry and Information Technology").first.is_visible()
    snap("4-agency")

    search = page.get_by_role("search", name="Site").get_by_role("searchbox")
    search.fill("高质量发展行动")
    search.press("Enter")
    result = page.locator(".results h2 a").first
    assert result.inner_text() == "China wants green, efficient, and controllable computing power"
    assert page.locator(".results mark").first.inner_text() == "高质量发展行动"
    snap("5-search")

    result.click()
    assert "算力基础设施高质量发展行动计划" in page.locator(".document").inner_text()

    # The archive, filtered: the filter box with its long agency names fits the screen.
    page.goto(seeded_site + "/issues/?agency=miit&year=2021")
    assert page.locator("label[for=id_agency]").inner_text() == "Agency"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    snap("6-archive")
    context.close()
