"""The content version: one number for everything readers see, moved on by every change.

Kept in a store every process and server shares: Redis when `REDIS_URL` is set, otherwise
the database. With Redis each process also keeps a copy, made current by a message Redis
sends on every bump (publish/subscribe), so that serving a page needs no round trip for
the version. A bump is published before the change's save returns, so no process serves
the old version after it. Should the subscription fail, the version is read from Redis on
every request until it is made again.

The version also moves on by itself when the next scheduled issue's time comes (the first
request after it bumps it): no job runs.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Min
from django.utils import timezone

from .models import ContentVersion, Issue
from .replicas import primary_position

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime.datetime
    next_change_at: datetime.datetime | None
    # Where the primary's write-ahead log was when the version moved on (PostgreSQL, with
    # Redis): a read replica serves the version once it has replayed that far (`replicas`).
    position: str | None = None

    @property
    def etag(self) -> str:
        # Weak: the same page is sent gzip-compressed or not, as the client accepts.
        return f'W/"v{self.number}"'

    @property
    def due(self) -> bool:
        """Whether the next scheduled issue's time has come, so the version moves on."""
        return self.next_change_at is not None and self.next_change_at <= timezone.now()


def next_go_live() -> datetime.datetime | None:
    # From the primary: a replica could be behind the change that moved the version on.
    return Issue.objects.using(DEFAULT_DB_ALIAS).scheduled().aggregate(at=Min("publish_at"))["at"]


class DatabaseVersions:
    """The version in a database row, bumped in the change's own transaction."""

    def current(self) -> Version:
        row = (
            ContentVersion.objects.using(DEFAULT_DB_ALIAS)
            .filter(pk=1)
            .values_list("number", "changed_at", "next_change_at")
            .first()
        )
        if row is None:
            ContentVersion.objects.get_or_create(pk=1, defaults={"next_change_at": next_go_live()})
            return self.current()
        return Version(*row)

    def bump(self) -> None:
        updated = ContentVersion.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now(), next_change_at=next_go_live()
        )
        if not updated:
            ContentVersion.objects.get_or_create(pk=1, defaults={"next_change_at": next_go_live()})

    def changed(self) -> None:
        self.bump()  # committed with the change, or not at all


class RedisVersions:
    """The version in Redis, bumped once the change has committed (before that, a reader
    could see the new version and still read the old content), then announced."""

    NUMBER, CHANGED, NEXT = "content:version", "content:changed-at", "content:next-change-at"
    POSITION = "content:wal-position"

    def current(self) -> Version:
        values = cache.get_many([self.NUMBER, self.CHANGED, self.NEXT, self.POSITION])
        if self.NUMBER not in values:
            return self._start()
        changed = values.get(self.CHANGED)
        return Version(
            values[self.NUMBER],
            datetime.datetime.fromtimestamp(changed or 0, tz=datetime.UTC),
            _from_timestamp(values.get(self.NEXT)),
            values.get(self.POSITION),
        )

    def _start(self) -> Version:
        # A random start: if the key is ever lost, old pages can't be mistaken for new.
        cache.add(self.NUMBER, secrets.randbits(48), timeout=None)
        self._stamp()
        return self.current()

    def _stamp(self) -> None:
        following = next_go_live()
        cache.set_many(
            {
                self.CHANGED: timezone.now().timestamp(),
                self.NEXT: following.timestamp() if following else None,
                self.POSITION: primary_position(),
            },
            timeout=None,
        )

    def bump(self) -> None:
        try:
            cache.incr(self.NUMBER)
        except ValueError:  # no version yet
            self._start()
        else:
            self._stamp()
        watch.announce()

    def changed(self) -> None:
        transaction.on_commit(self.bump)


def _from_timestamp(value):
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None


class Watch:
    """This process's copy of the Redis version, dropped whenever a bump is announced.

    Announcements come on a connection of their own, subscribed to a channel; checking for
    one costs a look at that socket, not a round trip. Thread-safe (runserver has threads).
    """

    RETRY_AFTER = 5  # seconds without a subscription before trying again
    # The copy is read again after this many seconds even if nothing was announced: a
    # connection that died without a word (no announcement can come) is not trusted long.
    TRUST = 1.0

    def __init__(self):
        self._lock = threading.Lock()
        self._client = self._pubsub = self._version = None
        self._pid = None
        self._retry_at = self._read_at = 0.0

    @property
    def channel(self) -> str:
        return f"briefs:{settings.REDIS_URL}:{cache.make_key(RedisVersions.NUMBER)}"

    def announce(self) -> None:
        self._redis().publish(self.channel, b"bumped")

    def current(self, store: RedisVersions) -> Version:
        with self._lock:
            try:
                if self._listening():
                    self._forget_if_announced()
                    if self._version is None or time.monotonic() > self._read_at + self.TRUST:
                        self._version, self._read_at = store.current(), time.monotonic()
                    return self._version
            except Exception:  # noqa: BLE001  (any failure: read the store until resubscribed)
                logger.warning("Lost the content version subscription", exc_info=True)
                self._stop()
        return store.current()

    def _redis(self):
        # A forked process makes its own connections.
        if self._pid != (os.getpid(), settings.REDIS_URL):
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # No silent reconnection: announcements missed meanwhile would go unseen.
            url = settings.REDIS_URL.split(",")[0].split(";")[0]
            self._client = redis.Redis.from_url(url, retry=Retry(NoBackoff(), 0))
            self._pubsub, self._version = None, None
            self._pid = (os.getpid(), settings.REDIS_URL)
        return self._client

    def _listening(self) -> bool:
        client = self._redis()
        if self._pubsub is None:
            if time.monotonic() < self._retry_at:
                return False
            self._retry_at = time.monotonic() + self.RETRY_AFTER
            pubsub = client.pubsub()
            pubsub.subscribe(self.channel)
            # Only once the subscription stands may the version be read and kept.
            confirmation = pubsub.get_message(timeout=2)
            if not confirmation or confirmation["type"] != "subscribe":
                pubsub.close()
                return False
            self._pubsub, self._version = pubsub, None
        return True

    def _forget_if_announced(self) -> None:
        while self._pubsub.get_message(timeout=0) is not None:
            self._version = None

    def _stop(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._pubsub.close()
        self._pubsub = self._version = None


watch = Watch()


def versions():
    return RedisVersions() if settings.REDIS_URL else DatabaseVersions()


def current_version() -> Version:
    """The content version now; moved on if a scheduled issue's time has come."""
    store = versions()
    version = watch.current(store) if isinstance(store, RedisVersions) else store.current()
    if version.due:
        store.bump()
        version = store.current()
    return version
