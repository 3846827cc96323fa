"""Read a plain-text export of a *MERICS China Industries* briefing.

The parser is a tolerant reader of the briefing's structure (Top 5 stories, noteworthy
items, credits), not a set of special cases per file. It never touches the database:
:func:`parse_briefing` returns plain dataclasses that the importer saves.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

MAX_CHARS = 2 * 1024 * 1024


class NotABriefing(ValueError):
    """A file that cannot be read as a briefing; str(error) is a clear message for an editor."""


@dataclass
class ParsedSource:
    label: str
    language: str


@dataclass
class ParsedDocument:
    label: str
    title_en: str
    title_zh: str
    url: str
    agencies: list[str]
    issuer_note: str
    date: datetime.date | None


@dataclass
class ParsedStory:
    position: int
    headline: str
    glance_intro: str
    glance_bullets: list[str]
    glance_outro: str
    comment: str
    box_title: str
    box_body: str
    document: ParsedDocument | None
    line: int


@dataclass
class ParsedItem:
    section: int
    date: datetime.date
    text: str
    sources: list[ParsedSource]
    line: int


@dataclass
class ParsedCredit:
    role: str
    name: str
    role_title: str


@dataclass
class Unplaced:
    line: int
    text: str


@dataclass
class ParsedBriefing:
    title: str
    publication_date: datetime.date | None
    date_estimated: bool
    hero_caption: str
    stories: list[ParsedStory]
    items: list[ParsedItem]
    credits: list[ParsedCredit]
    unplaced: list[Unplaced] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\U00020000-\U0002ffff]")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FFFF
    )


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def _control_count(text: str) -> int:
    return len(_CONTROL.findall(text))


def decode(data: bytes) -> str:
    """Decode an uploaded export: UTF-8 (BOM optional), UTF-16 with BOM, or GBK."""
    if not data or not data.strip():
        raise NotABriefing("The file is empty.")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise NotABriefing("The file is binary (it contains NUL bytes), not a text export.")
        candidates = ["utf-8", "gbk"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        controls = _control_count(text)
        if encoding == "gbk":
            # GBK decodes many byte strings; only believe it when it yields Chinese text.
            if controls or not _IDEOGRAPH.search(text):
                continue
        elif "\x00" in text or controls > max(2, len(text) // 100):
            raise NotABriefing(
                "The file is binary (mostly control characters), not a text export."
            )
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise NotABriefing(
        "The file's text encoding could not be read (expected UTF-8, UTF-16 or GBK)."
    )


# --------------------------------------------------------------------------- inline cleanup

# A link whose address the export lost ("#" or nothing) keeps only its text; a real
# address stays a Markdown link.
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(#?\)")
_U_JOIN = re.compile(r"</u>\s*<u>", re.I)
_U_TAG = re.compile(r"</?u>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
# OCR reads "AI" as "Al"; names that really are "Al …" are left alone.
_AL = re.compile(r"\bAl\b(?![ -](?:Jazeera|Arabiya|Gore|Qaeda|Capone))")


def clean(text: str) -> str:
    """Inline cleanup used for every field."""
    text = _MD_LINK.sub(r"\1", text)
    text = _U_JOIN.sub(" ", text)
    text = _U_TAG.sub("", text)
    text = text.replace("\\(", "(").replace("\\)", ")")
    text = _AL.sub("AI", text)
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------- dates

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}

_DATE_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """ "June 21, 2021", "19 October, 2023", "2021-06-21" → date; None otherwise."""
    text = clean(text).strip(" .*")
    if m := _DATE_MDY.match(text):
        month = MONTHS.get(m.group(1).lower())
        return _make_date(int(m.group(3)), month, int(m.group(2))) if month else None
    if m := _DATE_DMY.match(text):
        month = MONTHS.get(m.group(2).lower())
        return _make_date(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _DATE_ISO.match(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _easter(year: int) -> datetime.date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def berlin_holidays(year: int) -> set[datetime.date]:
    easter = _easter(year)
    fixed = [(1, 1), (3, 8), (5, 1), (10, 3), (12, 25), (12, 26)]
    days = {datetime.date(year, m, d) for m, d in fixed}
    for offset in (-2, 1, 39, 50):  # Good Friday, Easter Monday, Ascension, Whit Monday
        days.add(easter + datetime.timedelta(days=offset))
    return days


def first_working_day_after_month(day: datetime.date) -> datetime.date:
    """The first Berlin working day of the month after ``day``."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    candidate = datetime.date(year, month, 1)
    holidays = berlin_holidays(year)
    while candidate.weekday() >= 5 or candidate in holidays:
        candidate += datetime.timedelta(days=1)
    return candidate


# --------------------------------------------------------------------------- line patterns

_HEADLINE = re.compile(r"^\s*([1-5])\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^(\s*)[-•*‣◦▪–]\s+(\S.*)$")
_LABEL = re.compile(
    r"^\s*\**\s*(at a glance|merics comment|policy name|article name|article|document"
    r"|issuing bod(?:y|ies)|issued by|date)\s*\**\s*:\s*\**\s*(.*)$",
    re.I,
)
_EXPLAINER = re.compile(r"^\s*(explainer|box|background)\s*:\s*\S", re.I)
_CONTENTS_ENTRY = re.compile(r"(\.{2,}\s*\d*|\t\s*\d*)\s*$")
_TERMINAL = re.compile(r"[.!?:;,…)\]\"”’']\s*$")

_NOTEWORTHY = re.compile(r"^\s*(worth\s+noting|noteworthy)\s*$", re.I)
_SUBSECTION = re.compile(r"^\s*(policy|corporate)\s+news\s*$", re.I)
_CREDIT_HEAD = re.compile(
    r"^\s*(authors?|author\(s\)|with support from|contributors?|editorial staff|editors?"
    r"|editor\(s\))\s*:?\s*$",
    re.I,
)
_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^merics\s+briefs$",
        r"^merics\s+china\s+industries(\s+briefing)?$",
        r"^\d+\s+min(ute)?s?\s+read$",
        r"^merics[’']?s?\s+top\s*5$",
        r"^contents$",
        r"^merics\s*\|\s*mercator institute for china studies$",
        r"^for more information",
        r"^\S+@\S+$",
        r"^(tel|phone|mail|e-mail|fax)\.?:",
        r"^(www\.)?merics\.(org|de)/?$",
    )
]
_ID_LINE = re.compile(r"^[^\n]{0,200}_(\d{6})\s*$")

_TITLE_WORDS = {
    "analyst",
    "junior",
    "senior",
    "lead",
    "editor",
    "intern",
    "director",
    "head",
    "executive",
    "research",
    "researcher",
    "fellow",
    "assistant",
    "manager",
    "chief",
    "vice",
    "deputy",
    "program",
    "programme",
    "associate",
    "visiting",
    "president",
    "coordinator",
    "officer",
    "team",
    "managing",
}


def _is_boilerplate(text: str) -> bool:
    text = text.strip()
    return any(p.search(text) for p in _BOILERPLATE)


def _norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", clean(text).rstrip(". \t")).casefold()


def _starts_lower(text: str) -> bool:
    text = text.lstrip()
    return bool(text) and text[0].islower()


def _ends_open(text: str) -> bool:
    """True when a paragraph ends without terminal punctuation (a page break may follow)."""
    return not _TERMINAL.search(text)


# --------------------------------------------------------------------------- documents

_LINK_TAIL = re.compile(
    r"\(\s*(?:\[\s*link\s*\]\([^)]*\)|<u>\s*link\s*</u>|link|(https?://[^\s)]+))\s*\)\s*$",
    re.I,
)
_URL = re.compile(r"https?://[^\s)\]<>\"]+")


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def split_title(raw: str) -> tuple[str, str, str]:
    """``English (中文标题) (Link)`` → (title_en, title_zh, url)."""
    urls = _URL.findall(raw)
    url = urls[-1] if urls else ""
    text = clean(raw)
    while True:
        m = _LINK_TAIL.search(text)
        if not m:
            break
        text = text[: m.start()].rstrip()
    zh_start = None
    for i, ch in enumerate(text):
        if ch != "(":
            continue
        rest = text[i:].lstrip("( ")
        if rest and (_is_cjk(rest[0]) or rest[0] == "《") and _has_cjk(text[i:]):
            zh_start = i
            break
    if zh_start is None:
        if _has_cjk(text) and not re.search(r"[A-Za-z]{3,}", text):
            return "", text.strip("() "), url
        return text, "", url
    en = text[:zh_start].strip()
    zh = text[zh_start:].strip()
    inner = zh[1:]
    if inner.endswith(")") and _balanced(inner[:-1]):
        inner = inner[:-1]
    return en, inner.strip(), url


def _split_agencies(text: str) -> tuple[list[str], str]:
    text = clean(text)
    note = ""
    m = re.search(r"\(\s*(via\s+[^)]+?)\s*\)\s*$", text, re.I)
    if m:
        note = m.group(1)
        text = text[: m.start()].strip()
    parts = re.split(r"\s*[,;，、]\s*|\s+and\s+(?=[A-Z]{2,}\b)", text)
    return [p.strip() for p in parts if p.strip()], note


# --------------------------------------------------------------------------- noteworthy

_ITEM_DATE = re.compile(
    r"^\s*(?:[-•*‣◦▪]\s+)?\**\s*"
    r"(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:,?\s+(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]{3,9})\.?(?:,?\s+(?P<y2>\d{4}))?)"
    r"\s*\**\s*:\s*\**\s*(?P<rest>.*)$"
)
_SOURCE = re.compile(r"^\s*(?P<label>[^();]+?)\s*(?:\(\s*(?P<lang>[A-Z]{2})\s*\)?)?\s*$")


def _parse_sources(inner: str) -> list[ParsedSource] | None:
    sources = []
    for part in inner.split(";"):
        m = _SOURCE.match(part)
        if not m or len(m.group("label").split()) > 10:
            return None
        sources.append(ParsedSource(label=m.group("label"), language=m.group("lang") or ""))
    return sources


def split_sources(text: str) -> tuple[str, list[ParsedSource]]:
    """Split the trailing parenthesised source list off a noteworthy item."""
    text = text.rstrip()
    best: tuple[int, list[ParsedSource]] | None = None
    window = max(0, len(text) - 600)
    pos = text.rfind("(")
    while pos >= window and pos != -1:
        rest = text[pos + 1 :].rstrip()
        if rest.endswith(")") and _balanced("(" + rest):
            rest = rest[:-1]
        if _balanced_or_open(rest):
            sources = _parse_sources(rest)
            if sources is not None and sources[0].label.upper() not in {"CN", "EN"}:
                best = (pos, sources)
        pos = text.rfind("(", 0, pos)
    if best is None:
        return text, []
    return text[: best[0]].rstrip(), best[1]


def _balanced_or_open(text: str) -> bool:
    """Parentheses inside a source list: only language markers, possibly unclosed."""
    return re.fullmatch(r"[^()]*(\([A-Z]{2}\)?[^()]*)*", text) is not None


# --------------------------------------------------------------------------- the parser


def _contents_block(lines: list[str]) -> set[int]:
    """Indexes of the CONTENTS table lines (the heading up to the first blank after entries)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if line.strip().casefold() == "contents":
            found.add(i)
            seen_entry = gap = False
            for j in range(i + 1, len(lines)):
                if not lines[j].strip():
                    gap = seen_entry
                    continue
                # Entries end with a page number, a tab or a dot leader; an export that
                # lost those keeps the entries together without blank lines.
                if gap and not _CONTENTS_ENTRY.search(lines[j].rstrip(" ")):
                    break
                seen_entry = True
                found.add(j)
            break
    for i, line in enumerate(lines):
        if _HEADLINE.match(line) and _CONTENTS_ENTRY.search(line):
            found.add(i)
    return found


def _contents_titles(lines: list[str], block: set[int]) -> dict[str, str]:
    titles = {}
    for i in sorted(block):
        text = _CONTENTS_ENTRY.sub("", lines[i])
        m = _HEADLINE.match(text)
        text = clean(m.group(2) if m else text).rstrip(". ")
        if text:
            titles[_norm_key(text)] = text
    return titles


def _is_glance(line: str) -> bool:
    m = _LABEL.match(line)
    return bool(m) and m.group(1).lower() == "at a glance"


def _is_label(line: str) -> bool:
    return bool(_LABEL.match(line))


def _heading_like(text: str) -> bool:
    text = clean(text)
    if not text or _is_label(text) or _HEADLINE.match(text) or _BULLET.match(text):
        return False
    if _EXPLAINER.match(text):
        return True
    if _TERMINAL.search(text) and not text.endswith(("?", "!")):
        return False
    return text[0].isupper() and len(text.split()) <= 16 and len(text) <= 140


class _StoryBuilder:
    def __init__(self, position: int, headline: str, line: int):
        self.position = position
        self.headline = headline
        self.line = line
        self.intro: list[str] = []
        self.bullets: list[str] = []
        self.outro: list[str] = []
        self.comment: list[str] = []
        self.box_title = ""
        self.box_body: list[str] = []
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
            glance_intro="\n\n".join(self.intro),
            glance_bullets=list(self.bullets),
            glance_outro="\n\n".join(self.outro),
            comment="\n\n".join(self.comment),
            box_title=self.box_title,
            box_body=_join_box(self.box_body),
            document=self.document(),
            line=self.line,
        )


def _join_box(parts: list[str]) -> str:
    out = ""
    prev_numbered = False
    for part in parts:
        numbered = bool(re.match(r"^\d+\. ", part))
        if out:
            out += "\n" if numbered and prev_numbered else "\n\n"
        out += part
        prev_numbered = numbered
    return out


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


def _title_complete(text: str) -> bool:
    return bool(_LINK_TAIL.search(clean(text))) or (
        _has_cjk(text) and clean(text).rstrip().endswith(")")
    )


def _parse_story(
    builder: _StoryBuilder, lines: list[str], start: int, end: int, unplaced: list[Unplaced]
) -> None:
    mode = None  # glance, comment, box, doc
    last_field: list[str] | None = None  # the paragraph list the previous unit went to
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
        label = _LABEL.match(raw)
        if label:
            key = label.group(1).lower()
            key = re.sub(r"\s+", " ", key)
            kind = _LABEL_KIND[key]
            value = label.group(2)
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
                    j = i + 1
                    # A title may wrap over the next line(s), also across a blank line.
                    while not _title_complete(title) and j < end and j <= i + 4:
                        nxt = lines[j]
                        if not nxt.strip():
                            j += 1
                            continue
                        if (
                            _is_label(nxt)
                            or _HEADLINE.match(nxt)
                            or (_heading_like(nxt) and not _has_cjk(nxt))
                        ):
                            break
                        title = f"{title} {nxt.strip()}"
                        i = j
                        j += 1
                    doc["label"] = _DOC_LABEL[key]
                    doc["title"] = title
                elif kind == "agencies":
                    doc["agencies"], doc["issuer_note"] = _split_agencies(value)
                else:
                    doc["date"] = parse_date(value)
                    if doc["date"] is None and clean(value):
                        unplaced.append(Unplaced(i + 1, text))
            i += 1
            continue

        bullet = _BULLET.match(raw)
        numbered = _NUMBERED.match(raw)
        if (
            mode in ("comment", "box", "doc")
            and text.startswith("(")
            and _has_cjk(text)
            and not (builder.doc and builder.doc.get("title"))
        ):
            # A bare "(中文标题) (Link)" line: the document title without a label.
            title = raw.strip()
            doc = builder.doc if builder.doc is not None else {}
            builder.doc = doc
            doc.setdefault("label", "")
            doc["title"] = title
            mode = "doc"
            last_field, last_kind = None, "title"
            i += 1
            continue

        # Continuations: a wrapped bullet, or a paragraph split by a page break.
        if last_field and last_kind in ("bullet", "text", "numbered") and not bullet:
            prev = last_field[-1]
            continues = _starts_lower(text) and (
                last_kind in ("bullet", "numbered") or _ends_open(prev)
            )
            if last_kind == "bullet" and indent > last_indent and not numbered:
                continues = True
            if continues:
                last_field[-1] = f"{prev} {text}"
                i += 1
                continue

        if mode == "glance":
            if bullet:
                builder.bullets.append(clean(bullet.group(2)))
                last_field, last_kind, last_indent = builder.bullets, "bullet", indent
            elif _heading_like(text) and _has_body_after(lines, i, end):
                mode = "box"
                builder.box_title = text
                last_field, last_kind = builder.box_body, None
            elif builder.bullets:
                builder.outro.append(text)
                last_field, last_kind = builder.outro, "text"
            else:
                builder.intro.append(text)
                last_field, last_kind = builder.intro, "text"
        elif mode in ("comment", "doc", "box"):
            if mode != "box" and _heading_like(text) and _has_body_after(lines, i, end):
                mode = "box"
                builder.box_title = text
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
            elif mode == "comment" or builder.comment:
                if numbered:
                    entry = f"{numbered.group(1)}. {clean(numbered.group(2))}"
                    if last_kind == "numbered":
                        builder.comment[-1] += "\n" + entry
                    else:
                        builder.comment.append(entry)
                    last_kind = "numbered"
                else:
                    builder.comment.append(text)
                    last_kind = "text"
                last_field = builder.comment
            else:
                unplaced.append(Unplaced(i + 1, text))
                last_field, last_kind = None, None
        else:
            unplaced.append(Unplaced(i + 1, text))
            last_field, last_kind = None, None
        i += 1


def _has_body_after(lines: list[str], i: int, end: int) -> bool:
    """A heading is followed by a paragraph or a list (not a label or the end)."""
    for j in range(i + 1, min(end, i + 6)):
        nxt = lines[j]
        if not nxt.strip():
            continue
        return not _is_label(nxt) and not _heading_like(nxt)
    return False


def _find_stories(lines: list[str], skip: set[int], stop: int) -> list[tuple[int, int, str]]:
    """(line index, number, headline) of the story headlines."""
    candidates = [
        (i, int(m.group(1)), m.group(2))
        for i, line in enumerate(lines[:stop])
        if i not in skip and (m := _HEADLINE.match(line))
    ]
    stories: list[tuple[int, int, str]] = []
    for k, (i, number, headline) in enumerate(candidates):
        if stories and number <= stories[-1][1]:
            continue
        nxt = candidates[k + 1][0] if k + 1 < len(candidates) else stop
        span = lines[i + 1 : nxt]
        has_glance = any(_is_glance(x) for x in span)
        if has_glance:
            stories.append((i, number, headline))
    return stories


def _parse_noteworthy(
    lines: list[str], start: int, end: int, unplaced: list[Unplaced]
) -> list[tuple[int, int, int, int | None, str, int]]:
    """Raw items: (section, month, day, year|None, text, line)."""
    raw_items: list[list] = []
    section = 1
    for i in range(start, end):
        raw = lines[i]
        if not raw.strip():
            continue
        text = clean(raw)
        if not text:
            continue
        sub = _SUBSECTION.match(text)
        if sub:
            section = 1 if sub.group(1).lower() == "policy" else 2
            continue
        m = _ITEM_DATE.match(raw.replace("\\(", "(").replace("\\)", ")"))
        month = None
        if m:
            month = MONTHS.get((m.group("m1") or m.group("m2")).lower())
        if m and month:
            day = int(m.group("d1") or m.group("d2"))
            year = m.group("y1") or m.group("y2")
            raw_items.append(
                [section, month, day, int(year) if year else None, clean(m.group("rest")), i + 1]
            )
            continue
        if raw_items and not _BULLET.match(raw):
            prev = raw_items[-1][4]
            if _starts_lower(text) or not re.search(r"\)\s*$", prev):
                raw_items[-1][4] = f"{prev} {text}"
                continue
        if not _is_boilerplate(text):
            unplaced.append(Unplaced(i + 1, text))
    return [tuple(x) for x in raw_items]


def _parse_credits(
    lines: list[str], start: int, end: int, unplaced: list[Unplaced]
) -> tuple[list[ParsedCredit], int]:
    """Credits blocks from ``start``; returns the credits and the index where they end."""
    credits: list[ParsedCredit] = []
    role = None
    name: str | None = None
    title_parts: list[str] = []

    def flush():
        nonlocal name, title_parts
        if name and role:
            credits.append(ParsedCredit(role=role, name=name, role_title=" ".join(title_parts)))
        name, title_parts = None, []

    i = start
    while i < end:
        raw = lines[i]
        text = clean(raw)
        if not text:
            i += 1
            continue
        head = _CREDIT_HEAD.match(text)
        if head:
            flush()
            word = head.group(1).lower()
            if word.startswith("author"):
                role = "author"
            elif word.startswith(("with support", "contributor")):
                role = "contributor"
            else:
                role = "editor"
            i += 1
            continue
        if _is_boilerplate(text) or text.casefold() == "publisher" or "@" in text or role is None:
            flush()
            break
        m = re.match(r"^(.*?),?\s*\bMERICS\b\.?$", text)
        if m and m.group(1).strip(" ,"):
            body = m.group(1).strip(" ,")
            if name is not None:
                title_parts.append(body)
                flush()
            elif "," in body:
                person, title = body.split(",", 1)
                name, title_parts = person.strip(), [title.strip()]
                flush()
            else:
                words = body.split()
                cut = next(
                    (k for k, w in enumerate(words) if k >= 1 and w.lower() in _TITLE_WORDS),
                    2 if len(words) > 2 else len(words),
                )
                name, title_parts = " ".join(words[:cut]), [" ".join(words[cut:])]
                if not title_parts[0]:
                    title_parts = []
                flush()
        elif name is None:
            name = text
        elif _starts_lower(text) or any(w.lower() in _TITLE_WORDS for w in text.split()):
            title_parts.append(text)
        else:
            flush()
            name = text
        i += 1
    flush()
    return credits, i


def parse_briefing(text: str) -> ParsedBriefing:
    """Parse the text of one exported briefing."""
    if text is None or not text.strip():
        raise NotABriefing("The file is empty.")
    if len(text) > MAX_CHARS:
        raise NotABriefing("The file is too large to be a briefing (more than 2 MB of text).")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    unplaced: list[Unplaced] = []

    contents = _contents_block(lines)
    contents_titles = _contents_titles(lines, contents)

    def is_at(i: int, pattern: re.Pattern) -> bool:
        return i not in contents and bool(pattern.match(lines[i]))

    noteworthy_at = next((i for i in range(len(lines)) if is_at(i, _NOTEWORTHY)), None)
    # Credits follow the noteworthy section or, without one, the last "At a glance".
    credits_from = noteworthy_at
    if credits_from is None:
        credits_from = next(
            (i for i in range(len(lines) - 1, -1, -1) if _is_glance(lines[i])), len(lines)
        )
    credits_at = next((i for i in range(credits_from, len(lines)) if is_at(i, _CREDIT_HEAD)), None)
    story_stop = min(x for x in (noteworthy_at, credits_at, len(lines)) if x is not None)
    found = _find_stories(lines, contents, story_stop)
    if not found:
        raise NotABriefing(
            "No “MERICS Top 5” found: the file has no numbered story with an “At a glance” "
            "paragraph, so it does not look like a China Industries briefing."
        )

    # ---- preamble: caption, date, topic line
    first_story = found[0][0]
    publication_date = None
    hero_caption = ""
    title = ""
    leftovers: list[tuple[int, str]] = []
    briefs_at = next(
        (i for i in range(first_story) if clean(lines[i]).casefold() == "merics briefs"), None
    )
    for i in range(first_story):
        line = clean(lines[i])
        if not line or i in contents:
            continue
        if m := _ID_LINE.match(line):
            d = m.group(1)
            publication_date = _make_date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
            continue
        if (d := parse_date(line)) is not None:
            publication_date = publication_date or d
            continue
        if _is_boilerplate(line):
            continue
        if briefs_at is not None and i < briefs_at and not hero_caption:
            hero_caption = line
            continue
        leftovers.append((i, line))

    # ---- stories
    stories = []
    for k, (i, number, headline) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else story_stop
        head = clean(headline)
        letters = [c for c in head if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            head = contents_titles.get(_norm_key(head), head)
        head = head.rstrip(" .") if head.endswith("..") else head
        builder = _StoryBuilder(number, head, i + 1)
        _parse_story(builder, lines, i + 1, end, unplaced)
        stories.append(builder.build())

    # ---- noteworthy
    raw_items = []
    if noteworthy_at is not None:
        note_end = credits_at if credits_at is not None else len(lines)
        raw_items = _parse_noteworthy(lines, noteworthy_at + 1, note_end, unplaced)

    # ---- credits and the closing boilerplate
    credits: list[ParsedCredit] = []
    if credits_at is not None:
        credits, stop = _parse_credits(lines, credits_at, len(lines), unplaced)
        publisher = False
        for i in range(stop, len(lines)):
            line = clean(lines[i])
            if not line:
                continue
            if line.casefold() == "publisher":
                publisher = True
            if publisher or _is_boilerplate(line) or "@" in line:
                continue
            unplaced.append(Unplaced(i + 1, line))

    # ---- the topic line and a cover byline
    credit_names = {c.name.casefold() for c in credits}
    for i, line in leftovers:
        names = [n.strip().casefold() for n in line.split(",")]
        if credit_names and all(n in credit_names for n in names):
            continue  # cover byline: "ALEXANDER BROWN, GREGOR SEBASTIAN"
        if not title and not _HEADLINE.match(line):
            title = line
        else:
            unplaced.append(Unplaced(i + 1, line))

    # ---- item years and the publication date
    doc_dates = [s.document.date for s in stories if s.document and s.document.date]
    reference = publication_date or (max(doc_dates) if doc_dates else None)
    items = []
    for section, month, day, year, item_text, line_no in raw_items:
        if year is None:
            if reference is not None:
                year = reference.year - 1 if month - reference.month > 1 else reference.year
            else:
                year = datetime.date.today().year
        date = _make_date(year, month, day)
        if date is None:
            unplaced.append(Unplaced(line_no, item_text))
            continue
        body, sources = split_sources(item_text)
        items.append(
            ParsedItem(section=section, date=date, text=body, sources=sources, line=line_no)
        )

    date_estimated = False
    if publication_date is None:
        newest = max((it.date for it in items), default=None) or (
            max(doc_dates) if doc_dates else None
        )
        if newest is not None:
            publication_date = first_working_day_after_month(newest)
            date_estimated = True

    unplaced.sort(key=lambda u: u.line)
    return ParsedBriefing(
        title=title,
        publication_date=publication_date,
        date_estimated=date_estimated,
        hero_caption=hero_caption,
        stories=stories,
        items=items,
        credits=credits,
        unplaced=unplaced,
    )
