"""An issue rendered once: the article of its page, its feed entry's content, and what the
page head and feeds say of it (description, headlines, authors, editors, categories).

Rendering an issue takes a few dozen template includes; a page or a feed of twenty issues
should not pay that on every request. The result is kept on the issue (`Issue.rendered…`)
with the fingerprint of the templates that made it, and made again, once, after anything
it shows changes: the editing layer forgets it when the issue's content changes or a
document, agency or person it shows does (`forget`, `out_of_date`), and a new release's
templates have another fingerprint. A rendering is kept only if its issue was not
forgotten while it was being made (`Issue.rendering_stamp`). Links are kept relative;
feeds make them absolute for their host.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache

from django.db import DatabaseError
from django.db.models import F
from django.template.loader import get_template, render_to_string

from .contentversion import Version
from .models import Issue

logger = logging.getLogger(__name__)

TEMPLATES = [
    "briefings/issue_article.html",
    "feeds/issue_content.html",
    "includes/story.html",
    "includes/noteworthy_item.html",
    "includes/hero.html",
]
# Bump when what `render` computes changes in Python rather than in a template.
CODE = "2"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    sources = [get_template(name).template.source for name in TEMPLATES]
    return hashlib.sha256("\0".join([CODE, *sources]).encode()).hexdigest()[:16]


def headlines(issue: Issue) -> str:
    return "; ".join(story.headline for story in issue.stories.all())


def description(issue: Issue) -> str:
    """What the page's description says: the month and the five headlines."""
    return f"{issue.publication_date:%B %Y}: {headlines(issue)}"[:300]


def render(issue: Issue) -> dict:
    """Render an issue (loading its content) and keep the result on it and on `issue`."""
    loaded = Issue.objects.with_content().get(pk=issue.pk)
    stories = list(loaded.stories.all())
    credits = list(loaded.credits.all())
    categories = {
        issuer.agency.abbreviation: None
        for story in stories
        if story.document
        for issuer in story.document.issuers.all()
    }
    sections = [section.label for section, _ in loaded.noteworthy_sections()]
    rendered = {
        "with": fingerprint(),
        "description": description(loaded),
        "headlines": headlines(loaded),
        "stories": [{"headline": s.headline, "url": s.get_absolute_url()} for s in stories],
        "authors": [c.person.name for c in credits if c.role == c.Role.AUTHOR],
        "editors": [c.person.name for c in credits if c.role == c.Role.EDITOR],
        "categories": ["Top 5", *sections, *categories],
    }
    # Without the templates' surrounding blank lines, which a backup (Django's XML
    # serialisation strips every value) would not give back.
    article = render_to_string(
        "briefings/issue_article.html", {"issue": loaded, "story_links": True}
    ).strip()
    feed = render_to_string("feeds/issue_content.html", {"issue": loaded, "site_root": ""}).strip()
    # Kept only if nothing it shows changed since it was read: a reader who read the issue
    # just before an editor's change must not put the old rendering back after it.
    Issue.objects.filter(pk=loaded.pk, rendering_stamp=loaded.rendering_stamp).update(
        rendered=rendered, rendered_article=article, rendered_feed=feed
    )
    issue.rendered, issue.rendered_article, issue.rendered_feed = rendered, article, feed
    return rendered


def of(issue: Issue) -> dict:
    """What page heads and feeds say of the issue, rendered now if what it shows changed
    since; then `issue.rendered_article` and `issue.rendered_feed` are current too."""
    rendered = issue.rendered or {}
    if rendered.get("with") != fingerprint():
        rendered = render(issue)
    return rendered


def out_of_date() -> dict:
    """The updates that mark an issue's rendering out of date, for `QuerySet.update`."""
    return {
        "rendered": {},
        "rendered_article": "",
        "rendered_feed": "",
        "rendering_stamp": F("rendering_stamp") + 1,
    }


def forget(issue_ids) -> None:
    """These issues' renderings are out of date: the next reader's request renders them."""
    ids = list(issue_ids)
    if ids:
        Issue.objects.filter(pk__in=ids).update(**out_of_date())


def neighbours(issue: Issue, version: Version) -> dict:
    """The published issues just before and after `issue`, as its page links to them:
    {"previous": {"slug": …, "title": …} or None, "next": …}. Found once per content
    version and kept on the issue (`Issue.neighbours`): whatever could move them — an
    issue published, unpublished, moved to another date or renamed, a scheduled one's time
    coming — moves the version on. `version`: the content version the page is served
    under."""
    # The number and when it moved on: a number alone may come round again (a database
    # restored from a backup counts from where the backup was).
    key = f"{version.number}@{version.changed_at.isoformat()}"
    kept = issue.neighbours or {}
    if kept.get("version") == key:
        return kept
    found = (
        Issue.objects.published()
        .with_neighbours()
        .filter(pk=issue.pk)
        .values("previous_issue", "next_issue")
        .first()
    ) or {}
    kept = {
        "version": key,
        "previous": found.get("previous_issue"),
        "next": found.get("next_issue"),
    }
    try:
        Issue.objects.filter(pk=issue.pk).update(neighbours=kept)
    except DatabaseError:  # e.g. the primary away while a replica serves: found next time
        logger.warning("Could not keep the neighbours of issue %s.", issue.pk, exc_info=True)
    issue.neighbours = kept
    return kept


_RELATIVE = re.compile(r'(href|src)="/(?!/)')


def absolute(html: str, root: str) -> str:
    """Relative links made absolute for `root` (e.g. https://briefs.example.org)."""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{root}/', html)
