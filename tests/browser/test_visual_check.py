"""What a person sees, checked in a real browser on a phone and a desktop: every kind of
public page and the admin issue form fit the screen (no sideways scrolling), every label
says something, no caption stands without its picture, no picture is broken. The
screenshots are kept in test-artifacts/ to be looked at."""

import pytest
from django.db.models import Count

from tests.browser.helpers import PASSWORD, WIDTHS, log_in
from tests.factories import UserFactory

# What a person would call broken, found in the page as the browser laid it out.
# `width` is the screen's: a phone browser widens its viewport to fit a page that is too
# wide, so the window's own width would hide the fault.
PROBLEMS = """(width) => {
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
  }
  if (document.body.innerText.includes("[invalid name]")) problems.push("[invalid name]");
  for (const label of document.querySelectorAll("label")) {
    if (!label.textContent.trim()) problems.push(`empty label for ${label.htmlFor}`);
  }
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button"].includes(field.type) || !field.offsetParent) continue;
    const labelled = field.labels.length || field.getAttribute("aria-label")
      || field.getAttribute("aria-labelledby") || field.title;
    if (!labelled) problems.push(`unlabelled field ${field.name || field.id}`);
  }
  for (const caption of document.querySelectorAll("figcaption")) {
    const figure = caption.closest("figure");
    if (!figure || !figure.querySelector("img, picture, svg")) {
      problems.push(`caption without a picture: ${caption.textContent.trim().slice(0, 40)}`);
    }
  }
  for (const image of document.querySelectorAll("img")) {
    if (image.complete && image.naturalWidth === 0 && image.offsetParent) {
      problems.push(`broken image ${image.getAttribute("src")}`);
    }
  }
  for (const note of document.querySelectorAll(".timezonewarning")) {
    if (note.offsetParent) problems.push("a time zone note on a date field");
  }
  return problems;
}"""


def public_pages():
    from apps.agencies.models import Agency
    from apps.briefings.models import Issue, PolicyDocument
    from apps.people.models import Person

    issue = Issue.objects.published().order_by("-publication_date").first()
    story = issue.stories.get(position=1)
    agency = Agency.objects.get(abbreviation="MIIT")
    return {
        "home": "/",
        "archive": "/issues/",
        "archive-filtered": "/issues/?agency=miit&year=2021",
        "archive-empty": "/issues/?year=1999",
        "issue": issue.get_absolute_url(),
        "story": story.get_absolute_url(),
        "document": PolicyDocument.objects.get(pk=story.document_id).get_absolute_url(),
        "agencies": "/agencies/",
        "agency": agency.get_absolute_url(),
        "people": "/people/",
        "person": Person.objects.order_by("name").first().get_absolute_url(),
        "search": "/search/?q=battery",
        "search-chinese": "/search/?q=高质量发展",
        "search-nothing": "/search/?q=zzzzqqq",
        "not-found": "/no-such-page/",
    }


@pytest.mark.parametrize("device", WIDTHS)
def test_every_public_page_kind_looks_right(seeded_site, browser, artifacts, device):
    width, height = WIDTHS[device]
    phone = device == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    found = {}
    for name, path in public_pages().items():
        page.goto(seeded_site + path)
        page.screenshot(path=artifacts / f"visual-{device}-{name}.png", full_page=True)
        if problems := page.evaluate(PROBLEMS, width):
            found[name] = problems
    context.close()
    assert found == {}


@pytest.mark.parametrize("device", WIDTHS)
def test_the_issue_form_of_the_largest_issue_fits_the_screen(seeded_site, browser, artifacts,
                                                             device):  # fmt: skip
    from apps.briefings.models import Issue

    UserFactory(username="chief", password=PASSWORD, is_staff=True, is_superuser=True)
    largest = Issue.objects.annotate(items=Count("noteworthy_items")).order_by("-items").first()
    width, _ = WIDTHS[device]
    page = log_in(browser, seeded_site, "chief", width=width)
    page.goto(f"{seeded_site}/admin/briefings/issue/{largest.pk}/change/")
    page.screenshot(path=artifacts / f"visual-{device}-issue-form.png", full_page=True)
    # Django's tabular inlines (the credits) label their cells by the column headers only.
    problems = [p for p in page.evaluate(PROBLEMS, width) if not p.startswith("unlabelled field")]
    assert problems == []
    if device == "desktop":
        assert page.evaluate("document.documentElement.scrollHeight") < 6000
        # Complete stories are folded; the contents bar jumps to the Noteworthy section.
        assert page.locator(".inline-related:not(.empty-form) > details[open]").count() == 0
        page.get_by_role("navigation", name="Parts of the issue").get_by_text("Noteworthy").click()
        assert page.locator("#noteworthy_items-group").is_visible()
        page.context.close()
