"""The noteworthy section: dated policy and corporate news items with their sources."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import MONTHS, make_date
from .findings import Findings
from .inline import MD_LINK, balanced, clean, is_web_address
from .patterns import BULLET, SUBSECTION, is_boilerplate, starts_lower
from .results import ParsedItem, ParsedSource

_ITEM_DATE = re.compile(
    r"^\s*(?:[-•*‣◦▪]\s+)?\**\s*"
    r"(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:,?\s+(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]{3,9})\.?(?:,?\s+(?P<y2>\d{4}))?)"
    r"\s*\**\s*:\s*\**\s*(?P<rest>.*)$"
)
_SOURCE = re.compile(r"^\s*(?P<label>[^();]+?)\s*(?:\(\s*(?P<lang>[A-Z]{2})\s*\)?)?\s*$")
_LANGUAGE_TAIL = re.compile(r"^(?P<label>.*?)\s*\(\s*(?P<lang>[A-Z]{2})\s*\)$")
_HELD = re.compile("\x00(\\d+)\x00")


@dataclass
class RawItem:
    section: int
    month: int
    day: int
    year: int | None
    # The item's lines, joined once when it is dated (a long run of them stays linear).
    lines: list[str]
    index: int

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line)


def _parse_sources(inner: str) -> list[ParsedSource] | None:
    sources = []
    for part in inner.split(";"):
        m = _SOURCE.match(part)
        if not m or len(m.group("label").split()) > 10:
            return None
        sources.append(ParsedSource(label=m.group("label"), language=m.group("lang") or ""))
    return sources


def _balanced_or_open(text: str) -> bool:
    """Parentheses inside a source list: only language markers, possibly unclosed."""
    return re.fullmatch(r"[^()]*(\([A-Z]{2}\)?[^()]*)*", text) is not None


def _find_sources(text: str) -> tuple[int, list[ParsedSource], bool] | None:
    """Where the trailing source list opens, its sources, and whether it is closed."""
    best = None
    window = max(0, len(text) - 600)
    pos = text.rfind("(")
    while pos >= window and pos != -1:
        rest = text[pos + 1 :].rstrip()
        closed = rest.endswith(")") and balanced("(" + rest)
        if closed:
            rest = rest[:-1]
        if _balanced_or_open(rest):
            sources = _parse_sources(rest)
            if sources is not None and sources[0].label.upper() not in {"CN", "EN"}:
                best = (pos, sources, closed)
        pos = text.rfind("(", 0, pos)
    return best


def split_sources_closed(text: str) -> tuple[str, list[ParsedSource], bool]:
    """:func:`split_sources`, also saying whether the source list was closed."""
    links: list[tuple[str, str]] = []

    def hold(m: re.Match) -> str:
        links.append((m.group(1).strip(), m.group(2)))
        return f"\x00{len(links) - 1}\x00"

    def restore(held: str) -> str:
        return _HELD.sub(lambda m: "[{}]({})".format(*links[int(m.group(1))]), held)

    held = MD_LINK.sub(hold, text.replace("\x00", "").rstrip())
    found = _find_sources(held)
    if found is None:
        return text.rstrip(), [], True
    pos, sources, closed = found
    for source in sources:
        urls = [links[int(m.group(1))][1] for m in _HELD.finditer(source.label)]
        source.label = _HELD.sub(lambda m: links[int(m.group(1))][0], source.label).strip()
        if not source.language and (m := _LANGUAGE_TAIL.match(source.label)):
            source.label, source.language = m.group("label"), m.group("lang")
        source.url = next((u for u in urls if is_web_address(u)), "")
    return restore(held[:pos]).rstrip(), sources, closed


def split_sources(text: str) -> tuple[str, list[ParsedSource]]:
    """Split the trailing parenthesised source list off a noteworthy item.

    ``(NDRC notice (CN); Reuters article (EN))`` gives labels and languages; sources written
    as links, ``([NDRC notice (CN)](https://…); [Reuters article](https://…) (EN))``, also
    give their addresses. A link whose address was lost gives none.
    """
    body, sources, _ = split_sources_closed(text)
    return body, sources


def parse_noteworthy(lines: list[str], start: int, end: int, findings: Findings) -> list[RawItem]:
    """The items of ``lines[start:end]``, their year not yet known when it is not printed."""
    items: list[RawItem] = []
    section = 1
    for i in range(start, end):
        raw = lines[i]
        if not raw.strip():
            continue
        text = clean(raw)
        if not text:
            continue
        sub = SUBSECTION.match(text)
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
            items.append(
                RawItem(
                    section, month, day, int(year) if year else None, [clean(m.group("rest"))], i
                )
            )
            continue
        if items and not BULLET.match(raw):
            lower = starts_lower(text)
            if lower or not items[-1].lines[-1].rstrip().endswith(")"):
                if not lower:
                    findings.guess_at(i, text, "read as the continuation of the item above")
                items[-1].lines.append(text)
                continue
        if not is_boilerplate(text):
            findings.unplaced_at(i, text)
    return items


def date_items(
    raw_items: list[RawItem],
    reference: datetime.date | None,
    reference_name: str,
    findings: Findings,
) -> list[ParsedItem]:
    """Items with full dates: a year not printed comes from ``reference`` (the publication
    date or the newest document), the year before when the month lies after it."""
    items = []
    for raw in raw_items:
        text = raw.text
        year = raw.year
        if year is None:
            if reference is not None:
                behind = raw.month - reference.month > 1
                year = reference.year - 1 if behind else reference.year
                why = f"from the {reference_name}" + (", the year before" if behind else "")
            else:
                year = datetime.date.today().year
                why = "from today's date: the briefing prints no year"
            findings.guess_at(raw.index, text, f"item year inferred as {year} ({why})")
        date = make_date(year, raw.month, raw.day)
        if date is None:
            findings.unplaced_at(raw.index, text)
            continue
        body, sources, closed = split_sources_closed(text)
        if not closed:
            findings.guess_at(raw.index, text, "source list read without its closing “)”")
        items.append(
            ParsedItem(
                section=raw.section,
                date=date,
                text=body,
                sources=sources,
                line=findings.line(raw.index),
            )
        )
    return items
