"""Whole public pages and feeds, cached under a version of everything readers see.

Every change readers will see bumps the content version (the editing layer announces it,
see `signals`), in a store all processes and servers share: Redis when `REDIS_URL` is set,
otherwise the database. Pages are cached under the version, so once an editor's save has
returned no process serves the old page. The version also moves on by itself when the
next scheduled issue's time comes (the first request after it bumps it): no job runs.

Every public page carries `ETag` and `Last-Modified` from the version and a short public
`max-age` for shared caches (a CDN), so revalidation is cheap: a conditional request is
answered 304 before anything is rendered. Responses never depend on who asks (public
addresses show everyone the same published content), so they carry no `Vary: Cookie`.
With `PAGE_CACHE` off every request renders (the benchmarks' cold runs) but the version,
ETags and 304s work the same.
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .models import ContentVersion, Issue
from .signals import published_content_changed

PAGE_TTL = 24 * 60 * 60  # an unchanged page may stay cached for a day
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Location")


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime.datetime
    next_change_at: datetime.datetime | None

    @property
    def etag(self) -> str:
        return f'"v{self.number}"'

    @property
    def due(self) -> bool:
        """Whether the next scheduled issue's time has come, so the version moves on."""
        return self.next_change_at is not None and self.next_change_at <= timezone.now()


def next_go_live() -> datetime.datetime | None:
    return Issue.objects.filter(
        status=Issue.Status.PUBLISHED, publish_at__gt=timezone.now()
    ).aggregate(at=Min("publish_at"))["at"]


class DatabaseVersions:
    """The version in a database row, bumped in the change's own transaction."""

    def current(self) -> Version:
        row = (
            ContentVersion.objects.filter(pk=1)
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
    could see the new version and still read the old content)."""

    NUMBER, CHANGED, NEXT = "content:version", "content:changed-at", "content:next-change-at"

    def current(self) -> Version:
        return self.read()[0]

    def read(self, also: str | None = None):
        """(the version, the value of the key `also`), in one round trip."""
        values = cache.get_many([self.NUMBER, self.CHANGED, self.NEXT, *([also] if also else [])])
        if self.NUMBER not in values:
            return self._start(), None
        changed = values.get(self.CHANGED)
        version = Version(
            values[self.NUMBER],
            datetime.datetime.fromtimestamp(changed or 0, tz=datetime.UTC),
            _from_timestamp(values.get(self.NEXT)),
        )
        return version, values.get(also) if also else None

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
            },
            timeout=None,
        )

    def bump(self) -> None:
        try:
            cache.incr(self.NUMBER)
        except ValueError:  # no version yet
            self._start()
            return
        self._stamp()

    def changed(self) -> None:
        transaction.on_commit(self.bump)


def _from_timestamp(value):
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None


def versions():
    return RedisVersions() if settings.REDIS_URL else DatabaseVersions()


def current_version() -> Version:
    """The content version now; moved on if a scheduled issue's time has come."""
    store = versions()
    version = store.current()
    if version.due:
        store.bump()
        version = store.current()
    return version


# The version the current request is served under, so that everything it computes is
# consistent and the version is read once.
_serving = contextvars.ContextVar("serving_version", default=None)


def memo(name: str, compute, timeout: int = PAGE_TTL):
    """`compute()`'s result, computed once per content version and kept in the shared
    cache: for what many pages show and every change may alter (counts, filter choices).
    Kept whatever PAGE_CACHE says: it is data, not pages."""
    version = _serving.get() or current_version()
    key = f"memo:{version.number}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _timeout(version, timeout))
    return value


def follow(sender, **kwargs):
    versions().changed()


published_content_changed.connect(follow, dispatch_uid="page-cache")


def _place(request) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _key(request, number: int) -> str:
    return f"page:{number}:{_place(request)}"


# The version this process last served under: with Redis, the page stored under it is
# asked for in the same round trip as the version, and served if the version still holds.
_last_number = None


def _guess(request):
    """(version, stored page or None), in one round trip where the store allows."""
    store = versions()
    if not (settings.PAGE_CACHE and isinstance(store, RedisVersions) and _last_number):
        return current_version(), None
    version, stored = store.read(also=_key(request, _last_number))
    if version.due:
        return current_version(), None
    return version, stored if version.number == _last_number else None


def _headers(response, version: Version) -> None:
    response["ETag"] = version.etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    patch_cache_control(response, public=True, max_age=settings.CDN_MAX_AGE)


def public_page(view):
    """Serve a public page or feed from the page cache under the content version."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        global _last_number
        version, stored = _guess(request)
        _last_number = version.number
        token = _serving.set(version)
        try:
            return _serve(view, request, version, args, kwargs, stored)
        finally:
            _serving.reset(token)

    return cached_view


def _serve(view, request, version, args, kwargs, stored=None):
    unchanged = get_conditional_response(
        request, etag=version.etag, last_modified=int(version.changed_at.timestamp())
    )
    if unchanged is not None:  # answered before anything is rendered
        _headers(unchanged, version)
        return unchanged
    key = _key(request, version.number)
    if stored is None and settings.PAGE_CACHE:
        stored = cache.get(key)
    if stored is not None:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
    else:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        cacheable = response.status_code in (200, 301) and not (
            response.cookies or response.streaming
        )
        if settings.PAGE_CACHE and cacheable:
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (response.status_code, headers, response.content), _timeout(version))
    _headers(response, version)
    return response


def _timeout(version: Version, longest: int = PAGE_TTL) -> int:
    if version.next_change_at is None:
        return longest
    seconds = (version.next_change_at - timezone.now()).total_seconds()
    return max(1, min(longest, int(seconds) + 1))
