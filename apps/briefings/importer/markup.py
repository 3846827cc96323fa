"""Markdown and HTML to the line structure of a plain-text export.

Plain text is taken as it is. Markdown and HTML are converted to the same structure, so one
reader serves all three: a line per paragraph, heading or list item; list items as
``- text`` or ``1. text`` (nested ones indented); bold labels such as ``**At a glance:**``
and lines entirely in bold or italics as plain text; other emphasis kept as Markdown
(``*word*``); links as Markdown links ``[text](https://…)``, or as their text alone when the
address is lost (``#``, empty, not http, or relative on a page that names no address of its
own in ``<base>``, ``<link rel="canonical">`` or ``og:url``); HTML entities decoded.
Scripts, styles, the document head, navigation, forms, dialogs, cookie and consent banners,
breadcrumbs, share and newsletter boxes, hidden elements, and the page's own header, footer
and sidebars (those outside the ``<article>`` or ``<main>`` element; a header holding the
page's ``<h1>`` is kept) are left out as page chrome, as are images and Markdown link
definitions. A Markdown front matter gives its title and date; its other keys are metadata.

Line numbers. ``Lines.origin`` holds, for every line of the structure, the 1-based number
of the line of the uploaded file where its text starts: for Markdown, the line itself, or
the first line of a paragraph hard-wrapped at a fixed width (those lines are joined); for
HTML, the line where the element's first piece of text starts, which is where an editor
finds the words in the file (the tag may sit on the line before).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from .inline import MD_LINK, is_web_address


@dataclass
class Lines:
    """The line structure: ``lines[i]`` starts on line ``origin[i]`` of the uploaded file;
    ``headings`` maps the index of a heading line to its level (1 for ``<h1>`` or ``#``)."""

    lines: list[str]
    origin: list[int]
    headings: dict[int, int] = field(default_factory=dict)
    kind: str = "text"


def to_lines(text: str) -> Lines:
    """The structure of an export; its kind ("text", "Markdown", "HTML") is read from the
    content, not from a file name."""
    if looks_like_html(text):
        return html_lines(text)
    if looks_like_markdown(text):
        return markdown_lines(text)
    lines = text.split("\n")
    return Lines(lines, list(range(1, len(lines) + 1)))


# --------------------------------------------------------------------------- detection

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|br|table|tr|td|th|section|article|main|header|footer|nav"
    r"|body|span|strong|em|b|i|a|img|figure|figcaption)(?=[\s>/])",
    re.I,
)
_MD_SIGN = re.compile(
    r"^ {0,3}(?:#{1,6}[ \t]+\S|(?:[-*+][ \t]+)?(?:\*\*|__)\S|\[[^\]\n]+\]:[ \t]*\S)", re.M
)


def looks_like_html(text: str) -> bool:
    """An HTML page or fragment: it starts like one, or many lines carry common tags."""
    if _HTML_START.match(text[:4096]):
        return True
    needed = max(8, text.count("\n") // 4)
    return any(count >= needed for count, _ in enumerate(_HTML_TAG.finditer(text), start=1))


def looks_like_markdown(text: str) -> bool:
    """Markdown: ``#`` headings, bold labels or link definitions. A plain export's
    ``[text](#)`` links and ``-``/``*`` bullets read the same either way."""
    return any(count >= 2 for count, _ in enumerate(_MD_SIGN.finditer(text), start=1))


# --------------------------------------------------------------------------- shared

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A bold run opening a line is a label ("**At a glance:**", "**Date**:", "**March 4:**")
# or a number ("**1.** Headline"); a line entirely in bold is a heading.
_BOLD_START = re.compile(
    r"^(?P<lead>\s*(?:[-•*+]\s+|\d{1,2}[.)]\s+)?)(?P<mark>\*\*|__)(?P<inner>[^*_\n]{1,80}?)"
    r"(?P=mark)(?P<rest>.*)$"
)
_BOLD_ALL = re.compile(r"^(?P<lead>\s*(?:[-•*+]\s+|\d{1,2}[.)]\s+)?)(\*\*|__)(?P<inner>.+)\2\s*$")
_ITALIC_ALL = re.compile(r"^(?P<lead>\s*)([*_])(?P<inner>[^*_\s][^*_]*)\2\s*$")
_WHITESPACE = re.compile(r"\s+")


def plain_labels(line: str) -> str:
    """``**At a glance:** text`` → ``At a glance: text``; ``**Headline**`` → ``Headline``."""
    m = _BOLD_ALL.match(line) or _ITALIC_ALL.match(line)
    if m and "**" not in m.group("inner") and "__" not in m.group("inner"):
        return m.group("lead") + m.group("inner").strip()
    m = _BOLD_START.match(line)
    if m:
        inner, rest = m.group("inner").strip(), m.group("rest")
        if inner.endswith(":") or rest.lstrip().startswith(":") or re.fullmatch(r"\d+\.?", inner):
            return m.group("lead") + inner + rest
    return line


def decode_entities(text: str) -> str:
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


def _address(url: str, base: str) -> str:
    """A link's web address, absolute; "" when it is lost (``#``, empty, relative with
    no base, not http)."""
    url = url.strip()
    if not url or url.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return ""
    if not is_web_address(url) and base:
        try:
            url = urljoin(base, url)
        except ValueError:  # "http://[bad", an address no browser follows either
            return ""
    if not is_web_address(url):
        return ""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _link(text: str, url: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return f"[{text.replace(']', ')').replace('[', '(')}]({url})" if url else text


# --------------------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])[ \t]+(?P<body>\S.*)$")
# Link texts hold no brackets, which keeps these patterns linear in the line's length.
_REF_DEF = re.compile(r"^ {0,3}\[([^\[\]\n]+)\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+.*)?$")
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[([^\[\]\n]*)\]")
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_INLINE_LINK = re.compile(
    r"\[([^\[\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+(?:\"[^\"()]*\"|'[^'()]*'))?\s*\)"
)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
# A line that starts a field or a dated item of its own, even without a blank line before.
_STARTS_FIELD = re.compile(r"^(?:\*\*|__|[A-Z][\w’'()&/ .-]{0,40}:(?:\s|$)|\(|（)")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def _md_inline(text: str, refs: dict[str, str]) -> str:
    text = _IMAGE.sub("", text)
    text = _HTML_BREAK.sub(" ", text)

    def reference(m: re.Match) -> str:
        key = (m.group(2) or m.group(1)).strip().casefold()
        return _link(m.group(1), _address(refs[key], "")) if key in refs else m.group(0)

    text = _REF_LINK.sub(reference, text)
    text = _INLINE_LINK.sub(lambda m: _link(m.group(1), _address(m.group(2), "")), text)
    text = _AUTOLINK.sub(r"\1", text)
    return plain_labels(decode_entities(text))


def _front_matter(raw: list[str]) -> int:
    """Number of lines of a YAML front matter block at the top (0 when there is none)."""
    if not raw or raw[0].strip() != "---":
        return 0
    for n in range(1, min(len(raw), 60)):
        if raw[n].strip() in ("---", "..."):
            return n + 1
        if raw[n].strip() and not _FRONT_MATTER_KEY.match(raw[n]) and raw[n][:1] not in " -":
            return 0
    return 0


def _hard_wrapped(raw: list[str]) -> bool:
    """Paragraphs wrapped at a fixed width (pandoc, html2text), rather than one paragraph
    per line as the briefing's exports write them. Only then are lines joined."""
    widths = [len(line.rstrip()) for line in raw if line.strip()]
    if len(widths) < 10 or sum(w > 100 for w in widths) > len(widths) / 20:
        return False
    wrapped = 0
    for k in range(len(raw) - 1):
        nxt = raw[k + 1]
        if 50 <= len(raw[k].rstrip()) <= 100 and nxt.strip() and not _LIST_ITEM.match(nxt):
            wrapped += 1
    return wrapped >= 5


def markdown_lines(text: str) -> Lines:
    raw = text.split("\n")
    refs = {}
    for line in raw:
        if line[:1] in " [" and (m := _REF_DEF.match(line)):
            refs[m.group(1).strip().casefold()] = m.group(2)
    out: list[str] = []
    origin: list[int] = []
    headings: dict[int, int] = {}
    wrapped_lines: list[str] = []  # joined to the last line when the paragraph ends

    def settle() -> None:
        if wrapped_lines:
            out[-1] = " ".join([out[-1].rstrip(), *wrapped_lines])
            wrapped_lines.clear()

    def emit(line: str, number: int, level: int = 0) -> None:
        settle()
        if level:
            headings[len(out)] = level
        out.append(line)
        origin.append(number)

    # The title and date of a front matter block are the issue's; other keys are metadata.
    front = _front_matter(raw)
    for n in range(1, front - 1):
        m = _FRONT_MATTER_KEY.match(raw[n])
        if m and m.group(2).strip():
            key, value = m.group(1).lower(), m.group(2).strip().strip("\"'")
            if key == "title":
                emit(decode_entities(value), n + 1, 1)
            elif key in ("date", "published", "publication_date"):
                emit(value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else value, n + 1)

    wrapped = _hard_wrapped(raw)
    in_fence = False
    joinable = False  # the last line is paragraph text that a wrapped line continues
    hard_break = False
    for n in range(front, len(raw)):
        number = n + 1
        line = raw[n]
        if _FENCE.match(line):
            in_fence, joinable = not in_fence, False
            continue
        if in_fence:
            emit(line, number)
            continue
        if line[:1] in " [" and _REF_DEF.match(line):
            joinable = False
            continue
        line = _QUOTE.sub("", line)
        if not line.strip():
            emit("", number)
            joinable = False
            continue
        if _SETEXT.match(line) and joinable and out and not _LIST_ITEM.match(out[-1]):
            settle()
            headings[len(out) - 1] = 1 if line.strip()[0] == "=" else 2
            out[-1] = plain_labels(MD_LINK.sub(r"\1", out[-1].strip()))
            joinable = False
            continue
        if _RULE.match(line):
            emit("", number)
            joinable = False
            continue
        if m := _ATX.match(line):
            heading = MD_LINK.sub(r"\1", _md_inline((m.group(2) or "").strip(), refs))
            emit(heading, number, len(m.group(1)))
            joinable = False
            continue
        ends_hard = line.endswith(("  ", "\\")) or bool(_HTML_BREAK.search(line[-6:]))
        body = line.rstrip().rstrip("\\").rstrip()
        if m := _LIST_ITEM.match(body):
            indent = m.group("indent").replace("\t", "    ")
            marker = m.group("marker")
            marker = "-" if marker in "-*+" else marker[:-1] + "."
            emit(f"{indent}{marker} {_md_inline(m.group('body'), refs)}", number)
        else:
            inline = _md_inline(body.rstrip(), refs)
            if not inline.strip():
                continue  # an image alone
            if (
                wrapped
                and joinable
                and not hard_break
                and not _STARTS_FIELD.match(inline.lstrip())
            ):
                wrapped_lines.append(inline.strip())
            else:
                emit(inline, number)
        joinable, hard_break = True, ends_hard
    settle()
    return Lines(out, origin, headings, "Markdown")


# --------------------------------------------------------------------------- HTML

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# Always page chrome, whatever their attributes.
_CHROME_TAGS = {
    "audio",
    "button",
    "canvas",
    "dialog",
    "form",
    "head",
    "iframe",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "picture",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "video",
}
# Chrome of the page, but content inside an article ("the article's header").
_PAGE_TAGS = {"header", "footer", "aside"}
_CHROME_ROLES = {"navigation", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar"}
_PAGE_ROLES = {"banner", "contentinfo", "complementary"}
_CHROME_WORDS = {
    "ad",
    "ads",
    "advert",
    "advertisement",
    "breadcrumb",
    "breadcrumbs",
    "consent",
    "cookie",
    "cookies",
    "gdpr",
    "login",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "offcanvas",
    "popup",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "skip",
    "social",
    "subscribe",
    "subscription",
    "toolbar",
}
_PAGE_WORDS = {"header", "footer", "masthead", "banner"}
_CONTENT_TAGS = {"article", "main"}
_KEPT_TAGS = {"html", "body", "main", "article"}
_WORD_SPLIT = re.compile(r"[_-]+")
# State classes ("has-cookie-banner", "with-sidebar") describe the page, not the element.
_STATE_PREFIXES = ("has-", "with-", "no-", "is-", "show-", "js-")


def _attribute_words(attrs: dict[str, str]) -> set[str]:
    words: set[str] = set()
    for name in ("class", "id", "aria-label"):
        for token in attrs.get(name, "").lower().split():
            if not token.startswith(_STATE_PREFIXES):
                words.update(_WORD_SPLIT.split(token))
    return words


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NO_ATTRIBUTES: dict[str, str] = {}
_MAX_DEPTH = 6  # of list indentation
_INLINE_MARKUP = {"a", "strong", "b", "em", "i"}
_MAX_INLINE = 3
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _Element:
    __slots__ = (
        "tag",
        "skip",
        "page",
        "content",
        "mark",
        "generation",
        "href",
        "start",
        "h1",
        "inline",
    )

    def __init__(self, tag: str):
        self.tag = tag
        self.skip = False  # page chrome: its text is left out
        self.page = False  # page header or footer: left out unless it holds the <h1>
        self.content = False  # <article>, <main>: what is inside is the page's content
        self.mark = 0  # where its inline text starts in the buffer
        self.generation = 0
        self.href = ""
        self.start = 0  # the first line it produced
        self.h1 = 0  # <h1> elements seen before it
        self.inline = False  # a link or emphasis written out as Markdown


class _HtmlReader(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.lines: list[str] = []
        self.origin: list[int] = []
        self.headings: dict[int, int] = {}
        self.stack: list[_Element] = []
        self.open: dict[str, int] = {}
        self.inline = 0  # open links and emphasis written out as Markdown
        self.skipping = 0
        self.content = 0  # open <article>/<main> elements
        self.buffer: list[str] = []
        self.buffer_line = 0
        self.generation = 0
        self.prefix = ""
        self.heading = 0
        self.h1_seen = 0
        self.pre = 0
        self.lists: list[list] = []  # [tag, next number]

    # ---- lines

    def flush(self) -> None:
        if not self.buffer:
            self.generation += 1
            return
        text = "".join(self.buffer)
        text = text.strip() if self.pre else _WHITESPACE.sub(" ", text).strip()
        if text:
            if self.heading:
                text = MD_LINK.sub(r"\1", text)
            # Nested list items are indented; a paragraph inside an item, one step more.
            depth = min(len(self.lists), _MAX_DEPTH) - (1 if self.prefix else 0)
            line = plain_labels(f"{self.prefix}{text}")
            if self.heading:
                self.headings[len(self.lines)] = self.heading
            self.lines.append("  " * max(0, depth) + line)
            self.origin.append(self.buffer_line or self.getpos()[0])
            self.prefix = ""
        self.buffer = []
        self.buffer_line = 0
        self.generation += 1

    def _is_chrome(self, tag: str, attrs: dict[str, str]) -> tuple[bool, bool]:
        """(chrome, page chrome) for a start tag."""
        if tag in _CHROME_TAGS:
            return True, False
        if not attrs:
            return False, tag in _PAGE_TAGS and not self.content
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True, False
        if _HIDDEN_STYLE.search(attrs.get("style", "")):
            return True, False
        role = attrs.get("role", "").lower()
        if role in _CHROME_ROLES:
            return True, False
        if tag in _KEPT_TAGS:
            return False, False
        words = _attribute_words(attrs)
        if words & _CHROME_WORDS:
            return True, False
        page = tag in _PAGE_TAGS or role in _PAGE_ROLES or bool(words & _PAGE_WORDS)
        return False, page and not self.content

    # ---- tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs} if attrs else _NO_ATTRIBUTES
        if values and not self.base:
            # Where relative links point: <base>, else the page's own address.
            if tag == "base" or (tag == "link" and "canonical" in values.get("rel", "")):
                self.base = values.get("href", "")
            elif tag == "meta" and values.get("property") == "og:url":
                self.base = values.get("content", "")
        if self.skipping:
            if tag not in _VOID:
                self._push(tag, skip=True)
            return
        if tag in ("br", "hr"):
            self.flush()
            return
        if tag in _VOID:
            return
        # Implied ends: a new paragraph or list item closes the open one.
        if tag in ("p", "li", "dt", "dd", "tr", "td", "th") and self.stack:
            top = self.stack[-1].tag
            if top == tag or (tag in ("dt", "dd") and top in ("dt", "dd")):
                self.handle_endtag(top)
        chrome, page = self._is_chrome(tag, values)
        if chrome:
            self.flush()
            self._push(tag, skip=True)
            return
        element = self._push(tag)
        if tag in _BLOCK or page:
            self.flush()
            self.heading = 0
        if page:
            element.page = True
            element.start = len(self.lines)
            element.h1 = self.h1_seen
        if tag in _CONTENT_TAGS or values.get("role") == "main":
            element.content = True
            self.content += 1
        if tag in _HEADINGS:
            self.heading = _HEADINGS[tag]
            if tag == "h1":
                self.h1_seen += 1
        elif tag in ("ul", "ol"):
            start = values.get("start", "1")[:6]
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            if self.lists and self.lists[-1][0] == "ol":
                self.prefix = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                self.prefix = "- "
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            element.href = _address(values.get("href", ""), self.base)
        # Markup nested deeper than this is written as plain text (it is noise, and each
        # level would rejoin the text inside it).
        if tag in _INLINE_MARKUP and self.inline < _MAX_INLINE:
            self.inline += 1
            element.inline = True
        element.mark = len(self.buffer)
        element.generation = self.generation

    def _push(self, tag: str, skip: bool = False) -> _Element:
        element = _Element(tag)
        element.skip = skip
        if skip:
            self.skipping += 1
        self.stack.append(element)
        self.open[tag] = self.open.get(tag, 0) + 1
        return element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            if tag in ("p", "br") and not self.skipping:
                self.flush()  # "</p>" without "<p>", "</br>": a break
            return
        while self.stack:
            element = self.stack.pop()
            self.open[element.tag] -= 1
            self._close(element)
            if element.tag == tag:
                break

    def _close(self, element: _Element) -> None:
        tag = element.tag
        if element.skip:
            self.skipping -= 1
            return
        if self.skipping:
            return
        if element.inline:
            self.inline -= 1
        same_line = element.inline and element.generation == self.generation
        if tag == "a" and element.href and same_line:
            text = "".join(self.buffer[element.mark :])
            lead = text[: len(text) - len(text.lstrip())]
            tail = text[len(text.rstrip()) :]
            self.buffer[element.mark :] = [lead, _link(text, element.href), tail]
        elif tag in ("strong", "b", "em", "i") and same_line:
            text = "".join(self.buffer[element.mark :])
            if text.strip():
                mark = "**" if tag in ("strong", "b") else "*"
                lead = text[: len(text) - len(text.lstrip())]
                tail = text[len(text.rstrip()) :]
                self.buffer[element.mark :] = [lead, mark, text.strip(), mark, tail]
        if tag in _BLOCK or element.page:
            self.flush()
            self.heading = 0
        if tag == "li":
            self.prefix = ""
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre -= 1
        if element.content:
            self.content -= 1
        if element.page and element.h1 == self.h1_seen and len(self.lines) > element.start:
            start = element.start
            del self.lines[start:]
            del self.origin[start:]
            while self.headings and next(reversed(self.headings)) >= start:
                self.headings.popitem()

    def handle_data(self, data: str) -> None:
        if self.skipping or not data:
            return
        if not self.buffer_line:
            stripped = data.lstrip()
            if not stripped:
                if self.buffer:
                    self.buffer.append(" ")
                return
            lead = data[: len(data) - len(stripped)]
            self.buffer_line = self.getpos()[0] + lead.count("\n")
        if self.pre:
            lines = data.split("\n")
            for k, part in enumerate(lines):
                if k:
                    self.flush()
                    self.buffer_line = self.getpos()[0] + k
                self.buffer.append(part)
            return
        self.buffer.append(data.replace("\u00a0", " "))

    def close(self) -> None:
        super().close()
        while self.stack:
            element = self.stack.pop()
            self.open[element.tag] -= 1
            self._close(element)
        self.flush()


_TAG_SPAN = re.compile(r"<(?:[A-Za-z/?]|!(?!\[))[^<>]*>|<!\[[^<>]*\]\]>")
_QUOTES_PAIRED = re.compile(r"(?:[^\"']|\"[^\"]*\"|'[^']*')*")


def _well_formed(text: str) -> str:
    """The markup with every ``<`` that opens no complete tag written as ``&lt;``, and an
    unterminated comment cut off. ``html.parser`` rescans the rest of the file for each such
    ``<``, which takes minutes on hostile input; a browser shows them as text too."""
    out = []
    i = 0
    while (j := text.find("<", i)) >= 0:
        out.append(text[i:j])
        if text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            if k < 0:
                return "".join(out)
            out.append(text[j : k + 3])
            i = k + 3
            continue
        m = _TAG_SPAN.match(text, j)
        if m and _QUOTES_PAIRED.fullmatch(m.group(0)):
            out.append(m.group(0))
            i = m.end()
        else:
            out.append("&lt;")
            i = j + 1
    out.append(text[i:])
    return "".join(out)


def html_lines(text: str, base: str = "") -> Lines:
    reader = _HtmlReader(base)
    reader.feed(_well_formed(text))
    reader.close()
    return Lines(reader.lines, reader.origin, reader.headings, "HTML")
