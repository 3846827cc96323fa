"""An issue rendered once: the article of its page, its feed entry's content, and what the
page head and feeds say of it (description, headlines, authors, editors, categories).

Rendering an issue takes a few dozen template includes; a page or a feed of twenty issues
should not pay that on every request. The result is kept on the issue (`Issue.rendered`)
with the fingerprint of the templates that made it, and made again, once, after anything
it shows changes: the editing layer forgets it when the issue's content changes or a
document, agency or person it shows does (`forget`, `out_of_date`), and a new release's
templates have another fingerprint. A rendering is kept only if its issue was not
forgotten while it was being made (`Issue.rendering_stamp`). Links are kept relative;
feeds make them absolute for their host.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.db import models
from django.db.models import F
from django.template.loader import get_template, render_to_string

from .models import Issue

TEMPLATES = [
    "briefings/issue_article.html",
    "feeds/issue_content.html",
    "includes/story.html",
    "includes/noteworthy_item.html",
    "includes/hero.html",
]
# Bump when what `render` computes changes in Python rather than in a template.
CODE = "1"


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
    """Render an issue (loading its content) and keep the result on it."""
    issue = Issue.objects.with_content().get(pk=issue.pk)
    stories = list(issue.stories.all())
    credits = list(issue.credits.all())
    categories = {
        issuer.agency.abbreviation: None
        for story in stories
        if story.document
        for issuer in story.document.issuers.all()
    }
    sections = [section.label for section, _ in issue.noteworthy_sections()]
    rendered = {
        "with": fingerprint(),
        "article": render_to_string(
            "briefings/issue_article.html", {"issue": issue, "story_links": True}
        ),
        "feed": render_to_string("feeds/issue_content.html", {"issue": issue, "site_root": ""}),
        "description": description(issue),
        "headlines": headlines(issue),
        "stories": [{"headline": s.headline, "url": s.get_absolute_url()} for s in stories],
        "authors": [c.person.name for c in credits if c.role == c.Role.AUTHOR],
        "editors": [c.person.name for c in credits if c.role == c.Role.EDITOR],
        "categories": ["Top 5", *sections, *categories],
    }
    # Kept only if nothing it shows changed since it was read: a reader who read the issue
    # just before an editor's change must not put the old rendering back after it.
    Issue.objects.filter(pk=issue.pk, rendering_stamp=issue.rendering_stamp).update(
        rendered=rendered
    )
    return rendered


def of(issue: Issue) -> dict:
    """The issue's rendering, made now if what it shows changed since."""
    rendered = issue.rendered or {}
    if rendered.get("with") != fingerprint():
        rendered = render(issue)
        issue.rendered = rendered
    return rendered


class PageMeta(models.Func):
    """What an issue's page needs of its rendering beside the article: the rendering
    without its article and feed entry (`Issue.objects.annotate(meta=PageMeta("rendered"))`);
    the article is read as text (`KT("rendered__article")`), not decoded as JSON."""

    output_field = models.JSONField()
    template = "json_remove(%(expressions)s, '$.article', '$.feed')"

    def as_postgresql(self, compiler, connection, **extra):
        template = "(%(expressions)s - 'article' - 'feed')"
        return self.as_sql(compiler, connection, template=template, **extra)


def out_of_date() -> dict:
    """The updates that mark an issue's rendering out of date, for `QuerySet.update`."""
    return {"rendered": {}, "rendering_stamp": F("rendering_stamp") + 1}


def forget(issue_ids) -> None:
    """These issues' renderings are out of date: the next reader's request renders them."""
    ids = list(issue_ids)
    if ids:
        Issue.objects.filter(pk__in=ids).update(**out_of_date())


_RELATIVE = re.compile(r'(href|src)="/(?!/)')


def absolute(html: str, root: str) -> str:
    """Relative links made absolute for `root` (e.g. https://briefs.example.org)."""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{root}/', html)
