"""Each process keeps a copy of the content version that Redis tells it to drop on every
bump, and a little memory of pages; neither may ever serve an old page."""

import time

import pytest
import redis
from django.core.cache import cache

from apps.briefings.contentversion import RedisVersions, Watch, current_version
from apps.briefings.pagecache import LocalPages
from tests.briefings.test_page_cache import REDIS_TEST_URL, redis_is_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_redis(settings):
    if not redis_is_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CACHES = {
        "default": {"BACKEND": "briefs_cms.cache.RedisCache", "LOCATION": REDIS_TEST_URL}
    }
    cache.clear()
    return RedisVersions()


def test_a_bump_from_another_process_is_seen_at_once(on_redis):
    store = on_redis
    copy = Watch()  # another process's copy of the version
    copy.TRUST = 60  # so that only the announcement can make it read the version again
    before = copy.current(store)
    assert copy.current(store) == before

    store.bump()  # as a save in this process does once it has committed

    # Redis may answer the bump a few microseconds before it has written the announcement
    # to the subscriber's socket; another process's next request comes later than that.
    deadline = time.monotonic() + 0.5
    while (after := copy.current(store)) == before and time.monotonic() < deadline:
        time.sleep(0.001)
    assert after.number == before.number + 1
    assert current_version() == after


def test_a_lost_subscription_falls_back_to_reading_the_version_every_time(on_redis):
    store = on_redis
    copy = Watch()
    before = copy.current(store)
    redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_type="pubsub")

    store.bump()  # announced to nobody: the subscription is gone

    assert copy.current(store).number == before.number + 1
    store.bump()
    assert copy.current(store).number == before.number + 2


def test_a_change_whose_announcement_never_came_is_seen_within_a_second(on_redis):
    store = on_redis
    copy = Watch()
    before = copy.current(store)
    cache.incr(RedisVersions.NUMBER)  # a bump whose message was lost on the way

    time.sleep(Watch.TRUST + 0.1)

    assert copy.current(store).number == before.number + 1


def page(size):
    return (200, {"Content-Type": "text/html"}, b"x" * size)


def test_pages_kept_in_memory_stay_within_their_limit_and_go_with_their_version(settings):
    settings.PAGE_CACHE_MEMORY_MB = 1
    pages = LocalPages()
    for n in range(40):
        pages.put(7, f"page {n}", page(60_000))
    kept = [n for n in range(40) if pages.get(7, f"page {n}")]
    assert 10 <= len(kept) <= 1024 * 1024 // 60_000
    assert kept == list(range(40 - len(kept), 40))  # the most recent ones

    assert pages.get(8, "page 39") is None  # another version: not served

    pages.put(8, "home", page(100))
    assert pages.get(7, "page 39") is None  # the old version's pages are dropped
    assert pages.get(8, "home") == page(100)

    pages.put(8, "huge", page(600_000))  # over an eighth of the limit: left to Redis
    assert pages.get(8, "huge") is None
