"""Whole public pages and feeds, cached under the content version (`contentversion`).

Every change readers will see bumps the content version, so pages cached under the old
one are never served again: once an editor's save has returned, no process serves the old
page. Pages are kept in two layers: a little of each process's memory for the pages it
serves most (no round trip at all), and the shared cache (Redis when `REDIS_URL` is set)
so that a page rendered by one process or server is served by all.

Every public page carries `ETag` and `Last-Modified` from the version and a short public
`max-age` for shared caches (a CDN), so revalidation is cheap: a conditional request is
answered 304 before anything is rendered. Responses never depend on who asks (public
addresses show everyone the same published content), so they carry no `Vary: Cookie`.
With `PAGE_CACHE` off every request renders (the benchmarks' cold runs) but the version,
ETags and 304s work the same.
"""

from __future__ import annotations

import contextvars
import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from .contentversion import Version, current_version, versions
from .signals import published_content_changed

PAGE_TTL = 24 * 60 * 60  # an unchanged page may stay cached for a day


# The version the current request is served under, so that everything it computes is
# consistent and the version is read once.
_serving = contextvars.ContextVar("serving_version", default=None)


def serving_version() -> Version:
    """The version the current request is served under (read once per request)."""
    return _serving.get() or current_version()


def memo(name: str, compute, timeout: int = PAGE_TTL):
    """`compute()`'s result, computed once per content version and kept in the shared
    cache: for what many pages show and every change may alter (counts, filter choices).
    Kept whatever PAGE_CACHE says: it is data, not pages."""
    version = serving_version()
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


def _key(place: str, number: int) -> str:
    return f"page:{number}:{place}"


class LocalPages:
    """The pages this process served most recently under the current version, up to
    PAGE_CACHE_MEMORY_MB of memory; forgotten all at once when the version moves on."""

    def __init__(self):
        self._lock = threading.Lock()
        self._empty(None)

    def clear(self) -> None:
        with self._lock:
            self._empty(None)

    def _empty(self, number) -> None:
        self._number, self._pages, self._size = number, OrderedDict(), 0

    def get(self, number: int, place: str):
        with self._lock:
            if number != self._number:
                return None
            stored = self._pages.get(place)
            if stored is not None:
                self._pages.move_to_end(place)
            return stored

    def put(self, number: int, place: str, stored) -> None:
        limit = settings.PAGE_CACHE_MEMORY_MB * 1024 * 1024
        size = len(stored[2])
        with self._lock:
            if number != self._number:
                self._empty(number)
            if size > limit // 8 or place in self._pages:
                return  # too big to keep here; the shared cache keeps it
            self._pages[place] = stored
            self._size += size
            while self._size > limit:
                self._size -= len(self._pages.popitem(last=False)[1][2])


local_pages = LocalPages()


def _lookup(request, version: Version):
    """The page stored for this request under the version, or None."""
    place = _place(request)
    stored = local_pages.get(version.number, place)
    if stored is None:
        stored = cache.get(_key(place, version.number))
        if stored is not None:
            local_pages.put(version.number, place, stored)
    return stored


def _keep(request, version: Version, stored) -> None:
    place = _place(request)
    cache.set(_key(place, version.number), stored, _timeout(version))
    local_pages.put(version.number, place, stored)


def _headers(response, version: Version) -> None:
    response["ETag"] = version.etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    patch_cache_control(response, public=True, max_age=settings.CDN_MAX_AGE)


def _unchanged(request, version: Version):
    """A 304 if the client holds this version's page, else None."""
    unchanged = get_conditional_response(
        request, etag=version.etag, last_modified=int(version.changed_at.timestamp())
    )
    if unchanged is not None:
        _headers(unchanged, version)
    return unchanged


class PageCacheMiddleware:
    """Serves stored public pages before the rest of the stack runs (sessions, CSRF,
    users, messages, URL resolving: none of it changes a public page), and stores the
    pages `public_page` views answer, with the headers the stack gave them.

    Near the top of MIDDLEWARE, below SecurityMiddleware and WhiteNoise, so stored pages
    still get the security headers. With PAGE_CACHE off it only answers revalidations.
    """

    # Never public pages: not looked up (only a saving, since only public pages are kept).
    PRIVATE = ("/admin/", "/preview/", "/healthz/", "/readyz/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(self.PRIVATE):
            return self.get_response(request)
        conditional = "HTTP_IF_NONE_MATCH" in request.META
        if not (conditional or settings.PAGE_CACHE):
            return self.get_response(request)
        version = current_version()  # read once, for the view too (`_serving`)
        if conditional and (unchanged := _unchanged(request, version)):
            # Only public pages hand out the version's ETag, and none of them has changed
            # while the version holds: answered here, cached page or not.
            return unchanged
        stored = _lookup(request, version) if settings.PAGE_CACHE else None
        if stored is not None:
            return _unchanged(request, version) or _stored_response(request, stored)
        token = _serving.set(version)
        try:
            response = self.get_response(request)
        finally:
            _serving.reset(token)
        if not settings.PAGE_CACHE:
            return response
        if getattr(response, "page_version", None) == version.number and _cacheable(response):
            headers = {
                name: value
                for name, value in response.items()
                if name not in ("Set-Cookie", "Content-Length")
            }
            _keep(request, version, (response.status_code, headers, compress(response.content)))
            patch_vary_headers(response, ["Accept-Encoding"])
        return response


def _cacheable(response) -> bool:
    return (
        response.status_code in (200, 301)
        and not (response.cookies or response.streaming)
        and not response.has_header("Content-Encoding")
    )


def compress(content: bytes) -> bytes:
    """Pages are kept gzip-compressed (no secrets on public pages, so no BREACH padding):
    a fifth of the memory, and sent as they are to the clients that accept gzip."""
    return compress_string(content)


def _stored_response(request, stored) -> HttpResponse:
    status, headers, content = stored
    if _accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(content, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(content), status=status)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


_accepts_gzip = re.compile(r"\bgzip\b")


def public_page(view):
    """A public page or feed: the same for every reader, so a conditional request is
    answered 304 before anything is rendered and `PageCacheMiddleware` may keep it."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = _serving.get()
        token = None if version else _serving.set(version := current_version())
        try:
            unchanged = _unchanged(request, version)
            if unchanged is not None:
                return unchanged
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        finally:
            if token is not None:
                _serving.reset(token)
        _headers(response, version)
        response.page_version = version.number
        return response

    return public_view


def _timeout(version: Version, longest: int = PAGE_TTL) -> int:
    if version.next_change_at is None:
        return longest
    seconds = (version.next_change_at - timezone.now()).total_seconds()
    return max(1, min(longest, int(seconds) + 1))
