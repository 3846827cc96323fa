"""The small Markdown subset editors write body text in, rendered to safe HTML.

Paragraphs, bullet and numbered lists, links and emphasis; nothing else. Raw HTML typed
by an editor is shown as text, never trusted, and the output is sanitised once more with
an allow-list so that no script, event handler or `javascript:` link can come through.
"""

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
    ["paragraph", "list", "link", "emphasis", "escape", "entity", "newline"]
)
_inline = MarkdownIt("zero", {"html": False}).enable(["link", "emphasis", "escape", "entity"])

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _sanitise(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Block Markdown (paragraphs, lists) to sanitised HTML."""
    if not text:
        return ""
    return _sanitise(_md.render(text)).strip()


@lru_cache(maxsize=4096)
def render_inline(text: str) -> str:
    """One line of Markdown (links, emphasis) to sanitised HTML without a paragraph."""
    if not text:
        return ""
    return _sanitise(_inline.renderInline(text)).strip()


_BLOCK_END = re.compile(r"</(?:p|li)>|<br\s*/?>")
_TAG = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """The words of a Markdown text, for counting, search snippets and titles."""
    words = _TAG.sub("", _BLOCK_END.sub(" ", render_markdown(text)))
    return " ".join(html.unescape(words).split())
