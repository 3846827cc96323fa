"""The addresses of pages named by slugs, reversed once per process.

`reverse()` walks the URL patterns on every call, and an archive page, a feed or a
sitemap asks for dozens of addresses. Here each named address is reversed once with
markers in place of its slugs and later calls fill them in. A value that is not a slug
(which the slug converter would refuse) goes through `reverse()`, which refuses it."""

from __future__ import annotations

import re
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")  # Django's slug converter


def slug_address(name: str, **slugs: str) -> str:
    """`reverse(name, kwargs=slugs)` for an address whose arguments are all slugs (or
    that has none)."""
    if not all(isinstance(value, str) and _SLUG.match(value) for value in slugs.values()):
        return reverse(name, kwargs=slugs)
    address, markers = _pattern(name, tuple(slugs), get_script_prefix(), get_urlconf())
    for key, marker in markers:
        address = address.replace(marker, slugs[key])
    return address


@lru_cache(maxsize=64)
def _pattern(name, keys, prefix, urlconf):
    markers = tuple((key, f"slug-marker-{n}-9q7z") for n, key in enumerate(keys))
    return reverse(name, kwargs=dict(markers), urlconf=urlconf), markers
