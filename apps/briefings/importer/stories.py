"""The Top 5: one story from its headline to the next, with its policy document."""

from __future__ import annotations

import re

from .dates import parse_date
from .findings import Findings
from .inline import MD_LINK, URL, balanced, clean, has_cjk, is_cjk, is_web_address
from .patterns import (
    BULLET,
    HEADLINE,
    NUMBERED,
    ends_open,
    has_body_after,
    heading_like,
    is_label,
    match_label,
    norm_key,
    starts_lower,
)
from .results import ParsedDocument, ParsedStory
from .sections import Sections

# --------------------------------------------------------------------------- document titles

_LINK_WORD = r"(?:link|source|here|full text|original|pdf|原文|链接)"
# Addresses here hold no parentheses, which keeps the search linear in the title's length.
_LINK_TAIL = re.compile(
    rf"[(（]\s*(?:\[\s*{_LINK_WORD}\s*\]\([^()\s]*\)|<u>\s*{_LINK_WORD}\s*</u>|{_LINK_WORD}"
    r"|https?://[^\s()（）]+)\s*[)）]\s*$",
    re.I,
)
_LINK_WORD_ONLY = re.compile(rf"^\s*{_LINK_WORD}\s*$", re.I)
_BARE_URL = re.compile(r"<?https?://[^\s()（）<>]+>?")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_OPEN = "(（"
_CLOSE = ")）"
_ZH_START = "《“「『\"'"


def _title_link(raw: str) -> tuple[str, str]:
    """The title without its links, and the address it gives (the last web address)."""
    url = ""
    for m in MD_LINK.finditer(raw):
        if is_web_address(m.group(2)):
            url = m.group(2)
    for m in URL.finditer(MD_LINK.sub("", raw)):
        url = m.group(0)

    def unwrap(m: re.Match) -> str:
        return "Link" if _LINK_WORD_ONLY.match(m.group(1)) else m.group(1)

    text = MD_LINK.sub(unwrap, clean(raw))
    for _ in range(3):  # "(Link) (PDF)"; a longer run of them is not a title's
        m = _LINK_TAIL.search(text)
        if not m:
            break
        text = text[: m.start()].rstrip()
    return re.sub(" {2,}", " ", _BARE_URL.sub("", text)).strip(), url


def _after_parentheses(text: str, i: int) -> int:
    """The index after the run of opening parentheses and spaces at ``i``."""
    while i < len(text) and text[i] in "(（ ":
        i += 1
    return i


def _opens_chinese(text: str, i: int) -> bool:
    """Parentheses at ``i`` whose content is Chinese: it starts with a character or a quote
    mark."""
    j = _after_parentheses(text, i)
    if j >= len(text):
        return False
    if text[j] in _ZH_START:
        return j + 1 < len(text) and is_cjk(text[j + 1]) and text[j + 1] not in _OPEN
    return is_cjk(text[j]) and text[j] not in _OPEN


def _closing(text: str, start: int) -> int | None:
    """Index of the parenthesis closing the one at ``start``; None when it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


def _unwrap_zh(zh: str) -> str:
    if zh[:1] in _OPEN:
        inner = zh[1:]
        if inner[-1:] in _CLOSE and balanced(inner[:-1]):
            inner = inner[:-1]
        zh = inner
    zh = zh.strip()
    if zh.startswith("《") and zh.endswith("》") and zh.count("《") == 1:
        zh = zh[1:-1]
    return zh.strip()


def _mostly_chinese(text: str) -> bool:
    ideographs = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if "A" <= ch <= "z" and ch.isalpha())
    return ideographs > 0 and ideographs >= latin


def _split_languages(text: str) -> tuple[str, str]:
    # Scan for where the Chinese title starts: a parenthesis opening Chinese text
    # ("English (中文)") or, without parentheses, a character or 《 ("English 《中文》").
    last_latin = max((m.start() for m in _LATIN_WORD.finditer(text)), default=-1)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            if not _opens_chinese(text, i):
                i = max(i + 1, _after_parentheses(text, i))
                continue
            close = _closing(text, i)
            if close is not None and last_latin > close:
                i = close + 1  # a Chinese term inside the English title
                continue
            en = text[:i].strip()
            if _LATIN_WORD.search(en):
                return en, _unwrap_zh(text[i:].strip())
            break
        if ch == "《" or "\u3400" <= ch <= "\u9fff":
            left, right = text[:i], text[i:]
            if _LATIN_WORD.search(left) and _mostly_chinese(right):
                return left.strip(" :-–—/|"), _unwrap_zh(right)
            break
        i += 1
    # 中文 (English)
    if text and (is_cjk(text[0]) or text[0] in _ZH_START) and text[-1:] in _CLOSE:
        depth, j = 0, len(text) - 1
        for j in range(len(text) - 1, -1, -1):
            if text[j] in _CLOSE:
                depth += 1
            elif text[j] in _OPEN:
                depth -= 1
                if depth == 0:
                    break
        inner = text[j + 1 : -1]
        if j > 0 and _LATIN_WORD.search(inner) and not has_cjk(inner):
            return inner.strip(), _unwrap_zh(text[:j].strip())
    if has_cjk(text) and not _LATIN_WORD.search(text):
        return "", text.strip("()（） ")
    return text, ""


def split_title(raw: str) -> tuple[str, str, str]:
    """``English (中文标题) (Link)`` → (title_en, title_zh, url).

    Also reads full-width parentheses, ``English 《中文》``, ``English / 中文``,
    ``中文 (English)``, a linked title ``[English](https://…) (中文)`` and a bare address.
    """
    text, url = _title_link(raw)
    en, zh = _split_languages(text)
    return en, zh, url


def split_agencies(text: str) -> tuple[list[str], str]:
    text = MD_LINK.sub(r"\1", clean(text))
    note = ""
    m = re.search(r"\(\s*(via\s+[^()]+?)\s*\)\s*$", text, re.I)
    if m:
        note = m.group(1)
        text = text[: m.start()].strip()
    parts = re.split(r"\s*[,;，、]\s*|\s+and\s+(?=[A-Z]{2,}\b)", text)
    return [p.strip() for p in parts if p.strip()], note


def _title_done(raw: str) -> bool:
    text = clean(raw)
    return bool(_LINK_TAIL.search(text) or URL.search(raw)) or (
        has_cjk(text) and text[-1:] in ")）》"
    )


# --------------------------------------------------------------------------- stories


class Paragraphs:
    """The paragraphs of a field. A paragraph continued over many lines is joined once, when
    it is read, which keeps a long run of continuation lines linear in time."""

    def __init__(self) -> None:
        self._parts: list[list[str]] = []

    def __len__(self) -> int:
        return len(self._parts)

    def append(self, text: str) -> None:
        self._parts.append([text])

    def extend_last(self, text: str, separator: str = " ") -> None:
        self._parts[-1] += (separator, text)

    def last_line(self) -> str:
        return self._parts[-1][-1]

    def texts(self) -> list[str]:
        return ["".join(parts) for parts in self._parts]


class StoryBuilder:
    def __init__(self, position: int, headline: str, line: int):
        self.position = position
        self.headline = headline
        self.line = line
        self.intro = Paragraphs()
        self.bullets = Paragraphs()
        self.outro = Paragraphs()
        self.comment = Paragraphs()
        self.box_title = ""
        self.box_body = Paragraphs()
        self.doc: dict | None = None

    def document(self) -> ParsedDocument | None:
        if not self.doc:
            return None
        d = self.doc
        en, zh, url = split_title(d.get("title", ""))
        return ParsedDocument(
            label=d.get("label", ""),
            title_en=en,
            title_zh=zh,
            url=url,
            agencies=d.get("agencies", []),
            issuer_note=d.get("issuer_note", ""),
            date=d.get("date"),
        )

    def build(self) -> ParsedStory:
        return ParsedStory(
            position=self.position,
            headline=self.headline,
            glance_intro="\n\n".join(self.intro.texts()),
            glance_bullets=self.bullets.texts(),
            glance_outro="\n\n".join(self.outro.texts()),
            comment="\n\n".join(self.comment.texts()),
            box_title=self.box_title,
            box_body=_join_box(self.box_body.texts()),
            document=self.document(),
            line=self.line,
        )


def _join_box(parts: list[str]) -> str:
    out = []
    prev_numbered = False
    for part in parts:
        numbered = bool(re.match(r"^\d+\. ", part))
        if out:
            out.append("\n" if numbered and prev_numbered else "\n\n")
        out.append(part)
        prev_numbered = numbered
    return "".join(out)


_LABEL_KIND = {
    "at a glance": "glance",
    "merics comment": "comment",
    "policy name": "doc_title",
    "article name": "doc_title",
    "article": "doc_title",
    "document": "doc_title",
    "issuing body": "agencies",
    "issuing bodies": "agencies",
    "issued by": "agencies",
    "date": "date",
}
_DOC_LABEL = {
    "policy name": "Policy name",
    "article name": "Article name",
    "article": "Article",
    "document": "Document",
}


def parse_story(
    builder: StoryBuilder, lines: list[str], start: int, end: int, findings: Findings
) -> None:
    """Fill ``builder`` from ``lines[start:end]`` (the lines after the headline)."""
    mode = None  # glance, comment, box, doc
    last_field: Paragraphs | None = None  # the field the previous unit went to
    last_kind = None  # "text", "bullet", "numbered", "title"
    last_indent = 0
    i = start
    while i < end:
        raw = lines[i]
        if not raw.strip():
            i += 1
            continue
        text = clean(raw)
        indent = len(raw) - len(raw.lstrip(" \t\u00a0"))
        if not text:
            i += 1
            continue
        label = match_label(raw)
        if label:
            key, value = label
            kind = _LABEL_KIND[key]
            last_kind = None
            if kind == "glance":
                mode = "glance"
                last_field = builder.intro
                if clean(value):
                    builder.intro.append(clean(value))
                    last_kind = "text"
            elif kind == "comment":
                mode = "comment"
                last_field = builder.comment
                if clean(value):
                    builder.comment.append(clean(value))
                    last_kind = "text"
            else:
                mode = "doc"
                last_field = None
                doc = builder.doc if builder.doc is not None else {}
                builder.doc = doc
                if kind == "doc_title":
                    title = value.strip()
                    first = i
                    j = i + 1
                    # A title may wrap over the next line(s), also across a blank line.
                    while not _title_done(title) and j < end and j <= i + 4:
                        nxt = lines[j]
                        if not nxt.strip():
                            j += 1
                            continue
                        if (
                            is_label(nxt)
                            or HEADLINE.match(nxt)
                            or (heading_like(nxt) and not has_cjk(nxt))
                        ):
                            break
                        title = f"{title} {nxt.strip()}"
                        i = j
                        j += 1
                    if i > first and clean(value):
                        findings.guess_at(
                            first, clean(title), "document title continued on the next line"
                        )
                    doc["label"] = _DOC_LABEL[key]
                    doc["title"] = title
                elif kind == "agencies":
                    doc["agencies"], doc["issuer_note"] = split_agencies(value)
                else:
                    doc["date"] = parse_date(value)
                    if doc["date"] is None and clean(value):
                        findings.unplaced_at(i, text)
            i += 1
            continue

        bullet = BULLET.match(raw)
        numbered = NUMBERED.match(raw)
        if (
            mode in ("comment", "box", "doc")
            and text[:1] in "(（"
            and has_cjk(text)
            and not (builder.doc and builder.doc.get("title"))
        ):
            # A bare "(中文标题) (Link)" line: the document title without a label.
            doc = builder.doc if builder.doc is not None else {}
            builder.doc = doc
            doc.setdefault("label", "")
            doc["title"] = raw.strip()
            findings.guess_at(i, text, "read as the document title (no label printed)")
            mode = "doc"
            last_field, last_kind = None, "title"
            i += 1
            continue

        # Continuations: a wrapped bullet, or a paragraph split by a page break.
        if last_field and last_kind in ("bullet", "text", "numbered") and not bullet:
            prev = last_field.last_line()
            continues = starts_lower(text) and (
                last_kind in ("bullet", "numbered") or ends_open(prev)
            )
            if last_kind == "bullet" and indent > last_indent and not numbered:
                continues = True
            if continues:
                if last_kind == "text" and not lines[i - 1].strip():
                    findings.guess_at(
                        i, text, "joined to the paragraph before (split by a page break)"
                    )
                last_field.extend_last(text)
                i += 1
                continue

        if mode == "glance":
            if bullet:
                builder.bullets.append(clean(bullet.group(2)))
                last_field, last_kind, last_indent = builder.bullets, "bullet", indent
            elif heading_like(text) and has_body_after(lines, i, end):
                mode = "box"
                builder.box_title = text
                findings.guess_at(i, text, "read as the title of a box")
                last_field, last_kind = builder.box_body, None
            elif builder.bullets:
                builder.outro.append(text)
                last_field, last_kind = builder.outro, "text"
            else:
                builder.intro.append(text)
                last_field, last_kind = builder.intro, "text"
        elif mode in ("comment", "doc", "box"):
            if mode != "box" and heading_like(text) and has_body_after(lines, i, end):
                mode = "box"
                builder.box_title = text
                findings.guess_at(i, text, "read as the title of a box")
                last_field, last_kind = builder.box_body, None
            elif mode == "box":
                if numbered:
                    builder.box_body.append(f"{numbered.group(1)}. {clean(numbered.group(2))}")
                    last_kind = "numbered"
                elif bullet:
                    builder.box_body.append(f"- {clean(bullet.group(2))}")
                    last_kind = "numbered"
                else:
                    builder.box_body.append(text)
                    last_kind = "text"
                last_field = builder.box_body
            elif (
                mode == "doc"
                and (m := HEADLINE.match(raw))
                and int(m.group(1)) == (builder.position + 1)
            ):
                findings.guess_at(
                    i, text, "left out: a story headline without “At a glance” (cut off?)"
                )
                last_field, last_kind = None, None
            elif mode == "comment":
                if numbered:
                    entry = f"{numbered.group(1)}. {clean(numbered.group(2))}"
                    if last_kind == "numbered":
                        builder.comment.extend_last(entry, "\n")
                    else:
                        builder.comment.append(entry)
                    last_kind = "numbered"
                else:
                    builder.comment.append(text)
                    last_kind = "text"
                last_field = builder.comment
            else:
                findings.unplaced_at(i, text)
                last_field, last_kind = None, None
        else:
            findings.unplaced_at(i, text)
            last_field, last_kind = None, None
        i += 1


def read_stories(lines: list[str], sections: Sections, findings: Findings) -> list[ParsedStory]:
    """The Top 5, each story from its headline to the next one."""
    stories = []
    found = sections.stories
    for k, (i, number, headline) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else sections.story_stop
        head = clean(headline)
        letters = [c for c in head if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            # A PDF sets headlines in capitals; its contents table has them as written.
            from_contents = sections.contents_titles.get(norm_key(head))
            if from_contents and from_contents != head:
                findings.guess_at(i, head, "headline's letter case taken from the contents")
                head = from_contents
        head = head.rstrip(" .") if head.endswith("..") else head
        builder = StoryBuilder(number, head, findings.line(i))
        parse_story(builder, lines, i + 1, end, findings)
        stories.append(builder.build())
    return stories
