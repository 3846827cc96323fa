"""Two editors change the same draft at once. The second save is refused, and on the same
page the editor keeps their own headline, takes the other's comment, and saves, without
retyping anything. In Debian's Chromium, through the admin."""

import re

import pytest
from django.contrib.auth.models import Group

from apps.briefings.models import Issue
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import UserFactory, complete_issue


@pytest.fixture
def draft(transactional_db, roles):
    issue = complete_issue(title="Computing power + Civil aviation")
    for username in ["eda", "max"]:
        editor = UserFactory(username=username, password=PASSWORD, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
    return issue


def open_story(page, position):
    page.locator(f"#stories-{position - 1} > details > summary").click()


def test_keep_mine_on_one_field_take_theirs_on_another(live_server, draft, browser, artifacts):
    change = f"{live_server.url}/admin/briefings/issue/{draft.pk}/change/"
    eda = log_in(browser, live_server.url, "eda")
    eda.goto(change)
    max_ = log_in(browser, live_server.url, "max")
    max_.goto(change)

    # Max saves first: a new headline and comment for story 1.
    open_story(max_, 1)
    max_.fill("#id_stories-0-headline", "Max's headline")
    max_.fill("#id_stories-0-comment", "Max's comment, with the figures checked.")
    max_.click("input[name=_continue]")
    assert "was changed successfully" in max_.inner_text(".messagelist")

    # Eda, in the form she opened before, changes the same two fields and the topic line.
    open_story(eda, 1)
    eda.fill("#id_stories-0-headline", "Eda's headline")
    eda.fill("#id_stories-0-comment", "Eda's comment.")
    eda.fill("#id_title", "Computing power + Civil aviation + Data")
    eda.click("input[name=_continue]")
    assert "saved this issue after you opened it" in eda.inner_text("#content-main")
    panel = eda.locator(".conflicts")
    assert "You both changed 2 fields" in panel.inner_text()
    eda.screenshot(path=artifacts / "conflict-recovery.png", full_page=True)
    assert eda.input_value("#id_title") == "Computing power + Civil aviation + Data"

    panel.get_by_role("group", name=re.compile(r": Comment$")).get_by_label("Take theirs").check()
    assert eda.input_value("#id_stories-0-comment") == "Max's comment, with the figures checked."
    panel.get_by_role("group", name=re.compile(r": Headline$")).get_by_label("Keep mine").check()
    assert eda.input_value("#id_stories-0-headline") == "Eda's headline"
    eda.click("input[name=_continue]")
    assert "was changed successfully" in eda.inner_text(".messagelist")

    issue = Issue.objects.get(pk=draft.pk)
    story = issue.stories.get(position=1)
    assert issue.title == "Computing power + Civil aviation + Data"
    assert (story.headline, story.comment) == (
        "Eda's headline",
        "Max's comment, with the figures checked.",
    )
