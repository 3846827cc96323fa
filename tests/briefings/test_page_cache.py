"""The page cache is never stale: every kind of change readers will see is served at once by
another process that had the old page cached; conditional requests are answered 304 from
the content version without rendering; public pages are the same for everyone."""

import datetime
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.briefings import editing
from tests.factories import complete_issue, published_issue
from tests.servers import database_url, free_port, redis_is_up
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["database", "redis"])
def other_process(request, transactional_db, settings):
    """A second process serving the site from the test database with its page cache on,
    the content version kept in the database or in Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PAGE_CACHE": "true",
        "DEBUG": "true",
        "CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)
    if request.param == "redis":
        if not redis_is_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_TEST_URL
        settings.REDIS_URL = REDIS_TEST_URL
        settings.CACHES = {
            "default": {
                "BACKEND": "briefs_cms.cache.RedisCache",
                "LOCATION": REDIS_TEST_URL,
            }
        }
        from django.core.cache import cache

        cache.clear()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("The second process did not start.")
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(10)


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_every_kind_of_change_is_seen_by_another_process_at_once(other_process):
    base = other_process
    issue = published_issue(title="The first live issue")
    draft = complete_issue(title="A draft about to be published")
    home = reverse("briefings:home")
    assert "The first live issue" in get(base, home)[1]
    assert get(base, home)[1] == get(base, home)[1]  # served from the cache

    # Publish.
    editing.transition(draft, "publish", user=None)
    assert "A draft about to be published" in get(base, home)[1]

    # Edit, as pending changes: readers keep the live page until they are published.
    page = issue.get_absolute_url()
    story = issue.stories.get(position=1)
    assert story.headline in get(base, page)[1]
    with editing.change(issue, user=None, via="system") as change:
        change.issue.stories.filter(position=1).update(headline="A corrected headline")
    assert "A corrected headline" not in get(base, page)[1]
    editing.publish_changes(issue, user=None, note="Corrected the headline.")
    assert "A corrected headline" in get(base, page)[1]

    # An edit of a scheduled issue, and its go-live at its time, with no job.
    soon = complete_issue(title="Scheduled to go live in seconds")
    editing.transition(
        soon, "schedule", user=None, at=timezone.now() + datetime.timedelta(seconds=3)
    )
    with editing.change(soon, user=None, via="system") as change:
        change.issue.title = "Scheduled, and retitled"
        change.issue.save()
    assert "Scheduled, and retitled" not in get(base, home)[1]
    time.sleep(3.5)
    assert "Scheduled, and retitled" in get(base, home)[1]

    # A shared record in print: an agency, a person.
    agency = issue.stories.get(position=2).document.issuers.first().agency
    agency_page = agency.get_absolute_url()
    assert get(base, agency_page)[0] == 200
    with editing.change_record(agency, user=None, via="system"):
        agency.name_en = "A renamed ministry"
        agency.save()
    assert "A renamed ministry" in get(base, agency_page)[1]
    person = issue.credits.first().person
    with editing.change_record(person, user=None, via="system"):
        person.name = "Renamed Analyst"
        person.save()
    assert "Renamed Analyst" in get(base, page)[1]

    # Unpublish.
    editing.transition(issue, "unpublish", user=None)
    assert get(base, page)[0] == 404
    assert "The first live issue" not in get(base, home)[1]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_conditional_request_is_answered_304_from_the_version_without_rendering(
    client, settings, page_cache, django_assert_num_queries
):
    settings.PAGE_CACHE = page_cache
    issue = published_issue()
    response = client.get(issue.get_absolute_url())
    assert response["ETag"].startswith('W/"v') and response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=60"

    with django_assert_num_queries(1):  # the content version, nothing else
        again = client.get(issue.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again["ETag"] == response["ETag"]

    editing.transition(issue, "unpublish", user=None)
    editing.transition(issue, "publish", user=None)
    changed = client.get(issue.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_a_cached_page_is_served_without_queries_but_the_version(
    client, page_cache_on, django_assert_num_queries
):
    issue = published_issue()
    first = client.get(issue.get_absolute_url()).content
    with django_assert_num_queries(1):
        assert client.get(issue.get_absolute_url()).content == first


PUBLIC = [
    lambda issue: reverse("briefings:home"),
    lambda issue: reverse("briefings:archive"),
    lambda issue: issue.get_absolute_url(),
    lambda issue: issue.stories.first().get_absolute_url(),
    lambda issue: reverse("agencies:index"),
    lambda issue: reverse("people:index"),
    lambda issue: reverse("search:search") + "?q=plan",
    lambda issue: reverse("feeds:issues_atom"),
    lambda issue: reverse("sitemap"),
]


def test_public_pages_are_the_same_for_everyone_and_do_not_vary_by_cookie(
    client, editor, page_cache_on
):
    issue = published_issue()
    complete_issue(title="Only staff may preview this draft")
    from django.test import Client

    staff = Client()
    sign_in(staff, editor)
    for url in PUBLIC:
        path = url(issue)
        anonymous = client.get(path)
        signed_in = staff.get(path)
        assert anonymous.status_code == 200, path
        assert "Cookie" not in anonymous.get("Vary", ""), path
        assert "Cookie" not in signed_in.get("Vary", ""), path
        assert anonymous.content == signed_in.content, path
        assert b"Only staff may preview" not in signed_in.content


def test_cached_pages_are_sent_compressed_to_clients_that_accept_gzip(client, page_cache_on):
    import gzip

    issue = published_issue()
    url = issue.get_absolute_url()
    rendered = client.get(url)
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    plain = client.get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == rendered.content
    assert len(compressed.content) < len(rendered.content) / 2
    assert "Content-Encoding" not in plain and plain.content == rendered.content
    for response in (rendered, compressed, plain):
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == rendered["ETag"]
